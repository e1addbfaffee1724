"""The evaluation schemes shipped with gaoxin, as TOML files in `presets/`: a zone starts from one and edits it."""

from dataclasses import dataclass
from importlib import resources

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    description: str


PRESETS = (
    Preset("huangyan", _("浙江县区式（黄岩权重）"),
           _("规上 6 项指标 30/20/20/10/10/10、规下亩均税收与单位用电税收 50/50，黄岩区 2022 年度公布的固定基准值。")),
    Preset("chongqing", _("重庆式"),
           _("规上以亩均增加值、亩均税收、单位能耗增加值、研发投入强度为核心指标，规下按亩均税收；基准值为本园区当年汇总均值。")),
)


def preset_list() -> tuple[Preset, ...]:
    return PRESETS


def preset_text(key: str) -> str:
    """The preset's TOML text; KeyError for an unknown key."""
    if key not in {p.key for p in PRESETS}:
        raise KeyError(key)
    return resources.files(__package__).joinpath("presets", f"{key}.toml").read_text(encoding="utf-8")
