"""``serve`` and ``demo``."""

from __future__ import annotations

import argparse

from search_service.cli import commands_db
from search_service.settings import Settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the web service commands to the parser."""
    serve = commands.add_parser("serve", help="run the web service")
    serve.set_defaults(handler=cmd_serve)
    demo = commands.add_parser(
        "demo", help="migrate, seed a demo catalog when empty, index it and serve it"
    )
    demo.add_argument(
        "--courses",
        type=int,
        default=commands_db.DEFAULT_DEMO_COURSES,
        help="courses to seed into an empty database",
    )
    demo.set_defaults(handler=cmd_demo)


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    print("serve: the web service is not available yet")
    return 2


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    seed_args = argparse.Namespace(courses=args.courses, seed=42, if_empty=True, no_migrate=False)
    commands_db.cmd_seed(settings, seed_args)
    print("demo: database migrated and seeded; the web service is not available yet")
    return 0
