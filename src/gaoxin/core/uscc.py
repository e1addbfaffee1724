"""统一社会信用代码 (USCC, GB 32100-2015): normalisation and validation.

Pure Python. python-stdnum's cn.uscc rejects valid codes beginning with A, N or Y, hence our own.
"""

import unicodedata

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# 登记管理部门代码 (position 1) → allowed 机构类别代码 (position 2)
CATEGORIES = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
    "2": "19",  # 外交
    "3": "123459",  # 司法行政
    "4": "19",  # 文化
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业: 组级、村级、乡镇级集体经济组织, 其他
    "Y": "1",  # 其他: not subdivided, always 1
}


class InvalidUSCC(ValueError):
    """The code is not a valid USCC; `rule` names the rule that failed, the message says it in Chinese."""

    def __init__(self, rule: str, message: str):
        super().__init__(message)
        self.rule = rule


def normalise(code: str) -> str:
    """Full-width to half-width, strip spaces and hyphens, upper-case."""
    text = unicodedata.normalize("NFKC", code or "")
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


def check_char(first17: str) -> str:
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate(code: str) -> str:
    """Return the normalised code, or raise InvalidUSCC saying which rule failed."""
    value = normalise(code)
    if not value:
        raise InvalidUSCC("empty", "统一社会信用代码为空。")
    if len(value) != 18:
        raise InvalidUSCC("length", f"统一社会信用代码应为 18 位，实际为 {len(value)} 位。")
    bad = [(i + 1, c) for i, c in enumerate(value) if c not in VALUES]
    if bad:
        pos, ch = bad[0]
        raise InvalidUSCC("charset", f"第 {pos} 位“{ch}”不是合法字符（不使用 I、O、S、V、Z）。")
    if value[0] not in CATEGORIES:
        raise InvalidUSCC("authority", f"第 1 位登记管理部门代码“{value[0]}”无效。")
    if value[1] not in CATEGORIES[value[0]]:
        raise InvalidUSCC("category", f"第 2 位机构类别代码“{value[1]}”与登记管理部门代码“{value[0]}”不匹配。")
    if not value[2:8].isdigit():
        raise InvalidUSCC("region", "第 3–8 位登记管理机关行政区划码应为 6 位数字。")
    expected = check_char(value[:17])
    if value[17] != expected:
        raise InvalidUSCC("checksum", f"校验位错误：第 18 位应为“{expected}”，实际为“{value[17]}”。")
    return value


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except InvalidUSCC:
        return False
    return True


ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_check_char(body8: str) -> str:
    """Check character of the embedded 组织机构代码 (GB 11714), positions 9–17. Used as a warning only."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def compose(first17: str) -> str:
    """Append the check character: used by the demo and synthetic data generators."""
    return first17 + check_char(first17)
