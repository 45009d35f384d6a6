"""What can be checked of the container setup without a container engine."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from search_service.cli import build_parser
from search_service.settings import ENV, ENV_VARS, PREFIX, Settings

pytestmark = pytest.mark.system  # starts processes (a server, the CLI) or a browser

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())  # type: ignore[no-any-return]


@pytest.mark.skipif(
    shutil.which("docker-compose") is None,
    reason="docker-compose (Debian package) is not installed; .ci/run installs it",
)
def test_compose_file_is_valid() -> None:
    env = {
        **os.environ,
        "POSTGRES_PASSWORD": "p",
        "MEILI_MASTER_KEY": "k" * 16,
        "SKILLSPRING_SECRET_KEY": "s" * 32,
        "SKILLSPRING_METRICS_TOKEN": "m" * 16,
        "SKILLSPRING_PUBLIC_URL": "https://courses.example",
    }
    for args in (["config", "-q"], ["--profile", "demo", "config", "-q"]):
        result = subprocess.run(
            ["docker-compose", "-f", str(COMPOSE), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr


def test_every_variable_the_compose_file_sets_is_a_setting() -> None:
    names = set()
    for service in compose()["services"].values():
        names |= {k for k in (service.get("environment") or {}) if k.startswith(PREFIX)}
    assert names, "the app services configure Skillspring"
    assert names <= {PREFIX + v for v in ENV_VARS}, names - {PREFIX + v for v in ENV_VARS}


def test_every_variable_is_a_field_and_documented() -> None:
    defaults = Settings()
    fields = set()
    for section, field in ENV.values():
        owner = defaults if section is None else getattr(defaults, section)
        assert hasattr(owner, field), (section, field)
        fields.add((section, field))
    assert len(fields) == len(ENV), "each variable sets its own field"
    readme = (ROOT / "README.md").read_text()
    reference = (ROOT / "docs" / "operations.md").read_text()
    for name in ENV_VARS:
        assert f"`{PREFIX}{name}`" in readme, f"README does not document {PREFIX}{name}"
        assert f"| `{PREFIX}{name}` |" in reference, f"no {PREFIX}{name} in the settings reference"


def _commands() -> list[list[str]]:
    found = []
    for service in compose()["services"].values():
        command = service.get("command")
        if not command:
            continue
        text = " ".join(command)
        for part in re.split(r"&&|;", text.split("-c", 1)[-1] if command[0] == "sh" else text):
            words = part.replace("exec ", "").strip().strip('"').split()
            if words and words[0] == "skillspring":
                found.append(words[1:])
    return found


@pytest.mark.parametrize("argv", _commands(), ids=lambda a: " ".join(a))
def test_every_command_the_compose_file_runs_exists(argv: list[str]) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits (SystemExit) on an unknown command or option
    assert callable(args.handler)


def test_dockerfile_runs_as_non_root_without_build_tools() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = dockerfile.split("\nFROM ")
    assert len(stages) >= 2, "multi-stage"
    final = stages[-1]
    assert "USER skillspring" in final
    assert "build-essential" not in final and "gcc" not in final
