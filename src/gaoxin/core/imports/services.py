"""The doors' one entry into importing and exporting: read → validate → write all or nothing, audited."""

from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gaoxin.core.audit.context import acting_as, actor_for_user, current_actor
from gaoxin.core.audit.models import SecurityEventKind
from gaoxin.core.audit.services import security_event_record
from gaoxin.core.services import require_register_write

from .reader import ImportFileError, Table, header_key, read_table
from .spec import Counts, ImportSpec, RowError
from .validation import Validation, validate
from .workbooks import write_export

WRITE_BATCH = 5000  # rows per service call, all inside one transaction (keeps IN lists and memory bounded)


class DepartmentNotFound(LookupError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def resolve_department(*, zone, spec: ImportSpec, code: str | None = None):
    """The department a system (CLI) import writes into: `code` if given, else the kind's usual department.

    The only place that knows the defaults (经信局 `jxj` for enterprises, 建设局 `jsj` for parcels), so a
    per-zone setting can replace it without touching the commands.
    """
    from gaoxin.accounts.models import Department

    wanted = code or spec.default_department_code
    department = Department.objects.filter(zone=zone, code=wanted).first()
    if department is not None:
        return department
    if code:
        raise DepartmentNotFound(_("园区“%(zone)s”中没有代码为“%(code)s”的部门。") % {"zone": zone.code, "code": code})
    raise DepartmentNotFound(_("园区“%(zone)s”中没有默认部门“%(code)s”，请用 --dept 指定导入%(label)s所属部门的代码。") % {
        "zone": zone.code, "code": wanted, "label": spec.label})


@dataclass
class ImportOutcome:
    spec: ImportSpec
    filename: str
    row_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    counts: Counts | None = None

    @property
    def ok(self) -> bool:
        return self.counts is not None

    @property
    def error_count(self) -> int:
        return len(self.errors) + (1 if self.file_error else 0)


def read(spec: ImportSpec, *, data: bytes, filename: str) -> Table:
    known = frozenset(header_key(c.header) for c in spec.columns)
    return read_table(data, filename=filename, sheet_name=spec.sheet_name, known_headers=known)


def write(spec: ImportSpec, validation: Validation, *, zone, department, user=None, filename: str = "") -> Counts:
    """Write validated rows in one transaction through the spec's service, then record the import event."""
    if not validation.ok:
        raise ValueError("refusing to write a table with errors")
    message = f"Excel 导入：{filename}"[:200] if filename else "Excel 导入"
    counts = Counts()
    rows = validation.rows
    with transaction.atomic():
        for start in range(0, len(rows), WRITE_BATCH):
            result = spec.write_file(zone=zone, department=department, rows=rows[start:start + WRITE_BATCH],
                                     user=user, message=message, filename=filename)
            counts += Counts(result.created, result.updated, result.unchanged)
        security_event_record(
            kind=SecurityEventKind.IMPORT, user=user, zone=zone,
            detail=f"{spec.kind}: 新增 {counts.created}, 更新 {counts.updated}, 未变更 {counts.unchanged}"
                   + (f"; 文件 {filename}" if filename else ""),
        )
    return counts


def file_import(*, spec: ImportSpec, data: bytes, filename: str, zone, department, user=None) -> ImportOutcome:
    """Import a whole file into `department` of `zone`: every row valid and written, or nothing written.

    `user` is the person importing (must be staff of that department); None for the trusted CLI.
    Returns the counts, or every error found; raises PermissionDenied for a user who may not import.
    """
    require_register_write(user=user, model=spec.model, zone=zone, department=department)
    with _as_user(user):
        return _file_import(spec=spec, data=data, filename=filename, zone=zone, department=department, user=user)


def _as_user(user):
    """Audit rows name the importing user even when the caller set no request context (tests, jobs)."""
    actor = current_actor()
    if user is None or getattr(actor.user, "pk", None) == user.pk:
        return nullcontext()
    return acting_as(actor_for_user(user, via=actor.via))


def _file_import(*, spec, data, filename, zone, department, user) -> ImportOutcome:
    outcome = ImportOutcome(spec=spec, filename=filename)
    try:
        table = read(spec, data=data, filename=filename)
    except ImportFileError as exc:
        outcome.file_error = exc.message
        _record_failure(outcome, user=user, zone=zone)
        return outcome
    outcome.row_count = len(table.rows)

    validation = validate(spec, table, zone=zone, department=department)
    if not validation.ok:
        outcome.errors = validation.errors
        _record_failure(outcome, user=user, zone=zone)
        return outcome

    try:
        outcome.counts = write(spec, validation, zone=zone, department=department, user=user, filename=filename)
    except ValidationError as exc:  # a rule only the service knows
        outcome.errors = [RowError(None, "", "", message) for message in exc.messages]
        _record_failure(outcome, user=user, zone=zone)
    except IntegrityError:  # somebody created the same key between validation and write
        outcome.errors = [RowError(None, "", "", _("导入期间数据被他人同时修改，未写入任何数据；请重新导入。"))]
        _record_failure(outcome, user=user, zone=zone)
    return outcome


def _record_failure(outcome: ImportOutcome, *, user, zone) -> None:
    security_event_record(
        kind=SecurityEventKind.IMPORT, success=False, user=user, zone=zone,
        detail=f"{outcome.spec.kind}: 未写入, {outcome.error_count} 处错误; 文件 {outcome.filename}",
    )


def records_export(*, spec: ImportSpec, objects: Iterable, fmt: str, out, user=None, zone=None,
                   description: str = "") -> int:
    """Write `objects` (a queryset the caller scoped) to the binary file `out`, and record the export."""
    if hasattr(objects, "iterator"):
        objects = objects.iterator(chunk_size=2000)
    count = write_export(spec, objects, fmt=fmt, out=out)
    security_event_record(
        kind=SecurityEventKind.EXPORT, user=user, zone=zone,
        detail=f"{spec.kind}: 导出 {count} 行, {fmt}" + (f"; {description}" if description else ""),
    )
    return count
