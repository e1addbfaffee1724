"""Checking a whole table against a spec: every error of every row, with no query per row.

Order of checks: headers; each cell through its column's parser; duplicate keys within the file;
records kept by another department; the spec's completion (references, derived defaults); and last
the model's own clean() on an unsaved instance built from cached related rows, so that cross-field
rules live in one place, the model.
"""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from .parsers import CellError, display, is_blank
from .reader import Table, header_key
from .spec import ImportSpec, RowError

LOOKUP_CHUNK = 900  # values per IN (...) query; below every backend's parameter limit


@dataclass
class Validation:
    rows: list[dict] = field(default_factory=list)  # completed rows, in file order, for the writer
    errors: list[RowError] = field(default_factory=list)
    row_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def match_headers(spec: ImportSpec, table: Table):
    """(mapping [(cell index, column)], unnamed cell indexes, errors); mapping is None when rows cannot be read."""
    known = {header_key(c.header): c for c in spec.columns}
    errors: list[RowError] = []
    mapping, unnamed, seen = [], [], {}
    blocking = False
    for index, text in enumerate(table.headers):
        if is_blank(text):
            unnamed.append(index)
            continue
        column = known.get(header_key(text))
        if column is None:
            errors.append(RowError(
                table.header_row, display(text), "",
                _("未知的列（第 %(letter)s 列）：模板中没有这一列。请删除该列，或改用模板中的列名：%(names)s。") % {
                    "letter": column_letter(index), "names": "、".join(c.title for c in spec.columns)},
            ))
        elif column.field in seen:
            blocking = True
            errors.append(RowError(
                table.header_row, column.header, display(text),
                _("列“%(name)s”出现了两次（第 %(first)s 列和第 %(second)s 列），请只保留一列。") % {
                    "name": column.header, "first": column_letter(seen[column.field]), "second": column_letter(index)},
            ))
        else:
            seen[column.field] = index
            mapping.append((index, column))
    for column in spec.columns:
        if column.required and column.field not in seen:
            blocking = True
            errors.append(RowError(table.header_row, column.header, "", _("缺少必填列“%(name)s”。") % {"name": column.title}))
    return (None if blocking else mapping), unnamed, errors


def fetch_existing(spec: ImportSpec, *, zone, keys: list) -> dict:
    """The zone's records whose natural key occurs in the file, by key, with `existing_related` joined."""
    found = {}
    qs = spec.model.objects.filter(zone=zone).select_related(*spec.existing_related)
    for start in range(0, len(keys), LOOKUP_CHUNK):
        for obj in qs.filter(**{f"{spec.key}__in": keys[start:start + LOOKUP_CHUNK]}):
            found[getattr(obj, spec.key)] = obj
    return found


def _clean_errors(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [(name, message) for name, messages in exc.message_dict.items() for message in messages]
    return [(NON_FIELD_ERRORS, message) for message in exc.messages]


def validate(spec: ImportSpec, table: Table, *, zone, department) -> Validation:
    mapping, unnamed, errors = match_headers(spec, table)
    if mapping is None:
        return Validation(errors=errors, row_count=len(table.rows))
    index_of = {column.field: index for index, column in mapping}
    by_error_field = {column.error_field: column for column in spec.columns}
    key_column = spec.key_column
    required = _("必填项不能为空。")

    # 1. cells
    parsed: list[tuple[int, dict, list]] = []  # rows whose every cell parsed
    keys_seen: dict[object, int] = {}
    unnamed_reported = False
    for number, cells in table.rows:
        values: dict = {}
        failed = False
        width = len(cells)
        for index, column in mapping:
            raw = cells[index] if index < width else ""
            if is_blank(raw):
                if column.required:
                    errors.append(RowError(number, column.header, "", required))
                    failed = True
                elif not column.keep_if_blank:
                    values[column.field] = column.parser.blank
                continue
            try:
                values[column.field] = column.parser.parse(raw)
            except CellError as exc:
                errors.append(RowError(number, column.header, display(raw), exc.reason))
                failed = True
        if unnamed and not unnamed_reported:
            for index in unnamed:
                if index < width and not is_blank(cells[index]):
                    errors.append(RowError(
                        number, _("第 %(letter)s 列") % {"letter": column_letter(index)}, display(cells[index]),
                        _("该列没有列名却填写了数据：请删除这些数据，或补上模板中的列名。"),
                    ))
                    unnamed_reported = True
                    break
        # 2. duplicate keys, whenever the key itself is valid
        key = spec.key_of(values)
        if key is not None:
            first = keys_seen.setdefault(key, number)
            if first != number:
                errors.append(RowError(
                    number, key_column.header, display(cells[index_of[spec.key]]),
                    _("第 %(first)s 行和第 %(second)s 行的%(key)s相同：同一%(label)s在文件中只能出现一次。") % {
                        "first": first, "second": number, "key": spec.key_label, "label": spec.label},
                ))
                failed = True
        if not failed:
            parsed.append((number, values, cells))

    # 3. records already in the zone, other departments' records, completion and clean()
    existing_by_key = spec.existing_for(zone=zone, rows=[values for _n, values, _c in parsed])
    context = spec.prepare(zone=zone, rows=[values for _n, values, _c in parsed])
    completed: list[dict] = []
    for number, values, cells in parsed:
        existing = existing_by_key.get(spec.key_of(values))

        def error(field_name: str, reason: str, number=number, cells=cells) -> RowError:
            column = by_error_field.get(field_name)
            if column is None:
                return RowError(number, "", "", reason)
            index = index_of.get(column.field)
            raw = cells[index] if index is not None and index < len(cells) else ""
            return RowError(number, column.header, display(raw), reason)

        if existing is not None and existing.department_id != department.pk:
            # the upsert service refuses these as well; saying so per row tells the user which
            errors.append(error(spec.key, _("该%(label)s由“%(department)s”维护，本部门不能通过导入修改。") % {
                "label": spec.label, "department": existing.department}))
            continue
        problems = spec.complete(values, existing=existing, context=context)
        if problems:
            errors.extend(error(name, reason) for name, reason in problems)
            continue
        instance = spec.instance(values, existing=existing, zone=zone, department=department, context=context)
        try:
            instance.clean()
        except ValidationError as exc:
            errors.extend(error(name, message) for name, message in _clean_errors(exc))
            continue
        completed.append(values)

    order = {column.header: i for i, column in enumerate(spec.columns)}
    errors.sort(key=lambda e: (e.row or 0, order.get(e.column, len(order))))
    return Validation(rows=[] if errors else completed, errors=errors, row_count=len(table.rows))
