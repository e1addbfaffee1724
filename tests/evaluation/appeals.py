"""Helpers of the publicity and appeal tests: a computed run, evidence files, moving the window in time."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from gaoxin.core.permissions import Role
from gaoxin.evaluation.models import EvaluationRun
from gaoxin.evaluation.selectors.appeals import today
from gaoxin.evaluation.services import runs

from ..factories import make_user
from .runs import YEAR, evaluation_world


def appeal_world(world):
    """The evaluation world, a computed 2025 run and an enterprise user of c1 (a second enterprise)."""
    evaluation_world(world)
    world.users["ent_c1"] = make_user("ent_c1", zone=world.zone, role=Role.ENTERPRISE,
                                      enterprise=world.enterprises["c1"])
    return runs.evaluation_run_create(user=world.users["staff_a"], year=YEAR)


def upload(name: str = "完税证明.pdf", size: int = 64, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else b"%PDF-1.4\n" + b"x" * size)


def move_window(run: EvaluationRun, *, days_ago: int) -> None:
    """Shift the window of the run's year so that it ended `days_ago` days ago (a direct update, as time would)."""
    end = today() - dt.timedelta(days=days_ago)
    EvaluationRun.objects.filter(zone_id=run.zone_id, year=run.year).exclude(publicity_end=None).update(
        publicity_start=end - dt.timedelta(days=6), publicity_end=end)
    run.refresh_from_db()
