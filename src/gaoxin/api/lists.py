"""List endpoints: pagination, whitelisted ordering and filter validation, shared by every register."""

from math import ceil
from typing import Literal

from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field

from .errors import ApiError, NotFound, field_errors_from_form

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# Far beyond any register; bounds the OFFSET the database is asked for.
MAX_PAGE = 1_000_000


class ListParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description=_("页码，从 1 开始"))
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE,
                           description=format_lazy(_("每页条数，默认 {default}，最多 {maximum}"),
                                                   default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE))


def ordering_choices(*fields: str):
    """`name` ascending, `-name` descending — only over the given fields (a Literal, so OpenAPI lists them)."""
    return Literal[tuple(value for f in fields for value in (f, f"-{f}"))]


def order(qs: QuerySet, ordering: str | None) -> QuerySet:
    if not ordering:
        return qs
    # the primary key breaks ties so that pages do not overlap or skip rows
    return qs.order_by(ordering, "-pk" if ordering.startswith("-") else "pk")


def validated_filters(filterset_class, params: dict) -> dict:
    """The non-empty filter values as strings, after the FilterSet's own form accepted them.

    django-filter silently drops a value its form rejects, which would widen the result; the API says 400.
    """
    data = {k: str(v) for k, v in params.items() if v is not None and v != ""}
    filterset = filterset_class(data, queryset=filterset_class._meta.model.objects.none())
    if not filterset.form.is_valid():
        raise ApiError(400, "invalid_request", gettext("筛选条件有误，请按字段说明修改。"),
                       field_errors_from_form(filterset.form.errors))
    return data


def paginate(qs: QuerySet, *, page: int, page_size: int) -> dict:
    count = qs.count()
    pages = max(1, ceil(count / page_size))
    if page > pages:
        raise NotFound(gettext("第 %(page)s 页不存在：共 %(count)s 条记录、%(pages)s 页。")
                       % {"page": page, "count": count, "pages": pages})
    start = (page - 1) * page_size
    return {"count": count, "page": page, "page_size": page_size, "results": list(qs[start:start + page_size])}
