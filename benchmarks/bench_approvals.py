"""The approval clock (approvals/clock.py): the status of 100,000 open item instances, and whole timelines.

Plain data, no database: what the daily scan does per item once the rows are loaded. Each instance is
accepted on a random day of 2024–2026 with a catalog-like limit (即办 to 60 working days, some extended),
30 % have one pause, 10 % two (overlaps possible), 5 % an open one, a fifth restart rather than resume;
each is looked at on a day within 80 days of its acceptance, so 正常, 预警 and 逾期 all occur. 2027 is
defined as an administrator would enter it (a due date may fall there), so every query is official.
Target (issue 4): under 1 s for the 100,000. Also: the same with provisional counting switched on, and
compute_timeline on a 40-item case (four stages of ten, each item requiring one to three of the stage
before).
"""

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from benchmarks.common import Timer, line

ITEMS = 100_000
TIMELINES = 1_000
SEED = 2025
GOAL_SECONDS = 1.0
LIMITS = (0, 1, 3, 5, 5, 7, 10, 10, 15, 20, 20, 30, 60)


def _instances(rng: random.Random):
    first = dt.date(2024, 1, 1).toordinal()
    last = dt.date(2026, 12, 31).toordinal()
    rows = []
    for _ in range(ITEMS):
        accepted = dt.date.fromordinal(rng.randint(first, last))
        limit = rng.choice(LIMITS)
        if rng.random() < 0.1:
            limit += rng.choice((10, 15))  # 延长 (行政许可法 art. 42)
        today = accepted + dt.timedelta(days=rng.randrange(0, 80))
        pauses = []
        draw = rng.random()
        count = 2 if draw < 0.10 else 1 if draw < 0.40 else 0
        for _ in range(count):
            start = accepted + dt.timedelta(days=rng.randrange(1, 40))
            pauses.append((start, start + dt.timedelta(days=rng.randrange(0, 20))))
        if rng.random() < 0.05:
            pauses.append((accepted + dt.timedelta(days=rng.randrange(1, 30)), None))
        mode = "restart" if rng.random() < 0.2 else "resume"
        rows.append((accepted, limit, tuple(pauses), mode, today))
    return rows


def _case(rng: random.Random):
    from gaoxin.approvals.clock import ClockItem

    items = []
    for stage in range(4):
        for k in range(10):
            requires = ()
            if stage:
                previous = [f"s{stage - 1}i{j}" for j in range(10)]
                requires = tuple(rng.sample(previous, rng.randint(1, 3)))
            pauses = ()
            if rng.random() < 0.3:
                start = dt.date(2025, 3, 1) + dt.timedelta(days=rng.randrange(0, 200))
                pauses = ((start, start + dt.timedelta(days=rng.randrange(0, 15))),)
            items.append(ClockItem(f"s{stage}i{k}", rng.choice(LIMITS[1:]), requires=requires, pauses=pauses,
                                   pause_mode="restart" if rng.random() < 0.2 else "resume"))
    return items


def run() -> None:
    from gaoxin.approvals.clock import compute_timeline, item_status
    from gaoxin.core.workcal import WorkCalendar, YearDefinition

    rng = random.Random(SEED)
    rows = _instances(rng)
    year_2027 = YearDefinition(2027, frozenset({dt.date(2027, 1, 1)}), frozenset(), source="benchmark")
    calendar = WorkCalendar([year_2027])
    ratio = Decimal("0.2")
    for year in (2024, 2025, 2026, 2027):
        calendar.workday_count(year)  # build the year tables outside the timing, as a warm process has

    statuses = Counter()
    with Timer() as t:
        for accepted, limit, pauses, mode, today in rows:
            statuses[item_status(accepted, None, limit, pauses, mode, today, ratio, calendar).status] += 1
    line("item_status, 100k open items", t, ITEMS)
    official = t.wall

    guessed: set[int] = set()
    plain = WorkCalendar()  # 2027 unknown: counted Monday–Friday, the year reported
    plain.workday_count(2026)
    with Timer() as t:
        for accepted, limit, pauses, mode, today in rows:
            item_status(accepted, None, limit, pauses, mode, today, ratio, plain, provisional=guessed)
    line("item_status, provisional 2027", t, ITEMS)

    case = _case(random.Random(SEED))
    start, today = dt.date(2025, 3, 3), dt.date(2025, 9, 30)
    timeline = compute_timeline(case, start=start, today=today, calendar=calendar)
    with Timer() as t:
        for _ in range(TIMELINES):
            compute_timeline(case, start=start, today=today, calendar=calendar)
    line(f"compute_timeline 40 items ×{TIMELINES}", t, TIMELINES)

    mix = ", ".join(f"{name} {statuses[name]:,}" for name in ("正常", "预警", "逾期"))
    print(f"  statuses: {mix}; guessed years {sorted(guessed)}")
    print(f"  40-item case: {t.wall / TIMELINES * 1000:.2f} ms per timeline, finish {timeline.finish}, "
          f"{timeline.total_wd} working days, critical path of {len(timeline.critical_path)} items")
    verdict = "OK" if official < GOAL_SECONDS else "TOO SLOW"
    print(f"  goal < {GOAL_SECONDS:.0f} s for 100,000 item statuses: {official:.2f} s → {verdict}")


if __name__ == "__main__":
    run()
