"""The virtual environment holds exactly the lock: every pin installed, nothing more."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "skillspring"


def pins(lock: Path) -> dict[str, str]:
    """Each pin of ``lock`` that applies to this interpreter and platform: name → version."""
    found: dict[str, str] = {}
    for line in lock.read_text().splitlines():
        if not line or line[0] in " #-":
            continue
        requirement = Requirement(line.rstrip(" \\"))
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", line
        found[canonicalize_name(requirement.name)] = specifier.version
    return found


def installed() -> dict[str, str]:
    """Every distribution in this environment (the project itself left out): name → version."""
    return {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in importlib.metadata.distributions(path=sys.path)
        if canonicalize_name(dist.metadata["Name"]) != PROJECT
    }


def test_the_environment_is_exactly_the_lock() -> None:
    expected = pins(ROOT / "requirements" / "dev.txt")
    have = installed()
    assert {name: v for name, v in have.items() if expected.get(name) != v} == {}
    assert sorted(set(expected) - set(have)) == []


def test_the_runtime_lock_is_a_part_of_the_same_lock() -> None:
    dev = pins(ROOT / "requirements" / "dev.txt")
    runtime = pins(ROOT / "requirements" / "runtime.txt")
    assert {name: v for name, v in runtime.items() if dev.get(name) != v} == {}


def test_pip_check_passes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
