"""Shapes of the Q&A API: what comes in, what goes out."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from search_service.lib.constraints import TEXT_CHARACTERS

Text = Annotated[
    str,
    msgspec.Meta(
        min_length=10,
        max_length=5000,
        pattern=TEXT_CHARACTERS,
        description="text of 10 to 5,000 characters",
    ),
]


class QuestionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    question: Text


class AnswerIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    answer: Text


class AnswerItem(msgspec.Struct, kw_only=True):
    id: str
    answer: str
    mentor_name: str
    is_marked_solution: bool
    created_at: dt.datetime


class QuestionItem(msgspec.Struct, kw_only=True):
    id: str
    question: str
    author: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    answers: list[AnswerItem]  # the solution first


class QuestionPage(msgspec.Struct, kw_only=True):
    total: int
    page: int
    per_page: int
    items: list[QuestionItem]
