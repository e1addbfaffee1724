"""Schemas and field types every part of the API shares.

Amounts and areas travel as strings of decimals ("6666.67"), never as JSON numbers: a float cannot hold
every two-decimal value exactly. On input a JSON number is accepted too, but a string is recommended.
"""

from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field

# Primary keys are 64-bit; a larger number would overflow the database driver instead of finding nothing.
MAX_PK = 2**63 - 1


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL characters in text; say so instead of failing in the database.
    if "\x00" in value:
        raise ValueError(gettext("不能包含空字符（\\x00）。"))
    return value


def _none_to_blank(value):
    return "" if value is None else value


Text = Annotated[str, AfterValidator(_no_nul)]
# An optional text field: null and a missing value both mean blank, as in the web forms.
OptText = Annotated[str, BeforeValidator(_none_to_blank), AfterValidator(_no_nul)]


def decimal_field(*, max_digits: int, decimal_places: int, description: str):
    return Annotated[
        Decimal,
        Field(max_digits=max_digits, decimal_places=decimal_places, gt=0, allow_inf_nan=False,
              description=description, json_schema_extra={"examples": ["6666.67"]}),
    ]


class InputSchema(Schema):
    """Request bodies: unknown fields are an error, so a misspelt or read-only field is not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class FieldError(Schema):
    field: str | None = Field(None, description=_("出错的字段；为空表示不针对某一字段"))
    message: str = Field(..., description=_("中文说明"))


class ErrorOut(Schema):
    code: str = Field(..., description=_("机器可读的错误代码，如 invalid_request、invalid、unauthorized、"
                                         "forbidden、not_found、conflict、invalid_json"))
    message: str = Field(..., description=_("中文说明"))
    errors: list[FieldError] | None = Field(None, description=_("逐字段的错误（如有）"))


ERROR_RESPONSES = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class DepartmentRef(Schema):
    id: int
    name: str


class PageOut(Schema):
    count: int = Field(..., description=_("符合条件的记录总数"))
    page: int = Field(..., description=_("当前页码，从 1 开始"))
    page_size: int = Field(..., description=_("每页条数"))
