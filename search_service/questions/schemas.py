"""Request shapes of the Q&A API (responses reuse the course-detail items)."""

from __future__ import annotations

from typing import Annotated

import msgspec

Text = Annotated[str, msgspec.Meta(min_length=10, max_length=5000)]


class QuestionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    question: Text


class AnswerIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    answer: Text
