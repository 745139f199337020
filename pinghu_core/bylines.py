"""Bylines: who wrote, reported and photographed an item.

Forms seen on the pages: ``■记者 冯思家``, ``■记 者 李雨婷``, ``记者 胡佳英`` (no ■),
``■摄影 王 强`` (a two-character name padded to three), several roles on one line
(``■记者 石晓晨 汤智娟 通讯员 张晓慧``), a byline glued to a headline
(``全力助企纾困 稳住经济大盘■记者 胡佳英``) or to a photo caption (``…时光。 ■摄影 王强``).
"""

from __future__ import annotations

import re

from .model import Byline
from .patterns import BYLINE_START, BYLINE_TAIL, CJK, ROLE, ROLE_PATTERNS

_ROLE_NAMES = list(ROLE_PATTERNS)
_FIELD = {
    "记者": "reporters",
    "本报记者": "reporters",
    "见习记者": "reporters",
    "通讯员": "correspondents",
    "摄影": "photographers",
    "实习生": "interns",
}
_NAME_PART = re.compile(rf"[{CJK}·]+")
# A credit printed without ■ after a caption's last sentence: "…一派繁忙。 摄影 王强".
UNMARKED_TAIL = re.compile(rf"(?<=[。！？”])[ \u3000]+(?=(?:{'|'.join(ROLE_PATTERNS.values())})[ \u3000]+[{CJK}][^。！？，]*$)")


def is_byline(line: str) -> bool:
    """True when the whole line is a byline: a role and names, nothing else.

    >>> is_byline("■记 者 李雨婷"), is_byline("记者们来到现场")
    (True, False)
    """
    return len(line) <= 60 and bool(BYLINE_START.match(line)) and byline_text_is_clean(line)


def split_trailing_byline(line):
    """Split ``'标题■记者 胡佳英'`` into ``('标题', '■记者 胡佳英')``; no byline → ``(line, '')``.

    Without ■, a credit is split off only after a finished sentence and a space, and only
    when nothing but roles and names follows (``…一派繁忙。 摄影 王强 陈明远``)."""
    text = str(line)
    m = BYLINE_TAIL.search(text)
    if m and not (m.start() == 0 and text.lstrip().startswith("■")):
        return line[: m.start()].rstrip(), line[m.start() :].strip()
    m = UNMARKED_TAIL.search(text)
    if m and byline_text_is_clean(text[m.end() :]):
        return line[: m.start()].rstrip(), line[m.start() :].strip()
    return line, line[len(text) :]


def _role_of(match: re.Match[str]) -> str:
    for i, name in enumerate(_ROLE_NAMES):
        if match.group(f"r{i}"):
            return name
    raise ValueError(match.group(0))  # pragma: no cover - the regex only matches known roles


def join_names(tokens: list[str]) -> list[str]:
    """Space-separated name tokens → names; single characters pair up (``王 强`` → ``王强``).

    >>> join_names(["王", "强", "李唯忱"])
    ['王强', '李唯忱']
    >>> join_names(["石晓晨", "汤智娟"])
    ['石晓晨', '汤智娟']
    """
    names: list[str] = []
    pending = ""
    for tok in tokens:
        if len(tok) == 1:
            if pending:
                names.append(pending + tok)
                pending = ""
            else:
                pending = tok
        else:
            if pending:
                names.append(pending)
                pending = ""
            names.append(tok)
    if pending:
        names.append(pending)
    return names


def parse_byline(text: str) -> Byline:
    """Parse one or more byline lines into roles and names.

    >>> b = parse_byline("■记者 石晓晨 汤智娟 通讯员 张晓慧")
    >>> b.reporters, b.correspondents
    (['石晓晨', '汤智娟'], ['张晓慧'])
    >>> parse_byline("■摄影 王 强 曹金凤").photographers
    ['王强', '曹金凤']
    """
    byline = Byline()
    text = text.replace("■", " ").replace("\u3000", " ")
    matches = list(ROLE.finditer(text))
    for k, m in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        tokens = _NAME_PART.findall(text[m.end() : end])
        field = _FIELD[_role_of(m)]
        target = getattr(byline, field)
        target.extend(n for n in join_names(tokens) if n not in target)
    return byline


def byline_text_is_clean(text: str) -> bool:
    """A byline line holds only roles, names, spaces and ■ (nothing left once those are removed)."""
    rest = ROLE.sub("", text.replace("■", ""))
    return not re.sub(rf"[{CJK}·\s]", "", rest)
