"""The pinyin of a member's name, so a name can be typed as `zjg` or `zhangjianguo`.

A surname is read as a surname: pypinyin reads each character as the commonest word it
spells (曾 ceng, 单 dan, 解 jie ...), which is wrong for the family names below, so they are
looked up here first, two-character surnames before one. The given name is pypinyin's.

pypinyin is imported only by `syllables` (adding or editing a member), never by completion
or by commands that just read: the result is stored on the member.
"""

from __future__ import annotations

import os
import re

# Surnames whose reading as a surname differs from pypinyin's reading of the character.
SURNAMES: dict[str, tuple[str, ...]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"),
    "单于": ("chan", "yu"),
    "曾": ("zeng",),
    "单": ("shan",),
    "解": ("xie",),
    "仇": ("qiu",),
    "朴": ("piao",),
    "区": ("ou",),
    "翟": ("zhai",),
    "查": ("zha",),
    "覃": ("qin",),
    "盖": ("ge",),
    "乐": ("yue",),
    "缪": ("miao",),
    "繁": ("po",),
    "秘": ("bi",),
    "员": ("yun",),
    "召": ("shao",),
    "句": ("gou",),
    "宓": ("mi",),
    "种": ("chong",),
    "折": ("she",),
    "能": ("nai",),
    "隗": ("wei",),
    "牟": ("mou",),
    "冼": ("xian",),
    "郇": ("huan",),
    "训": ("xun",),
    "粘": ("nian",),
    "蕃": ("pi",),
    "尉": ("wei",),
    "阚": ("kan",),
    "茌": ("chi",),
    "任": ("ren",),
    "华": ("hua",),
    "纪": ("ji",),
    "沈": ("shen",),
    "薄": ("bo",),
    "过": ("guo",),
    "相": ("xiang",),
    "燕": ("yan",),
    "哈": ("ha",),
    "长": ("chang",),
    "重": ("chong",),
    "藏": ("zang",),
    "禚": ("zhuo",),
}

_LETTERS = re.compile(r"[a-z]+")


def syllables(name: str) -> list[str]:
    """The name as lowercase pinyin syllables without tones: 张建国 -> zhang, jian, guo;
    曾志伟 -> zeng, zhi, wei. Letters in the name stay (Tom -> tom); other signs are dropped."""
    text = name.strip()
    head: list[str] = []
    for size in (2, 1):
        if len(text) > size and text[:size] in SURNAMES:
            head = list(SURNAMES[text[:size]])
            text = text[size:]
            break
    prepare()
    from pypinyin import Style, lazy_pinyin

    rest = lazy_pinyin(text, style=Style.NORMAL, errors="default", v_to_u=False)
    out = head[:]
    for part in rest:
        out.extend(_LETTERS.findall(part.lower()))
    return out


def prepare() -> None:
    """Load pypinyin (once). Its loading takes about twice the memory its tables keep (it
    parses its JSON, then copies the dict to change the keys), and gives the rest back at
    once: done before the record is read, the peak of a roster import is the larger of the
    two, not their sum (4 MB less on a ten-year store)."""
    # Phrases are for words of running text, not for given names: without them pypinyin
    # loads in a tenth of the time.
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    # Its dict is copied at import only so that load_single_dict can change the copy; sanjian
    # never customises it (~2.5 MB less).
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "true")
    import pypinyin  # noqa: F401


def keys(syllables: list[str]) -> tuple[str, str]:
    """(full pinyin, initials) of stored syllables: zhangjianguo, zjg."""
    return "".join(syllables), "".join(s[0] for s in syllables if s)


def is_pinyin(text: str) -> bool:
    """Whether `text` may be typed pinyin (letters only), as opposed to a name or an id."""
    return bool(text) and text.isascii() and text.isalpha()
