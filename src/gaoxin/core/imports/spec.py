"""Import specs: one declarative description per kind of record, used by the page, the CLI, the
template and the export alike.

A spec names the columns (Chinese header, parser, whether required), the natural key, how a parsed
row is completed (references resolved, defaults derived), and the service that writes. The
framework (validation.py, services.py) does the rest the same way for every kind.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import models

from .parsers import Parser


@dataclass(frozen=True)
class RowError:
    """One problem, located as the user sees it: row number (header row = 1) and column header."""

    row: int | None
    column: str
    value: str
    reason: str

    def as_list(self) -> list:
        return [self.row, self.column, self.value, self.reason]


@dataclass(frozen=True)
class Column:
    header: str  # without the required mark, e.g. "统一社会信用代码"
    field: str  # key of the parsed row dict (usually the model field)
    parser: Parser
    required: bool = False
    help: str = ""  # what the column means, for the header comment and the instructions sheet
    # the model field whose clean() errors belong to this column, when it differs from `field`
    model_field: str = ""
    # an empty cell leaves the stored value alone (new records get the model's default)
    keep_if_blank: bool = False
    # drop-down values offered in the template that may be exceeded (Excel shows a warning only)
    suggestions: Callable[[Any], list[str]] | None = None
    example: object = ""
    width: int = 16
    export: Callable[[models.Model], object] | None = None

    @property
    def title(self) -> str:
        return f"{self.header}*" if self.required else self.header

    @property
    def error_field(self) -> str:
        return self.model_field or self.field

    def export_value(self, obj: models.Model):
        return self.export(obj) if self.export is not None else getattr(obj, self.field)


@dataclass(frozen=True)
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other) -> "Counts":
        return Counts(self.created + other.created, self.updated + other.updated, self.unchanged + other.unchanged)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


class ImportSpec(ABC):
    """Subclass per kind, set the attributes, implement the writer and the querysets, then `register()`."""

    kind: str  # URL and CLI name, e.g. "enterprises"
    label: str  # "企业"
    model: type[models.Model]
    key: str  # field of the natural key (upsert by it); the column named in key errors when `key_of` is overridden
    columns: tuple[Column, ...]
    sheet_name: str  # the template's data sheet; preferred when reading a workbook
    list_url: str  # where a successful import leads, e.g. "enterprises:list"
    default_department_code: str  # the department a system import writes into by default
    notes: tuple[str, ...] = ()  # kind-specific rules for the instructions sheet
    # related rows fetched with existing records so that clean() runs without a query per row
    existing_related: tuple[str, ...] = ("department",)

    # --- columns ---
    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)

    @property
    def key_column(self) -> Column:
        return self.column(self.key)

    @property
    def key_label(self) -> str:
        """How the natural key is named in messages and the instructions ("统一社会信用代码和评价年度")."""
        return self.key_column.header

    @property
    def template_filename(self) -> str:
        return f"{self.label}导入模板.xlsx"

    # --- the natural key: one field by default; a kind keyed by several overrides these two together ---
    def key_of(self, values: dict):
        """The natural key of a parsed row (hashable), or None while a part of it is missing or invalid."""
        return values.get(self.key)

    def existing_for(self, *, zone, rows: list[dict]) -> dict:
        """The zone's records the file's rows refer to, by `key_of`, with `existing_related` joined."""
        from .validation import fetch_existing

        return fetch_existing(self, zone=zone, keys=[self.key_of(r) for r in rows])

    # --- validation hooks ---
    def prepare(self, *, zone, rows: list[dict]) -> object:
        """Fetch, in a few queries, whatever `complete` needs for all rows (e.g. referenced records)."""
        return None

    def complete(self, row: dict, *, existing, context) -> list[tuple[str, str]]:
        """Resolve references and derive defaults in `row` (in place); return (field, reason) problems."""
        return []

    def instance(self, row: dict, *, existing, zone, department, context) -> models.Model:
        """An unsaved record as it would be after the write, to run the model's clean() on.

        Built positionally, with zone and department put in the relation cache, because this runs once
        per row: keyword construction and descriptor assignment cost three times as much.
        """
        fields, positions, defaults = self._layout
        if existing is None:
            values = list(defaults)
        else:
            values = [getattr(existing, f.attname) for f in fields]
        for name, value in row.items():
            index = positions.get(name)
            if index is not None:
                values[index] = value
        values[positions["zone_id"]] = zone.pk
        values[positions["department_id"]] = department.pk
        obj = self.model(*values)
        fields[positions["zone_id"]].set_cached_value(obj, zone)
        fields[positions["department_id"]].set_cached_value(obj, department)
        return obj

    @cached_property
    def _layout(self):
        fields = list(self.model._meta.concrete_fields)
        positions = {f.attname: i for i, f in enumerate(fields)} | {f.name: i for i, f in enumerate(fields)}
        # defaults are evaluated once: these instances are only cleaned, never saved
        defaults = tuple(f.get_default() for f in fields)
        return fields, positions, defaults

    # --- writing and reading ---
    @abstractmethod
    def write(self, *, zone, department, rows: list[dict], user, message: str) -> Counts:
        """Upsert validated rows through the app's service (inside the caller's transaction)."""

    def write_file(self, *, zone, department, rows: list[dict], user, message: str, filename: str) -> Counts:
        """What the framework calls for an uploaded file: `write`, unless the kind records the file's name."""
        return self.write(zone=zone, department=department, rows=rows, user=user, message=message)

    @abstractmethod
    def queryset_for_user(self, *, user, filters: dict | None) -> models.QuerySet:
        """What the user sees on the list page with these filters: what the export writes."""

    @abstractmethod
    def queryset_for_zone(self, *, zone) -> models.QuerySet:
        """Every record of the zone, for the trusted command line export."""

    def export_row(self, obj: models.Model) -> list:
        return [c.export_value(obj) for c in self.columns]
