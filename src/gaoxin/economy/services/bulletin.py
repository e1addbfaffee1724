"""The bulletin as a file to download (.docx, standalone .html, .md), recorded like every other export.

The bulletin is the zone's: leaders and department staff of the zone may take it out; anyone else gets a
PermissionDenied before anything is read. Each download is a security event (数据导出) naming the period and
the format, as the statistics workbook's is.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import SecurityEventKind
from gaoxin.core.audit.services import security_event_record
from gaoxin.core.permissions import Role
from gaoxin.projects.engine import Period

from ..bulletin import compose
from ..document import Bulletin
from ..selectors.bulletin import bulletin_input

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {
    "docx": DOCX,
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}
READERS = (Role.ZONE_LEADER, Role.DEPARTMENT_STAFF)


@dataclass(frozen=True)
class BulletinFile:
    filename: str
    content_type: str
    content: bytes


def require_bulletin_reader(user) -> None:
    if getattr(user, "role", None) not in READERS or getattr(user, "zone", None) is None:
        raise PermissionDenied(_("只有本园区的领导和部门工作人员可以查看和下载经济运行简报。"))


def bulletin_render(bulletin: Bulletin, fmt: str) -> bytes:
    """The bulletin in one of FORMATS (a ValueError names an unknown one)."""
    # Imported here: python-docx and matplotlib load when a bulletin is rendered, not with every page.
    if fmt == "docx":
        from ..render.docx import render_docx

        return render_docx(bulletin)
    if fmt == "html":
        from ..render.html import render_html

        return render_html(bulletin, standalone=True).encode("utf-8")
    if fmt == "md":
        from ..render.markdown import render_markdown

        return render_markdown(bulletin).encode("utf-8")
    raise ValueError(_("不支持的格式“%(fmt)s”，应为 docx、html 或 md。") % {"fmt": fmt})


def bulletin_export(*, user, period: Period, fmt: str) -> BulletinFile:
    """The zone's bulletin of `period` as a file; raises NoBulletinData when the period has no figure."""
    require_bulletin_reader(user)
    if fmt not in FORMATS:
        raise ValueError(_("不支持的格式“%(fmt)s”，应为 docx、html 或 md。") % {"fmt": fmt})
    bulletin = compose(bulletin_input(zone=user.zone, period=period))
    content = bulletin_render(bulletin, fmt)
    security_event_record(kind=SecurityEventKind.EXPORT, user=user, zone=user.zone,
                          detail=f"economy_bulletin: {period.label}, {fmt}")
    return BulletinFile(filename=f"{bulletin.title}.{fmt}", content_type=FORMATS[fmt], content=content)
