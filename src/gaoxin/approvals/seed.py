"""The default approval catalog a zone starts from (approvals.md §1.2, §1.5, §2, §3). Pure data, no Django.

Figures are defaults to seed configuration, not legal advice: a zone copies the catalog into a draft and
edits it to match its own published 办事指南. All limits are in working days (WD); a promised limit of 0
means 即办. Item codes are stable slugs: cases, statistics and the demo refer to them.

Departments are the zone's default departments (accounts.services.DEFAULT_DEPARTMENTS):
gfj 改革发展局, tzcj 投资促进局, jsj 建设局, zwzx 政务服务中心, jxj 经信局. The national model puts 规划 with
自然资源 and 环评 with 生态环境; a default zone has neither department, so those items go to jsj 建设局 (the
construction-side window that receives them in most parks) until the zone reassigns them in a draft.
Enterprise-service items (市场监管, 公安, 银行, 税务) go to zwzx, whose 综合窗口 receives the 一件事.

Prerequisites are the *result document* of the earlier item (§1.5 default DAG). A prerequisite that a route
does not contain is bypassed: its own prerequisites apply instead (machine.effective_requires), so
one DAG serves every project type — e.g. 政府投资 has 可研批复 instead of 备案, 带方案出让 has no 设计方案审查.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class StageSeed:
    code: int
    name: str
    lead: str | None  # department code; None for the parallel lane, which has no single lead
    limit_wd: int | None = None


@dataclass(frozen=True)
class ItemSeed:
    code: str
    name: str
    stage: int
    department: str
    statutory_wd: int | None  # None: no statutory limit (备案) or it is the sum of its parts (联合验收)
    promised_wd: int
    requires: tuple[str, ...] = ()
    pause_mode: str = "resume"
    rongque: bool = False
    deferrable: tuple[str, ...] = ()  # 容缺: the 次要 materials that may follow later
    commitment: bool = False
    verify_wd: int | None = None
    method: str = ""
    area_waivable: bool = False
    materials: tuple[str, ...] = ()


@dataclass(frozen=True)
class RouteSeed:
    project_type: str  # models.ProjectType value
    name: str
    items: tuple[str, ...]
    target_wd: int


@dataclass(frozen=True)
class BundleSeed:
    code: str
    name: str
    anchor: str
    items: tuple[str, ...]  # the 联办事项, i.e. without the anchor
    form_fields: tuple[dict, ...]
    materials: tuple[str, ...]


CATALOG_NAME = "工程建设项目审批及一件事事项目录"

DEFAULT_STAGES: tuple[StageSeed, ...] = (
    StageSeed(1, "立项用地规划许可", "gfj"),
    # 规划 sits with 自然资源 nationally; mapped to jsj (see the module docstring)
    StageSeed(2, "工程建设许可", "jsj"),
    StageSeed(3, "施工许可", "jsj"),
    StageSeed(4, "竣工验收", "jsj"),
    StageSeed(5, "并行推进", None),
    # Not a construction stage: the model needs a stage for every item, and keeping the enterprise-service
    # items out of 1–5 keeps the per-stage statistics of construction approvals clean.
    StageSeed(6, "一件事（企业服务）", "zwzx"),
)

DEFAULT_ITEMS: tuple[ItemSeed, ...] = (
    # --- stage 1 立项用地规划许可 -------------------------------------------------------------------
    ItemSeed("filing", "企业投资项目备案", 1, "gfj", None, 0,
             materials=("项目备案信息表", "企业营业执照")),
    # 核准 is the alternative to 备案 for projects in the 核准目录; no default route uses it (a zone builds
    # one in a draft), but the item belongs to the catalog. 20 WD + 10 (政府核准投资项目管理办法 Art. 19).
    ItemSeed("approval", "企业投资项目核准", 1, "gfj", 20, 10,
             materials=("项目申请报告", "企业营业执照")),
    ItemSeed("site", "建设项目用地预审与选址意见书", 1, "jsj", 20, 5, requires=("filing",),
             rongque=True, deferrable=("土地权属证明材料",),
             materials=("用地预审与选址申请表", "建设项目用地范围勘测定界图", "土地权属证明材料")),
    # Government-funded projects: 可研批复 needs the 选址 and 用地预审 opinions. No statutory limit
    # (local rules); the promised 20 WD is a low-confidence single-city figure (§1.5).
    ItemSeed("feasibility", "政府投资项目可行性研究报告批复", 1, "gfj", None, 20, requires=("site",),
             materials=("可行性研究报告", "用地预审与选址意见书")),
    ItemSeed("land_planning", "建设用地规划许可证", 1, "jsj", 20, 5, requires=("site",),
             materials=("建设用地规划许可申请表", "用地预审与选址意见书", "国有土地使用权出让合同或划拨决定书")),

    # --- stage 2 工程建设许可 (规划 items mapped to jsj) ----------------------------------------------
    ItemSeed("design_scheme", "设计方案审查", 2, "jsj", 20, 7, requires=("land_planning", "feasibility"),
             rongque=True, deferrable=("日照分析报告",),
             materials=("设计方案审查申请表", "建设工程设计方案总平面图", "日照分析报告")),
    # Some places (广州) run 工程规划许可 under 告知承诺 (§2.2); 固镇 promises 2 of 20 WD.
    ItemSeed("construction_planning", "建设工程规划许可证", 2, "jsj", 20, 5, requires=("design_scheme",),
             rongque=True, deferrable=("建设工程规划放线测量报告",),
             commitment=True, verify_wd=20, method="实地调查",
             materials=("建设工程规划许可申请表", "设计方案审查意见", "建设工程规划放线测量报告")),

    # --- stage 3 施工许可 --------------------------------------------------------------------------
    # 联合审图: 消防/人防/技防 technical review merged in (住建部令51号 Art. 24). Large projects 15 WD,
    # medium/small 10 (住建部令13号 Art. 12). Design revision restarts the count: 滨州 "时限应重新计算".
    ItemSeed("drawing_review", "施工图设计文件审查（联合审图）", 3, "jsj", 15, 10,
             requires=("construction_planning",), pause_mode="restart",
             materials=("施工图设计文件", "勘察成果文件", "建设工程规划许可证")),
    # 住建部令42号: "七日内" — 7 calendar days in the rule, kept as 7 here because the platform counts WD
    # only; the promised 5 WD is what binds and is never longer than 7 calendar days. 资金落实 by 承诺书.
    # Gated by the latest need of the parallel lane: 环评 and 节能 must be done before 施工许可.
    ItemSeed("construction_permit", "建筑工程施工许可证", 3, "jsj", 7, 5,
             requires=("drawing_review", "eia_report", "energy"),
             rongque=True, deferrable=("监理合同",),
             materials=("施工许可申请表", "施工图审查合格书", "施工合同", "监理合同", "建设资金已经落实承诺书")),
    # 简易低风险 (宿州: 工程规划 + 施工许可 ≤ 3 WD; Beijing drops 施工图审查): one merged item.
    ItemSeed("low_risk_permit", "建设工程规划许可和施工许可（简易低风险合并办理）", 3, "jsj", 20, 3,
             requires=("filing",),
             commitment=True, verify_wd=10, method="实地调查",
             materials=("合并办理申请表", "设计方案总平面图", "施工合同")),

    # --- stage 4 竣工验收 --------------------------------------------------------------------------
    # 联合验收: 规划核实, 消防验收/备案, 人防, 档案, 质量监督 at once; the statutory limit is the sum of the
    # component limits, so none is recorded here. 水电气 must be connected before it (市政报装).
    ItemSeed("joint_acceptance", "竣工联合验收", 4, "jsj", None, 7,
             requires=("construction_permit", "utilities"),
             materials=("联合验收申请表", "竣工图", "工程质量竣工验收报告", "消防验收申请材料")),
    ItemSeed("completion_filing", "竣工验收备案", 4, "jsj", None, 5, requires=("joint_acceptance",),
             materials=("竣工验收备案表", "联合验收意见书")),
    # 宿州 简易低风险 竣工验收 incl. 不动产首次登记 ≤ 5 WD.
    ItemSeed("low_risk_acceptance", "简易低风险工程竣工联合验收", 4, "jsj", None, 5,
             requires=("low_risk_permit",),
             materials=("联合验收申请表", "竣工图")),

    # --- stage 5 并行推进 (no prerequisites: gated by the latest need, not by the project start) -----
    # 环评法 Art. 22: 报告表 30 days (calendar). Counted conservatively as 20 WD, the working days of four
    # holiday-free weeks; around Spring Festival or National Day 30 calendar days hold fewer, which is why
    # the promised 7 WD is what the clock runs on. 区域评估-covered: 告知承诺.
    ItemSeed("eia_report", "建设项目环境影响报告表审批", 5, "jsj", 20, 7,
             commitment=True, verify_wd=20, method="书面核查、实地调查",
             materials=("环境影响报告表", "建设项目环评审批申请表")),
    # 登记表 is an online 备案: 即办. Used by the 简易低风险 route.
    ItemSeed("eia_registration", "建设项目环境影响登记表备案", 5, "jsj", None, 0,
             materials=("环境影响登记表",)),
    # 节能审查: 15 days; 即办 in one city (§1.5); typically covered by the park's 区域评估.
    ItemSeed("energy", "固定资产投资项目节能审查", 5, "gfj", 15, 0,
             commitment=True, verify_wd=20, method="书面核查", area_waivable=True,
             materials=("节能报告",)),
    # 水电气网联合报装, received at the 政务服务中心 window; must be connected before 联合验收.
    ItemSeed("utilities", "市政公用服务联合报装（水电气网）", 5, "zwzx", None, 5,
             rongque=True, deferrable=("建设工程规划许可证",),
             materials=("联合报装申请表", "用电用水用气负荷信息", "建设工程规划许可证")),

    # --- stage 6: 一件事 企业变更 (§3; 市场监管 → zwzx). Limits 0–1 WD ---------------------------------
    # 市场主体登记管理条例: 当场登记, otherwise within 3 WD.
    ItemSeed("name_change", "企业名称变更登记", 6, "zwzx", 3, 1,
             materials=("变更登记申请书", "股东会决议或决定", "营业执照正副本")),
    ItemSeed("seal_filing", "印章刻制备案", 6, "zwzx", None, 0, requires=("name_change",),
             materials=("印章刻制申请表", "原印章缴销说明")),
    ItemSeed("bank_account_change", "银行账户信息变更", 6, "zwzx", None, 1, requires=("name_change",),
             materials=("银行账户变更申请书",)),
    ItemSeed("tax_info_change", "税务登记信息变更", 6, "zwzx", None, 0, requires=("name_change",),
             materials=("变更税务登记表",)),
)

_FULL_CHAIN = ("site", "land_planning", "design_scheme", "construction_planning", "drawing_review",
               "construction_permit", "eia_report", "energy", "utilities", "joint_acceptance", "completion_filing")

DEFAULT_ROUTES: tuple[RouteSeed, ...] = (
    # 90 WD: the target many cities set (遂宁 2019), under the national 120.
    RouteSeed("政府投资", "政府投资项目（全流程）", ("feasibility", *_FULL_CHAIN), 90),
    RouteSeed("社会投资", "社会投资项目（全流程）", ("filing", *_FULL_CHAIN), 90),
    # 宿州 ≤ 10, nationally 10–20: 15 with the default promised chain of 8 WD.
    RouteSeed("简易低风险", "社会投资简易低风险项目",
              ("filing", "low_risk_permit", "eia_registration", "utilities", "low_risk_acceptance"), 15),
    # 带方案出让 / 拿地即开工: no 设计方案审查 and, the land being transferred with its 用地预审 done by
    # the government, no 用地预审与选址. The promised chain is 37 WD (备案 → 用地规划 → 工程规划 → 审图 →
    # 施工许可 → 联合验收 → 备案); the ~30 WD of the leading zones needs shorter local promises, so the
    # default target is 40 and a zone tightens both in its draft.
    RouteSeed("带方案出让", "带方案出让/拿地即开工项目",
              ("filing", "land_planning", "construction_planning", "drawing_review", "construction_permit",
               "eia_report", "energy", "utilities", "joint_acceptance", "completion_filing"), 40),
)

DEFAULT_BUNDLES: tuple[BundleSeed, ...] = (
    BundleSeed(
        "enterprise_change", "企业变更一件事", "name_change",
        ("seal_filing", "bank_account_change", "tax_info_change"),
        form_fields=(
            {"name": "uscc", "label": "统一社会信用代码", "required": True},
            {"name": "old_name", "label": "原名称", "required": True},
            {"name": "new_name", "label": "新名称", "required": True},
            {"name": "legal_representative", "label": "法定代表人", "required": True},
            {"name": "phone", "label": "联系电话", "required": True},
        ),
        materials=("变更登记申请书", "股东会决议或决定", "营业执照正副本", "法定代表人身份证件",
                   "印章刻制申请表", "银行账户变更申请书", "变更税务登记表"),
    ),
)

# Every department code the default catalog needs: a zone without one of them cannot install it.
DEPARTMENT_CODES: tuple[str, ...] = tuple(sorted(
    {i.department for i in DEFAULT_ITEMS} | {s.lead for s in DEFAULT_STAGES if s.lead}))
