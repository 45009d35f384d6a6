"""The CLI's progress bar (``cli/progress.py``)."""

from __future__ import annotations

import pytest

from search_service.cli.progress import progress_bar


def test_work_refused_before_it_starts_draws_no_bar(capsys: pytest.CaptureFixture[str]) -> None:
    # "indexing 0/0" stood above "another reindex is running".
    with pytest.raises(RuntimeError), progress_bar("indexing", total=0, unit="docs"):
        raise RuntimeError("another reindex is running")
    assert "indexing" not in capsys.readouterr().err


def test_work_done_draws_its_bar(capsys: pytest.CaptureFixture[str]) -> None:
    with progress_bar("indexing", total=0, unit="docs") as (advance, set_total):
        set_total(3)
        advance(3)
    drawn = capsys.readouterr().err
    assert "indexing" in drawn and "3/3" in drawn
