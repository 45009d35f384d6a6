"""The Q&A SQL, parameterised."""

from __future__ import annotations

from sqlalchemy import text

from search_service.db.lookups import PUBLISHED

PAGE = text(f"""
SELECT q.id, q.question, q.created_at, q.resolved_at, u.first_name, u.last_name,
       count(*) OVER () AS total,
       coalesce((
         SELECT json_agg(json_build_object(
                  'id', a.id, 'answer', a.answer, 'is_marked_solution', a.is_marked_solution,
                  'created_at', a.created_at,
                  'mentor_name', CASE WHEN a.answered_by IS NULL
                                      THEN concat_ws(' ', mu.first_name, mu.last_name)
                                      ELSE concat_ws(' ', au.first_name, au.last_name)
                                           || ' (Skillspring team)' END)
                ORDER BY a.is_marked_solution DESC, a.created_at)
         FROM course_answers a JOIN users mu ON mu.id = a.mentor_id
         LEFT JOIN users au ON au.id = a.answered_by
         WHERE a.question_id = q.id), '[]') AS answers
FROM course_questions q
JOIN courses c ON c.id = q.course_id
JOIN users u ON u.id = q.student_id
WHERE c.slug = :slug AND {PUBLISHED}
ORDER BY q.created_at DESC, q.id
LIMIT :limit OFFSET :offset
""")  # noqa: S608 - constants only
ASK = text(
    "INSERT INTO course_questions (course_id, student_id, question) "
    "VALUES (:course_id, :student_id, :question) RETURNING id, created_at"
)
QUESTION = text(f"""
SELECT q.id, q.student_id, c.mentor_id FROM course_questions q
JOIN courses c ON c.id = q.course_id WHERE q.id = :question_id AND {PUBLISHED}
""")  # noqa: S608 - constants only
# mentor_id is always the course's mentor (the data model's column); an admin's answer also
# records who wrote it.
ANSWER = text(
    "INSERT INTO course_answers (question_id, mentor_id, answer, answered_by) "
    "VALUES (:question_id, :mentor_id, :answer, :answered_by) RETURNING id, created_at"
)
# An answer on a published course (an archived course takes no writes at all).
ANSWER_ROW = text(f"""
SELECT a.id, a.question_id, q.student_id, c.mentor_id FROM course_answers a
JOIN course_questions q ON q.id = a.question_id
JOIN courses c ON c.id = q.course_id WHERE a.id = :answer_id AND {PUBLISHED}
""")  # noqa: S608 - constants only
MARK = text(
    "UPDATE course_answers SET is_marked_solution = (id = :answer_id) "
    "WHERE question_id = :question_id"
)
RESOLVE = text(
    "UPDATE course_questions SET resolved_at = coalesce(resolved_at, now()) WHERE id = :question_id"
)
