"""Evidence files people attach (异议材料, 申请材料): the checks every upload passes before anything is stored."""

import os
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class EvidenceRules:
    max_files: int
    max_bytes: int
    extensions: tuple[str, ...]
    name_max_chars: int  # the model's original_name max_length


def evidence_problems(files: list, rules: EvidenceRules, *, already: int = 0) -> list[str]:
    """Every reason, in Chinese, why `files` cannot be stored beside `already` earlier files; [] when fine."""
    problems = []
    if already + len(files) > rules.max_files:
        if already:
            problems.append(_("最多 %(max)s 个材料文件：已有 %(old)s 个，本次选择了 %(n)s 个。") % {
                "max": rules.max_files, "old": already, "n": len(files)})
        else:
            problems.append(_("最多上传 %(max)s 个文件，本次选择了 %(n)s 个。") % {"max": rules.max_files, "n": len(files)})
    allowed = "、".join(rules.extensions)
    mb = 1024 * 1024
    limit = f"{rules.max_bytes / mb:g} MB" if rules.max_bytes >= mb else f"{rules.max_bytes} B"
    for f in files:
        name = os.path.basename(f.name or "")
        extension = os.path.splitext(name)[1].lower().lstrip(".")
        if extension not in rules.extensions:
            problems.append(_("文件“%(name)s”的类型不允许：只能上传 %(allowed)s 文件。") % {
                "name": name, "allowed": allowed})
        if not f.size:
            problems.append(_("文件“%(name)s”是空文件。") % {"name": name})
        elif f.size > rules.max_bytes:
            problems.append(_("文件“%(name)s”大小为 %(size).1f MB，超过 %(limit)s 的上限。") % {
                "name": name, "size": f.size / mb, "limit": limit})
        if len(name) > rules.name_max_chars:
            problems.append(_("文件“%(name)s…”的文件名过长（最多 %(max)s 个字符），请改名后上传。") % {
                "name": name[:30], "max": rules.name_max_chars})
    return problems
