"""Imports and exports of the 智改数转 register, each keyed by the enterprise's USCC and a name or date:

- `transformation-projects`      统一社会信用代码 + 项目名称
- `transformation-measurements`  统一社会信用代码 + 项目名称 + 指标 (the project must be registered first)
- `rnd-institutions`             统一社会信用代码 + 机构名称
- `recognitions`                 统一社会信用代码 + 认定类型 + 认定日期

The enterprise must be registered in the zone, whichever department keeps it; 企业名称 is only for checking.
Headers and choice values are the file format: never translated.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.imports import Column, Counts, ImportSpec, register
from gaoxin.core.imports.parsers import USCC, Boolean, Choice, Date, DecimalNumber, Text
from gaoxin.core.imports.validation import LOOKUP_CHUNK
from gaoxin.enterprises.models import Enterprise

from .models import (
    InstitutionKind,
    InstitutionLevel,
    Kind,
    Level,
    Measurement,
    Metric,
    Recognition,
    RecognitionKind,
    RndInstitution,
    TransformationProject,
)
from .selectors.institutions import institutions_for_user
from .selectors.projects import projects_for_user
from .selectors.recognitions import recognitions_for_user
from .services.institutions import institutions_upsert
from .services.measurements import measurements_upsert
from .services.projects import projects_upsert
from .services.recognitions import recognitions_upsert

WAN = gettext_lazy("万元")
ZERO = Decimal("0")
DEPARTMENT = "jxj"  # 经信局 keeps the 智改数转 register in most zones


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def _uscc_column() -> Column:
    return Column("统一社会信用代码", "uscc", USCC(), required=True, width=22, example="91350100M000100Y43",
                  export=lambda obj: obj.enterprise.uscc,
                  help=gettext_lazy("企业的 18 位统一社会信用代码；企业须已在本园区登记。"))


def _name_column(export) -> Column:
    return Column("企业名称", "enterprise_name", Text(200), width=30, example="示范科技有限公司", export=export,
                  help=gettext_lazy("仅供核对，不导入：企业以统一社会信用代码为准。"))


def _flag(field: str):
    return lambda obj: Boolean.text(getattr(obj, field))


def _enterprises_by_uscc(zone, codes) -> dict:
    codes = sorted(set(codes))
    found = {}
    qs = Enterprise.objects.filter(zone=zone).only("id", "zone_id", "uscc", "name")
    for start in range(0, len(codes), LOOKUP_CHUNK):
        found.update({e.uscc: e for e in qs.filter(uscc__in=codes[start:start + LOOKUP_CHUNK])})
    return found


def _unknown_enterprise(uscc: str) -> tuple[str, str]:
    return "uscc", _("本园区没有统一社会信用代码为“%(code)s”的企业，请先登记或导入该企业。") % {"code": uscc}


class _EnterpriseKeyed(ImportSpec):
    """Rows name their enterprise by USCC; the enterprise is resolved in `complete` and cached on the
    instance that clean() checks (it compares the enterprise's zone)."""

    list_url = ""
    default_department_code = DEPARTMENT
    existing_related = ("department", "enterprise")
    notes = (
        gettext_lazy("7. 企业按统一社会信用代码识别，须已在本园区登记（可先导入企业）；企业名称仅供核对，不导入。"),
    )

    def prepare(self, *, zone, rows):
        return {"enterprises": _enterprises_by_uscc(zone, [r["uscc"] for r in rows])}

    def complete(self, row, *, existing, context):
        enterprise = context["enterprises"].get(row["uscc"])
        if enterprise is None:
            return [_unknown_enterprise(row["uscc"])]
        row["enterprise_id"] = enterprise.pk
        return []

    def instance(self, row, *, existing, zone, department, context):
        obj = super().instance(row, existing=existing, zone=zone, department=department, context=context)
        enterprise = context["enterprises"].get(row.get("uscc"))
        if enterprise is not None:
            self.model._meta.get_field("enterprise").set_cached_value(obj, enterprise)
        return obj

    def _existing(self, *, zone, rows, key_of) -> dict:
        codes = sorted({r["uscc"] for r in rows})
        wanted = {self.key_of(r) for r in rows}
        found = {}
        qs = self.model.objects.filter(zone=zone).select_related(*self.existing_related)
        for start in range(0, len(codes), LOOKUP_CHUNK):
            for obj in qs.filter(enterprise__uscc__in=codes[start:start + LOOKUP_CHUNK]):
                key = key_of(obj)
                if key in wanted:
                    found[key] = obj
        return found


class ProjectImport(_EnterpriseKeyed):
    kind = "transformation-projects"
    label = gettext_lazy("智改数转项目")
    model = TransformationProject
    key = "name"  # the column a duplicate-key error points at; the key itself is (uscc, name), see key_of
    sheet_name = "智改数转项目"
    list_url = "transformation:project_list"
    columns = (
        _uscc_column(),
        _name_column(lambda p: p.enterprise.name),
        Column("项目名称", "name", Text(_max_length(TransformationProject, "name")), required=True, width=36,
               example="功率半导体与集成电路可靠性检测数字化车间",
               help=gettext_lazy("同一企业的项目名称不能重复：已登记的项目按企业和项目名称更新。")),
        Column("项目类型", "kind", Choice(Kind), required=True, width=14, example="数字化车间",
               help=gettext_lazy("智能化改造、数字化改造、绿色化改造按开始实施日期计数；智能工厂、数字化车间、"
                                 "数字化生产线按认定日期计数。")),
        Column("开始实施日期", "started_on", Date(), required=True, width=12, example=dt.date(2023, 7, 1)),
        Column("完成日期", "completed_on", Date(), width=12, example=dt.date(2024, 3, 31),
               help=gettext_lazy("不能早于开始实施日期；未完成的留空。")),
        Column("设备投资（万元）", "equipment_investment_wan", DecimalNumber(max_digits=14, places=2, minimum=ZERO,
                                                                          unit=WAN),
               keep_if_blank=True, width=14, example="2380.00", help=gettext_lazy("留空为 0（已登记的保持原值）。")),
        Column("软件投资（万元）", "software_investment_wan", DecimalNumber(max_digits=14, places=2, minimum=ZERO,
                                                                         unit=WAN),
               keep_if_blank=True, width=14, example="420.00", help=gettext_lazy("留空为 0（已登记的保持原值）。")),
        Column("认定级别", "level", Choice(Level), width=10, example="市级",
               help=gettext_lazy("与认定日期同时填写或同时留空。")),
        Column("认定日期", "certified_on", Date(), width=12, example=dt.date(2024, 5, 20),
               help=gettext_lazy("认定文件的日期；不能早于开始实施日期。")),
        Column("认定文件", "certificate", Text(_max_length(TransformationProject, "certificate")), width=24,
               example="示范高新经信发〔2024〕18号"),
        Column("建设内容", "description", Text(5000), width=36, example="建设可靠性检测数字化车间，实现检测设备联网"),
        Column("典型案例", "featured", Boolean(), keep_if_blank=True, width=10, example="否", export=_flag("featured"),
               help=gettext_lazy("是：写入经济运行简报的产业转型部分（须有改造前后的测量数据）。留空为否（已登记的保持原值）。")),
    )
    notes = (
        *_EnterpriseKeyed.notes,
        gettext_lazy("8. 每个项目一行，按统一社会信用代码和项目名称识别：已有的更新，没有的新增。"),
    )

    @property
    def key_label(self) -> str:
        return _("统一社会信用代码和项目名称")

    def key_of(self, values):
        uscc, name = values.get("uscc"), values.get("name")
        return None if not uscc or not name else (uscc, name)

    def existing_for(self, *, zone, rows):
        return self._existing(zone=zone, rows=rows, key_of=lambda p: (p.enterprise.uscc, p.name))

    def write(self, *, zone, department, rows, user, message) -> Counts:
        result = projects_upsert(zone=zone, department=department, rows=rows, user=user, message=message)
        return Counts(result.created, result.updated, result.unchanged)

    def queryset_for_user(self, *, user, filters) -> QuerySet:
        return projects_for_user(user=user, filters=filters).order_by("enterprise__uscc", "name")

    def queryset_for_zone(self, *, zone) -> QuerySet:
        return (TransformationProject.objects.filter(zone=zone).select_related("enterprise")
                .order_by("enterprise__uscc", "name"))


class MeasurementImport(ImportSpec):
    kind = "transformation-measurements"
    label = gettext_lazy("改造前后测量")
    model = Measurement
    key = "metric"  # the column a duplicate-key error points at; the key is (uscc, project name, metric)
    sheet_name = "改造前后测量"
    list_url = "transformation:project_list"
    default_department_code = DEPARTMENT
    existing_related = ("department", "project", "project__enterprise")
    columns = (
        Column("统一社会信用代码", "uscc", USCC(), required=True, width=22, example="91350100M000100Y43",
               export=lambda m: m.project.enterprise.uscc,
               help=gettext_lazy("项目所属企业的 18 位统一社会信用代码。")),
        _name_column(lambda m: m.project.enterprise.name),
        Column("项目名称", "project_name", Text(_max_length(TransformationProject, "name")), required=True, width=36,
               example="功率半导体与集成电路可靠性检测数字化车间", export=lambda m: m.project.name,
               help=gettext_lazy("该企业已登记的智改数转项目名称（可先导入智改数转项目）。")),
        Column("指标", "metric", Choice(Metric), required=True, width=10, example="效率",
               help=gettext_lazy("效率以提高为好；不良率、运营成本、单位能耗以降低为好。每个项目每个指标一行。")),
        Column("指标名称", "label", Text(_max_length(Measurement, "label")), width=14, example="检测效率",
               help=gettext_lazy("简报中的说法，如“检测效率”；留空用指标名。")),
        Column("计量单位", "unit", Text(_max_length(Measurement, "unit")), required=True, width=12, example="批次/小时"),
        Column("改造前数值", "before_value", DecimalNumber(max_digits=16, places=4), required=True, width=14,
               example="1000.0000", help=gettext_lazy("须大于 0：变化幅度 =（改造后 − 改造前）÷ 改造前 × 100%。")),
        Column("改造前测量起", "before_from", Date(), required=True, width=12, example=dt.date(2023, 1, 1)),
        Column("改造前测量止", "before_to", Date(), required=True, width=12, example=dt.date(2023, 6, 30)),
        Column("改造后数值", "after_value", DecimalNumber(max_digits=16, places=4, minimum=ZERO), required=True,
               width=14, example="1121.4000"),
        Column("改造后测量起", "after_from", Date(), required=True, width=12, example=dt.date(2024, 1, 1),
               help=gettext_lazy("须晚于改造前测量止日。")),
        Column("改造后测量止", "after_to", Date(), required=True, width=12, example=dt.date(2024, 5, 31)),
        Column("数据来源", "source", Text(_max_length(Measurement, "source")), width=24, example="企业MES系统月报"),
    )
    notes = (
        gettext_lazy("7. 项目按统一社会信用代码和项目名称识别，须已登记且由本部门维护；企业名称仅供核对，不导入。"),
        gettext_lazy("8. 每个项目每个指标一行，按统一社会信用代码、项目名称和指标识别：已有的更新，没有的新增。"),
    )

    @property
    def key_label(self) -> str:
        return _("统一社会信用代码、项目名称和指标")

    def key_of(self, values):
        parts = (values.get("uscc"), values.get("project_name"), values.get("metric"))
        return None if not all(parts) else parts

    def existing_for(self, *, zone, rows):
        codes = sorted({r["uscc"] for r in rows})
        wanted = {self.key_of(r) for r in rows}
        found = {}
        qs = Measurement.objects.filter(zone=zone).select_related(*self.existing_related)
        for start in range(0, len(codes), LOOKUP_CHUNK):
            for m in qs.filter(project__enterprise__uscc__in=codes[start:start + LOOKUP_CHUNK]):
                key = (m.project.enterprise.uscc, m.project.name, m.metric)
                if key in wanted:
                    found[key] = m
        return found

    def prepare(self, *, zone, rows):
        codes = sorted({r["uscc"] for r in rows})
        projects = {}
        qs = TransformationProject.objects.filter(zone=zone).select_related("enterprise", "department")
        for start in range(0, len(codes), LOOKUP_CHUNK):
            for p in qs.filter(enterprise__uscc__in=codes[start:start + LOOKUP_CHUNK]):
                projects[(p.enterprise.uscc, p.name)] = p
        return {"projects": projects, "enterprises": set(_enterprises_by_uscc(zone, codes))}

    def complete(self, row, *, existing, context):
        project = context["projects"].get((row["uscc"], row["project_name"]))
        if project is None:
            if row["uscc"] not in context["enterprises"]:
                return [_unknown_enterprise(row["uscc"])]
            return [("project_name", _("该企业没有名为“%(name)s”的智改数转项目；请先登记或导入该项目。") % {
                "name": row["project_name"]})]
        row["project_id"] = project.pk
        return []

    def write(self, *, zone, department, rows, user, message) -> Counts:
        result = measurements_upsert(zone=zone, department=department, rows=rows, user=user, message=message)
        return Counts(result.created, result.updated, result.unchanged)

    def queryset_for_user(self, *, user, filters) -> QuerySet:
        projects = projects_for_user(user=user, filters=filters)
        return (Measurement.objects.visible_to(user).filter(project__in=projects.values("pk"))
                .select_related("project", "project__enterprise").order_by("project__enterprise__uscc",
                                                                           "project__name", "metric"))

    def queryset_for_zone(self, *, zone) -> QuerySet:
        return (Measurement.objects.filter(zone=zone).select_related("project", "project__enterprise")
                .order_by("project__enterprise__uscc", "project__name", "metric"))


class InstitutionImport(_EnterpriseKeyed):
    kind = "rnd-institutions"
    label = gettext_lazy("研发机构")
    model = RndInstitution
    key = "name"  # the key is (uscc, name), see key_of
    sheet_name = "研发机构"
    list_url = "transformation:institution_list"
    columns = (
        _uscc_column(),
        _name_column(lambda i: i.enterprise.name),
        Column("机构名称", "name", Text(_max_length(RndInstitution, "name")), required=True, width=30,
               example="示范科技企业技术中心", help=gettext_lazy("同一企业的机构名称不能重复。")),
        Column("机构类型", "kind", Choice(InstitutionKind), required=True, width=16, example="企业技术中心"),
        Column("级别", "level", Choice(InstitutionLevel), required=True, width=10, example="市级"),
        Column("认定日期", "recognized_on", Date(), required=True, width=12, example=dt.date(2024, 4, 15),
               help=gettext_lazy("按认定日期计入当期“新设立研发机构”。")),
        Column("认定文件", "certificate", Text(_max_length(RndInstitution, "certificate")), width=24,
               example="示范高新科发〔2024〕12号"),
    )
    notes = (
        *_EnterpriseKeyed.notes,
        gettext_lazy("8. 每个研发机构一行，按统一社会信用代码和机构名称识别：已有的更新，没有的新增。"),
    )

    @property
    def key_label(self) -> str:
        return _("统一社会信用代码和机构名称")

    def key_of(self, values):
        uscc, name = values.get("uscc"), values.get("name")
        return None if not uscc or not name else (uscc, name)

    def existing_for(self, *, zone, rows):
        return self._existing(zone=zone, rows=rows, key_of=lambda i: (i.enterprise.uscc, i.name))

    def write(self, *, zone, department, rows, user, message) -> Counts:
        result = institutions_upsert(zone=zone, department=department, rows=rows, user=user, message=message)
        return Counts(result.created, result.updated, result.unchanged)

    def queryset_for_user(self, *, user, filters) -> QuerySet:
        return institutions_for_user(user=user, filters=filters).order_by("enterprise__uscc", "name")

    def queryset_for_zone(self, *, zone) -> QuerySet:
        return (RndInstitution.objects.filter(zone=zone).select_related("enterprise")
                .order_by("enterprise__uscc", "name"))


class RecognitionImport(_EnterpriseKeyed):
    kind = "recognitions"
    label = gettext_lazy("企业认定")
    model = Recognition
    key = "kind"  # the key is (uscc, kind, recognized_on), see key_of
    sheet_name = "企业认定"
    list_url = "transformation:recognition_list"
    columns = (
        _uscc_column(),
        _name_column(lambda r: r.enterprise.name),
        Column("认定类型", "kind", Choice(RecognitionKind), required=True, width=18, example="高新技术企业"),
        Column("级别", "level", Choice(InstitutionLevel), width=10, example="国家级"),
        Column("认定日期", "recognized_on", Date(), required=True, width=12, example=dt.date(2024, 11, 20)),
        Column("有效期至", "valid_until", Date(), width=12, example=dt.date(2027, 11, 19),
               help=gettext_lazy("不能早于认定日期；长期有效的留空。")),
        Column("证书编号", "certificate", Text(_max_length(Recognition, "certificate")), width=20,
               example="GR202450001234"),
    )
    notes = (
        *_EnterpriseKeyed.notes,
        gettext_lazy("8. 每次认定一行，按统一社会信用代码、认定类型和认定日期识别：已有的更新，没有的新增；"
                     "复审重新认定的，按新的认定日期另起一行。"),
    )

    @property
    def key_label(self) -> str:
        return _("统一社会信用代码、认定类型和认定日期")

    def key_of(self, values):
        parts = (values.get("uscc"), values.get("kind"), values.get("recognized_on"))
        return None if not all(parts) else parts

    def existing_for(self, *, zone, rows):
        return self._existing(zone=zone, rows=rows, key_of=lambda r: (r.enterprise.uscc, r.kind, r.recognized_on))

    def write(self, *, zone, department, rows, user, message) -> Counts:
        result = recognitions_upsert(zone=zone, department=department, rows=rows, user=user, message=message)
        return Counts(result.created, result.updated, result.unchanged)

    def queryset_for_user(self, *, user, filters) -> QuerySet:
        return recognitions_for_user(user=user, filters=filters).order_by("enterprise__uscc", "kind", "recognized_on")

    def queryset_for_zone(self, *, zone) -> QuerySet:
        return (Recognition.objects.filter(zone=zone).select_related("enterprise")
                .order_by("enterprise__uscc", "kind", "recognized_on"))


PROJECTS = register(ProjectImport())
MEASUREMENTS = register(MeasurementImport())
INSTITUTIONS = register(InstitutionImport())
RECOGNITIONS = register(RecognitionImport())
