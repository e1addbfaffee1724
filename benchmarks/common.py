"""Shared by the benchmarks: a fresh SQLite database per run, and timers that report wall and CPU time."""

import os
import time
from pathlib import Path


def setup_django(home: Path) -> None:
    """Point gaoxin at a new SQLite database under `home` and migrate it (once per process)."""
    import django
    from django.conf import settings

    if not settings.configured:
        os.environ["GAOXIN_DATABASE_URL"] = f"sqlite:///{home / 'bench.sqlite3'}"
        os.environ["GAOXIN_VAR_DIR"] = str(home)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaoxin.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class Timer:
    """Wall-clock and this process's CPU time: on a busy machine the CPU figure is the comparable one."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def line(name: str, timer: Timer, rows: int) -> None:
    print(f"  {name:<28} {timer.wall:7.2f} s wall {timer.cpu:7.2f} s cpu   {rows / timer.wall:>9,.0f} rows/s")
