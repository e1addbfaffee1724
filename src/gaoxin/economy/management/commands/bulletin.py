"""gaoxin bulletin --zone CODE --period P --format docx|html|md --output FILE: a zone's 经济运行简报.

P is cumulative from 1 January, read as `gaoxin stats` reads it (`2024-06`, `2024Q2`, `2024H1`, `2024`).
The file is written atomically — a temporary file in the same directory, renamed over FILE once complete —
so a failure leaves no file and never a half-written one.

Exit 0 with a one-line summary on stderr; 2 for a bad period, an unknown zone, a format other than docx, html
or md, or an output directory that does not exist; 1 when the period has no data to write about. Messages
in Chinese on stderr. The command reads the whole zone: a trusted caller, no user scope.
"""

import os
import uuid
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from gaoxin.accounts.management.commands._cli import EXIT_BAD_INPUT, EXIT_USAGE, GaoxinCommand
from gaoxin.accounts.models import Zone
from gaoxin.projects.engine import PERIOD_HELP, PeriodError, parse_period

from ...bulletin import compose
from ...document import Bulletin
from ...render.markdown import render_markdown
from ...selectors.bulletin import NoBulletinData, bulletin_input

FORMATS = ("docx", "html", "md")


def render(bulletin: Bulletin, output_format: str) -> bytes:
    """The file's bytes. The Word and HTML renderers are imported here, not at the top, so Markdown works
    (and is tested) on its own, without python-docx or the chart fonts being loaded."""
    if output_format == "docx":
        from ...render.docx import render_docx

        return render_docx(bulletin)
    if output_format == "html":
        from ...render.html import render_html

        return render_html(bulletin, standalone=True).encode("utf-8")
    return render_markdown(bulletin).encode("utf-8")


def write_atomically(path: Path, content: bytes) -> None:
    """Write to a temporary sibling, then rename it over `path` (atomic on the same file system)."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    # os.open with 0o666 lets the umask decide the mode, as a plain open() would (mkstemp would give 0600).
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class Command(GaoxinCommand):
    @property
    def help(self):  # argparse needs a real str
        return _("生成园区经济运行简报（Word、HTML 或 Markdown）。")

    def add_arguments(self, parser):
        parser.add_argument("--zone", required=True, metavar="CODE", help=_("园区代码"))
        parser.add_argument("--period", required=True, metavar="P", help=PERIOD_HELP)
        # Checked in handle(), not with argparse choices, so the message is in Chinese.
        parser.add_argument("--format", dest="output_format", required=True, metavar="docx|html|md",
                            help=_("输出格式：docx、html 或 md"))
        parser.add_argument("--output", required=True, metavar="FILE", help=_("输出文件路径"))

    def handle(self, *args, zone, period, output_format, output, **options):
        fmt = output_format.strip().lower()
        if fmt not in FORMATS:
            raise CommandError(_("输出格式“%(format)s”不受支持，应为 docx、html 或 md。") % {"format": output_format},
                               returncode=EXIT_USAGE)
        try:
            parsed = parse_period(period)
        except PeriodError as exc:
            raise CommandError(str(exc), returncode=EXIT_USAGE) from None
        target = Zone.objects.filter(code=zone).first()
        if target is None:
            raise CommandError(_("园区代码“%(code)s”不存在。") % {"code": zone}, returncode=EXIT_USAGE)
        path = Path(output)
        if path.is_dir():
            raise CommandError(_("输出路径“%(path)s”是一个目录，请给出文件名。") % {"path": output},
                               returncode=EXIT_USAGE)
        if not path.parent.is_dir():
            raise CommandError(_("输出目录“%(dir)s”不存在。") % {"dir": str(path.parent)}, returncode=EXIT_USAGE)
        try:
            bulletin = compose(bulletin_input(zone=target, period=parsed))
        except NoBulletinData as exc:
            raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from None
        content = render(bulletin, fmt)
        try:
            write_atomically(path, content)
        except OSError as exc:
            raise CommandError(_("无法写入“%(path)s”：%(error)s") % {"path": output, "error": exc.strerror or exc},
                               returncode=EXIT_BAD_INPUT) from None
        tables = sum(len(s.tables) for s in bulletin.sections)
        charts = sum(len(s.charts) for s in bulletin.sections)
        self.stderr.write(_("已生成《%(title)s》（%(format)s，%(sections)d 节，%(tables)d 张表，%(charts)d 张图，"
                            "%(size)d 字节）：%(path)s") % {
            "title": bulletin.title, "format": fmt, "sections": len(bulletin.sections), "tables": tables,
            "charts": charts, "size": len(content), "path": output}, style_func=lambda text: text)  # not red
