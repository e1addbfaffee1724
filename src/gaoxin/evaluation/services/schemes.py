"""Every write to the evaluation schemes. The text is checked with scheme.py, the same rules as the CLI."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core.services import audited_create, audited_delete, audited_update, require_write

from ..models import EvaluationScheme, SchemeStatus
from ..presets import preset_list, preset_text
from ..scheme import Scheme, SchemeError, parse_scheme

# The top-level `year = …` line of a preset (top-level keys come before the first table).
YEAR_LINE = re.compile(r"^year\s*=\s*\d+[ \t]*(#.*)?$", re.MULTILINE)

BLANK_TEMPLATE = """\
# 空白方案：一个组、一个指标。按需增加 [[group]] 和 [[group.indicator]]，格式见 issue 3 的方案约定。
name = "{year}年度工业企业亩均效益综合评价"
year = {year}

[[group]]
code = "all"
label = "全部企业"
classes = [ {{ label = "A", top = 0.20 }}, {{ label = "B", top = 0.60 }}, {{ label = "C", top = 0.95 }}, {{ label = "D", top = 1.0 }} ]

  [[group.indicator]]
  code = "tax_per_mu"
  label = "亩均税收"
  numerator = "tax"
  denominator = "land_mu"
  weight = 100
  benchmark = "aggregate"
  direction = "higher"
  missing = "zero"
"""


def normalise_text(text: str) -> str:
    """Browsers send a textarea with CRLF line ends; the stored text uses LF, so resubmitting is no change."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def scheme_problems(text: str) -> list[str]:
    """Every problem scheme.py finds in `text` (Chinese sentences); empty when the scheme is usable."""
    try:
        parse_scheme(text)
    except SchemeError as exc:
        return exc.problems
    return []


def _parsed(text: str) -> Scheme:
    try:
        return parse_scheme(text)
    except SchemeError as exc:
        raise ValidationError({"toml": exc.problems}) from None


def initial_text(*, preset: str, year: int) -> str:
    """The text a new scheme starts from: a preset with its `year` set to `year`, or the blank template."""
    if not preset:
        return BLANK_TEMPLATE.format(year=year)
    try:
        text = preset_text(preset)
    except KeyError:
        keys = "、".join(p.key for p in preset_list())
        raise ValidationError({"preset": _("没有名为“%(key)s”的预设（可选：%(keys)s）。") % {"key": preset, "keys": keys}}) \
            from None
    return YEAR_LINE.sub(f"year = {year}", text, count=1)


@transaction.atomic
def evaluation_scheme_create(*, user, zone=None, department=None, data: dict, message: str = "") -> EvaluationScheme:
    """A new draft scheme. `data` holds either `toml` (the text) or `preset` ("" = blank) and `year`.

    The record's name and year are read from the text (the text is the single source of truth); a preset's
    `year` line is replaced by the year asked for. `user=None` is a trusted system caller (the demo builder)
    and must name `zone` and `department`; a person creates in their own zone and department.
    """
    if user is not None:
        require_write(user=user, model=EvaluationScheme)
        if zone is not None and zone.pk != user.zone_id:
            raise PermissionDenied(_("只能在本人所在园区新增评价方案。"))
        zone_id, department_id = user.zone_id, user.department_id
    else:
        if zone is None or department is None or department.zone_id != zone.pk:
            raise PermissionDenied(_("系统调用须指明园区和该园区的部门。"))
        zone_id, department_id = zone.pk, department.pk
    preset = (data.get("preset") or "").strip()
    if data.get("toml"):
        text = normalise_text(data["toml"])
    else:
        if not data.get("year"):
            raise ValidationError({"year": _("请填写评价年度。")})
        text = initial_text(preset=preset, year=int(data["year"]))
    parsed = _parsed(text)
    scheme = EvaluationScheme(zone_id=zone_id, department_id=department_id, year=parsed.year,
                              name=parsed.name[:200], toml=text, version=1, based_on=preset,
                              status=SchemeStatus.DRAFT)
    return audited_create(scheme, message=message)


@transaction.atomic
def evaluation_scheme_update(*, user, scheme: EvaluationScheme, data: dict, message: str = "") -> EvaluationScheme:
    """Save a new text: validated like the CLI, version + 1 when the text changed, nothing written otherwise.

    An active scheme stays active; moving it (via `year`) onto a year that already has an active scheme is
    refused by the model's constraint.
    """
    require_write(user=user, model=EvaluationScheme, obj=scheme)
    text = normalise_text(data["toml"])
    parsed = _parsed(text)
    if text == scheme.toml:
        return scheme
    return audited_update(scheme, {"toml": text, "name": parsed.name[:200], "year": parsed.year,
                                   "version": scheme.version + 1}, message=message)


@transaction.atomic
def evaluation_scheme_activate(*, user, scheme: EvaluationScheme, message: str = "") -> EvaluationScheme:
    """Make `scheme` the zone's scheme for its year; the one active before (whichever department keeps it:
    it is the zone's single scheme for that year) goes back to draft in the same transaction, audited."""
    require_write(user=user, model=EvaluationScheme, obj=scheme)
    _parsed(scheme.toml)  # a text saved under older rules must still pass today's before it is used
    if scheme.is_active:
        return scheme
    others = (EvaluationScheme.objects.select_for_update()
              .filter(zone_id=scheme.zone_id, year=scheme.year, status=SchemeStatus.ACTIVE).exclude(pk=scheme.pk))
    for other in others:
        audited_update(other, {"status": SchemeStatus.DRAFT},
                       message=_("同年度方案“%(name)s”启用，本方案自动停用。") % {"name": scheme.name})
    return audited_update(scheme, {"status": SchemeStatus.ACTIVE}, message=message)


@transaction.atomic
def evaluation_scheme_delete(*, user, scheme: EvaluationScheme, message: str = "") -> None:
    require_write(user=user, model=EvaluationScheme, obj=scheme)
    if scheme.is_active:
        raise ValidationError(_("已启用的方案不能删除：先启用同年度的另一个方案，本方案会自动变为草稿。"))
    audited_delete(scheme, message=message)
