"""`gaoxin synth`: 100,000 enterprises (and 75,000 parcels) into a fresh SQLite database. Target: under a minute."""

import tempfile
import time
from pathlib import Path

from benchmarks.common import Timer, line, setup_django

ENTERPRISES = 100_000


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="gaoxin-bench-") as tmp:
        setup_django(Path(tmp))
        from django.core.management import call_command

        code = f"synth{int(time.time())}"
        call_command("zone", "add", code, "基准测试园区", verbosity=0)
        with Timer() as t:
            call_command("synth", "--zone", code, "--enterprises", str(ENTERPRISES))
        line("synth 100k enterprises", t, ENTERPRISES)
        verdict = "OK" if t.wall < 60 else "TOO SLOW"
        print(f"  target: 100,000 enterprises < 60 s → {t.wall:.1f} s wall ({t.cpu:.1f} s cpu) {verdict}")
