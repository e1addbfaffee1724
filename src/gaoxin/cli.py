"""The `gaoxin` command: Django's management commands plus ours, with gaoxin's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaoxin.settings")
    if len(argv) > 1 and argv[1] == "demo":
        from gaoxin.core.demo.env import prepare_demo_environment

        prepare_demo_environment()
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
