"""The console script: every command has --help; bad input is one line and exit code 2."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest

from search_service.db.connection import asyncpg_dsn
from tests.support.processes import assert_one_line_error, skillspring

pytestmark = pytest.mark.system  # starts processes (a server, the CLI) or a browser

COMMANDS = [
    [],
    ["db"],
    ["db", "upgrade"],
    ["db", "downgrade"],
    ["seed"],
    ["serve"],
    ["reindex"],
    ["sync"],
    ["demo"],
    ["relevance"],
    ["course"],
    ["course", "archive"],
    ["media"],
    ["media", "archive"],
    ["search"],
    ["search", "keys"],
    ["recommendations"],
    ["recommendations", "refresh"],
    ["users"],
    ["users", "create-admin"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "top")
def test_every_command_has_help(command: list[str]) -> None:
    result = skillspring(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: skillspring" in result.stdout


def test_the_create_admin_help_gives_a_command_that_works_when_copied() -> None:
    # argparse formats only ``help=`` strings, so a description's "%%s" printed as it stood:
    # copied, the command piped the text "%s" for the password.
    result = skillspring("users", "create-admin", "--help")
    said = " ".join(result.stdout.split())
    assert "`printf '%s\\n' \"$PASSWORD\" | skillspring users create-admin" in said


def test_unknown_search_engine_is_one_line(tmp_path: Path) -> None:
    result = skillspring(
        "seed", env={"SKILLSPRING_SEARCH_ENGINE": "solr", "SKILLSPRING_DATA_DIR": str(tmp_path)}
    )
    assert_one_line_error(result, "SKILLSPRING_SEARCH_ENGINE", "tantivy")
    assert not (tmp_path / "pg").exists()


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    result = skillspring(
        "seed",
        env={
            "SKILLSPRING_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/nothing",
            "SKILLSPRING_DATA_DIR": str(tmp_path),
        },
    )
    assert_one_line_error(result, "SKILLSPRING_DATABASE_URL", "cannot reach")
    assert not (tmp_path / "pg").exists(), "an embedded cluster must not start when a URL is set"


async def _course_count(url: str) -> int:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        return int(await conn.fetchval("SELECT count(*) FROM courses"))
    finally:
        await conn.close()


async def test_negative_course_count_writes_nothing(database: str) -> None:
    before = await _course_count(database)
    result = skillspring("seed", "--courses", "-1", env={"SKILLSPRING_DATABASE_URL": database})
    assert_one_line_error(result, "--courses")
    assert await _course_count(database) == before


def test_reindex_then_sync_from_the_command_line(catalog_url: str, tmp_path: Path) -> None:
    env = {"SKILLSPRING_DATABASE_URL": catalog_url, "SKILLSPRING_DATA_DIR": str(tmp_path)}
    result = skillspring("reindex", env=env)
    assert result.returncode == 0, result.stderr
    assert "indexed" in result.stdout and "docs/s" in result.stdout
    assert (tmp_path / "search" / "courses" / "CURRENT").exists()
    result = skillspring("sync", env=env)
    assert result.returncode == 0, result.stderr
    assert "synced 0 changes" in result.stdout


def test_reindex_if_missing_rebuilds_an_index_whose_folder_is_gone(
    catalog_url: str, tmp_path: Path
) -> None:
    # compose's indexer runs it at every start: it failed there, "search index folder … is
    # missing; run: skillspring reindex".
    env = {"SKILLSPRING_DATABASE_URL": catalog_url, "SKILLSPRING_DATA_DIR": str(tmp_path)}
    current = tmp_path / "search" / "courses" / "CURRENT"
    assert skillspring("reindex", env=env).returncode == 0
    current.write_text("gen-missing")
    rebuilt = skillspring("reindex", "--if-missing", env=env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "indexed" in rebuilt.stdout and current.read_text() != "gen-missing"
    again = skillspring("reindex", "--if-missing", env=env)
    assert again.returncode == 0 and "nothing to do" in again.stdout


def test_sync_without_an_index_is_one_line(catalog_url: str, tmp_path: Path) -> None:
    env = {"SKILLSPRING_DATABASE_URL": catalog_url, "SKILLSPRING_DATA_DIR": str(tmp_path)}
    assert_one_line_error(skillspring("sync", env=env), "search engine", "reindex")


@pytest.mark.parametrize("command", ["reindex", "sync"])
def test_an_unreadable_key_file_is_named_not_blamed_on_postgresql(
    catalog_url: str, tmp_path: Path, command: str
) -> None:
    # "reindex: lost the PostgreSQL connection: [Errno 2] No such file or directory".
    env = {
        "SKILLSPRING_DATABASE_URL": catalog_url,
        "SKILLSPRING_DATA_DIR": str(tmp_path),
        "SKILLSPRING_SEARCH_ENGINE": "meilisearch",
        "SKILLSPRING_MEILI_API_KEY_FILE": str(tmp_path / "missing-key"),
    }
    done = skillspring(command, env=env)
    assert_one_line_error(done, "SKILLSPRING_MEILI_API_KEY_FILE", "missing-key")
    assert "PostgreSQL" not in done.stderr


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"q,d,r\npython,python-basics,3\n", ["columns query,docid,rating"]),
        (b"query,docid,rating\npython,python-basics,abc\n", ["line 2", "whole number"]),
        (b"query,docid,rating\ngarbage,,\n", ["line 2"]),
        (b"query,docid,rating\n\xff\xfe,x,1\n", ["not UTF-8"]),
        (b"query,docid,rating\n", ["no judgments"]),
    ],
)
def test_a_malformed_judgments_file_is_one_line(
    content: bytes, words: list[str], tmp_path: Path
) -> None:
    # A KeyError, ValueError or UnicodeDecodeError traceback, exit 1; garbage rows scored
    # nothing and exited 0.
    judged = tmp_path / "judged.csv"
    judged.write_bytes(content)
    result = skillspring(
        "relevance", "--judgments", str(judged), env={"SKILLSPRING_DATA_DIR": str(tmp_path)}
    )
    assert_one_line_error(result, *words)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["serve", "--port", "99999"], ["a port from 1 to 65,535"]),
        # As SKILLSPRING_WORKERS is: 65 workers started, where the setting refuses 65.
        (["serve", "--workers", "65"], ["a number of workers from 1 to 64"]),
        (["serve", "--workers", "0"], ["a number of workers from 1"]),
        # 0 polled without pause: a core busy and PostgreSQL asked without end.
        (["sync", "--follow", "--poll-seconds", "0"], ["seconds from 0.1 to 3,600"]),
        (["sync", "--follow", "--poll-seconds", "nan"], ["seconds from 0.1 to 3,600"]),
        (
            ["relevance", "--judgments", "/nonexistent/j.csv"],
            ["No such file", "/nonexistent/j.csv"],
        ),
        # Silently ignored (as --load without --live is not).
        (["relevance", "--days", "0"], ["--days goes with --judgments-from-clicks"]),
        # The command's own usage line, not the top level's ("usage: skillspring [-h] …").
        (["reindex", "--bogus"], ["usage: skillspring reindex", "--bogus"]),
        (["db", "upgrade", "head", "--x"], ["usage: skillspring db upgrade", "--x"]),
    ],
)
def test_misuse_is_a_short_error_without_a_traceback(
    argv: list[str], words: list[str], tmp_path: Path
) -> None:
    result = skillspring(*argv, env={"SKILLSPRING_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert all(word in result.stderr for word in words), result.stderr


def test_an_unknown_revision_is_one_line(catalog_url: str) -> None:
    result = skillspring(
        "db", "upgrade", "nosuchrev", env={"SKILLSPRING_DATABASE_URL": catalog_url}
    )
    assert_one_line_error(result, "nosuchrev")


async def test_migrations_say_the_revision_they_reach(empty_url: str) -> None:
    # "database downgraded to -1": where to go, not where the database is.
    env = {"SKILLSPRING_DATABASE_URL": empty_url}
    head = skillspring("db", "upgrade", env=env)
    assert head.returncode == 0 and "revision head" not in head.stdout, head.stdout
    down = skillspring("db", "downgrade", "-1", env=env)
    assert down.returncode == 0 and "-1" not in down.stdout, down.stdout
    up = skillspring("db", "upgrade", "head", env=env)
    reached = up.stdout.strip().rsplit(" ", 1)[-1]
    assert reached in head.stdout and reached not in down.stdout, (head, down, up)


@pytest.mark.parametrize(
    "argv",
    [
        ["reindex"],
        ["sync"],
        ["sync", "--follow"],
        ["serve"],
        ["seed", "--no-migrate"],
        ["course", "archive", "any-course"],
        ["media", "archive"],
        ["recommendations", "refresh"],
        ["users", "create-admin", "ops@example.com"],
    ],
    ids=" ".join,
)
async def test_a_database_never_migrated_is_one_line_saying_to_migrate(
    argv: list[str], unmigrated_url: str, tmp_path: Path
) -> None:
    # An operator's first deploy in the wrong order: each command said so in a traceback of
    # the first table it missed ("relation "courses" does not exist").
    env = {"SKILLSPRING_DATABASE_URL": unmigrated_url, "SKILLSPRING_DATA_DIR": str(tmp_path)}
    stdin = "correct horse battery staple lamp\n"
    result = await asyncio.to_thread(skillspring, *argv, env=env, stdin=stdin)
    assert_one_line_error(result, "no revision", "skillspring db upgrade")
