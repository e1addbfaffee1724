"""The differentiated-policy list (差别化政策名单) of a run, per class, for the power, water and gas companies.

The workbook is read by people outside the platform, so it says on its first row which zone, year, version
and status it comes from; every download is recorded as a security event, like every other export.
"""

import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.audit.models import SecurityEventKind
from gaoxin.core.audit.services import security_event_record
from gaoxin.core.imports.workbooks import HEADER, SAFE

from ..models import EvaluationResult, EvaluationRun
from ..selectors.runs import class_order, rounded_score

# The policy orientation of each class (亩均论英雄: 资源要素差别化配置). A label a scheme names otherwise
# gets no orientation (blank) rather than a guess.
CLASS_POLICIES = {
    "A": gettext_lazy("优先保障"),
    "B": gettext_lazy("鼓励提升"),
    "C": gettext_lazy("倒逼提升（调控）"),
    "D": gettext_lazy("严格限制"),
}
SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
WIDTHS = (22, 36, 10, 14, 14, 10, 8, 40, 16)
CODE_COLUMNS = (0, 2)  # USCC and industry code: text, so Excel keeps leading zeros and all 18 characters


def class_policy(label: str) -> str:
    policy = CLASS_POLICIES.get(label)
    return str(policy) if policy else ""


def export_columns() -> list[str]:
    return [_("统一社会信用代码"), _("企业名称"), _("行业代码"), _("所属片区"), _("评价组"), _("综合得分"), _("档次"),
            _("调档说明"), _("政策导向")]


def adjustment_note(result: EvaluationResult) -> str:
    """Why the final class is not simply the computed one: the override with its reason, or the veto."""
    parts = []
    if result.override_kind:
        parts.append(_("%(kind)s：%(before)s → %(after)s，%(reason)s") % {
            "kind": result.get_override_kind_display(), "before": result.computed_class or "—",
            "after": result.final_class, "reason": result.override_reason})
    if result.veto:
        parts.append(_("一票否决：%(veto)s") % {"veto": result.veto})
    return "；".join(parts)


def _sheet_names(labels: list[str]) -> list[str]:
    names: list[str] = []
    for label in labels:
        base = (_("%(label)s类") % {"label": label}).translate(SHEET_FORBIDDEN).strip("'")[:28] or "_"
        name, n = base, 2
        while name.lower() in {x.lower() for x in names}:
            name, n = f"{base}{n}", n + 1
        names.append(name)
    return names


def evaluation_run_export(*, user, run: EvaluationRun, class_label: str = "", out) -> int:
    """Write the run's policy list (every class, or only `class_label`) as .xlsx to the binary file `out`.

    Lists the evaluated enterprises the user may read, by final class (overrides applied); 不参评
    enterprises have no class and are not listed. Returns the number of enterprises written.
    """
    if not EvaluationRun.objects.visible_to(user).filter(pk=run.pk).exists():
        raise PermissionDenied(_("该评价批次不在您的数据范围内。"))
    results = EvaluationResult.objects.visible_to(user).filter(run=run, exempt_reason="")
    present = set(results.exclude(final_class="").values_list("final_class", flat=True))
    labels = class_order(run, present, declared_too=True)
    if class_label:
        if class_label not in labels:
            raise ValidationError({"class": _("档次“%(label)s”不是本批次的档次；可选：%(labels)s。") % {
                "label": class_label, "labels": "、".join(labels)}})
        labels = [class_label]

    wb = xlsxwriter.Workbook(out, {"constant_memory": True, **SAFE})
    title_format = wb.add_format({"bold": True, "font_size": 13})
    header = wb.add_format(HEADER)
    text = wb.add_format({"num_format": "@"})
    score_format = wb.add_format({"num_format": "0.00"})
    title = _("%(zone)s %(year)s年度亩均效益评价差别化政策名单（第 %(version)s 版，%(status)s）") % {
        "zone": run.zone.name, "year": run.year, "version": run.version, "status": run.get_status_display()}
    columns = export_columns()
    count = 0
    for label, sheet_name in zip(labels, _sheet_names(labels), strict=True):
        ws = wb.add_worksheet(sheet_name)
        for col, width in enumerate(WIDTHS):
            ws.set_column(col, col, width)
        policy = class_policy(label)
        ws.write_string(0, 0, title, title_format)
        ws.write_string(1, 0, _("档次：%(label)s　政策导向：%(policy)s") % {"label": label, "policy": policy or "—"})
        for col, name in enumerate(columns):
            ws.write_string(2, col, name, header)
        ws.freeze_panes(3, 0)
        rows = results.filter(final_class=label).order_by("group_code", "rank", "uscc")
        for r, result in enumerate(rows.iterator(chunk_size=2000), start=3):
            cells = (result.uscc, result.name, result.industry_code, result.area, result.group_label, None,
                     result.final_class, adjustment_note(result), policy)
            for col, value in enumerate(cells):
                if value:  # an empty cell stays empty rather than holding ""
                    ws.write_string(r, col, value, text if col in CODE_COLUMNS else None)
            if result.score is not None:
                ws.write_number(r, 5, float(rounded_score(result.score)), score_format)
            count += 1
    if not labels:
        wb.add_worksheet(_("无档次"))
    wb.close()
    security_event_record(
        kind=SecurityEventKind.EXPORT, user=user, zone=run.zone,
        detail=f"evaluation_results: 导出 {count} 行, xlsx; {run.year}年度第{run.version}版"
               f"（{run.get_status_display()}）; 档次 {class_label or '全部'}",
    )
    return count
