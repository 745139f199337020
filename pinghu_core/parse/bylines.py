"""Bylines: who wrote, reported and photographed an item.

Forms read, on a line of their own unless said otherwise:

* roles then names: ``■记者 冯思家``, ``■记 者 李雨婷`` (spaced role), ``记者 胡佳英`` (no ■),
  ``本报记者 苏 滨``, ``■摄影 王 强`` (a two-character name padded to three), several roles on
  one line (``■记者 石晓晨 汤智娟 通讯员 张晓慧``), ``文/图 张三``, ``文/张三 图/李四``;
* a photographer's credit: ``黄春涛摄（人民视觉）``, ``新华社记者 张玉薇摄``, ``本报记者 王强摄``;
* a parenthesised credit: ``（本报记者朱竞若、邓建胜）``;
* glued to a headline or caption: ``全力助企纾困 稳住经济大盘■记者 胡佳英`` — and when the
  text goes on after the names (``…■记者 胡佳英 本报讯 今年以来…``) the rest is text again;
* inside a lead, where the text stays in the body and only the names are read:
  ``新华社北京9月30日电（记者朱基钗）``, ``本报讯（记者 张三 通讯员 李四）``.

A name is two to four Chinese characters (or a name with ·); anything else in a byline
(``核心阅读``, ``出席``, ``摄``) is never taken for a person.
"""

from __future__ import annotations

import functools
import re
from dataclasses import fields

from pinghu_core.parse.model import Byline
from pinghu_core.parse.patterns import CJK, LEAD, ROLE_PATTERNS
from pinghu_core.parse.tracked import TText

_ROLES = {
    "见习记者": ("reporters", r"见\s*习\s*记\s*者"),
    "本报记者": ("reporters", r"本\s*报\s*记\s*者"),
    "新华社记者": ("reporters", r"新\s*华\s*社\s*记\s*者"),
    "记者": ("reporters", r"记\s*者"),
    "通讯员": ("correspondents", r"通\s*讯\s*员"),
    "摄影": ("photographers", r"摄\s*影"),
    "实习生": ("interns", r"实\s*习\s*生"),
    "文/图": ("reporters", r"文\s*[/／]\s*图"),
    "文": ("reporters", r"(?<![\u4e00-\u9fff])文\s*[/／]"),
    "图": ("photographers", r"(?<![\u4e00-\u9fff])图\s*[/／]"),
}
_ROLE_NAMES = list(_ROLES)
ROLE = re.compile("|".join(f"(?P<r{i}>{p})" for i, (_, p) in enumerate(_ROLES.values())))
_ROLE_ANY = "|".join(p for _, p in _ROLES.values())
# A byline line: optional ■, a role, (a space, or a slash role), then a name.
BYLINE_START = re.compile(rf"^\s*■?\s*(?:{_ROLE_ANY})[\s\u3000\xa0]*[{CJK}]")
# A byline glued to the end of a headline or caption: "…稳住经济大盘■记者 胡佳英".
BYLINE_TAIL = re.compile(rf"\s*■\s*(?=(?:{'|'.join(ROLE_PATTERNS.values())})[\s\u3000]*[{CJK}])")
# A credit printed without ■ after a caption's last sentence: "…一派繁忙。 摄影 王强".
UNMARKED_TAIL = re.compile(
    rf"(?<=[。！？”])[ \u3000]+(?=(?:{'|'.join(ROLE_PATTERNS.values())})[ \u3000]+[{CJK}][^。！？，]*$)"
)
# A photographer's credit: "黄春涛摄（人民视觉）", "新华社记者 张玉薇摄", "王强 李唯忱摄".
PHOTO_CREDIT = re.compile(
    rf"^\s*(?:(?:本报|新华社|中新社)?记\s*者[\s\u3000\xa0]*)?"
    rf"(?P<names>[{CJK}·][{CJK}·\s\u3000\xa0、]{{0,24}}?)[\s\u3000\xa0]*摄"
    rf"(?:[（(][^（）()]{{1,12}}[)）])?\s*$"
)
# A parenthesised credit on its own line: "（本报记者朱竞若、邓建胜）".
PAREN_CREDIT = re.compile(rf"^\s*[（(]\s*(?P<inner>(?:{_ROLE_ANY})[^（）()]{{1,60}})[)）]\s*$")
# Names inside a lead: "…电（记者朱基钗）", "本报讯（记者 张三 通讯员 李四）".
LEAD_CREDIT = re.compile(rf"^[（(]\s*(?P<inner>(?:{_ROLE_ANY})[^（）()]{{1,60}})[)）]")
_NAME = re.compile(rf"^(?:[{CJK}]{{2,4}}|[{CJK}]{{1,6}}(?:·[{CJK}]{{1,8}})+)$")
_NOT_NAMES = frozenset(
    {
        "本报讯",
        "核心阅读",
        "编者按",
        "出席",
        "主持",
        "通讯员",
        "记者",
        "摄影",
        "实习生",
        "本报",
        "新华社",
        "综合",
        "报道",
        "整理",
        "采写",
        "供图",
        "制图",
        "资料图片",
        "人民视觉",
        "影像中国",
        "手记",
    }
)
# …摄 / …整理 glued to a padded name (贺 勇摄, 王 丹整理); a paper or website (健康时报记者, 人民网)
# what a byline says the named person did, glued to the name: 王 丹整理, 付文采访
CREDIT_VERBS = ("整理", "采访", "采写", "撰文", "执笔", "参与")
_NOT_NAME_PARTS = re.compile(
    r"摄|整理|采访|采写|撰文|执笔|参与|出席|主持|阅读|讲话|会议|报道|电$|说$|等$|表示|指出|[报网]$"
)
_SEPARATORS = re.compile(r"[\s\u3000\xa0、，,；;]+")


def _role_of(match: re.Match[str]) -> str:
    for i, name in enumerate(_ROLE_NAMES):
        if match.group(f"r{i}"):
            return name
    raise ValueError(match.group(0))  # pragma: no cover - the regex only matches known roles


def is_name(token: str) -> bool:
    """A person's name as bylines print it: 2–4 Chinese characters, or a name with ·.

    >>> is_name("冯思家"), is_name("勇摄"), is_name("核心阅读"), is_name("阿卜杜·喀哈尔"), is_name("贺")
    (True, False, False, True, False)
    """
    return bool(_NAME.match(token)) and token not in _NOT_NAMES and not _NOT_NAME_PARTS.search(token)


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


def _names(text: str) -> list[str]:
    tokens = [t for t in _SEPARATORS.split(text.replace("■", " ")) if t]
    return [n for n in join_names(tokens) if is_name(n)]


def _add(target: list[str], names: list[str]) -> None:
    target.extend(n for n in names if n not in target)


def parse_roles(text: str) -> Byline:
    """Roles and the names after each: ``记者 石晓晨 汤智娟 通讯员 张晓慧``."""
    byline = Byline()
    text = text.replace("■", " ").replace("\u3000", " ")
    matches = list(ROLE.finditer(text))
    for k, m in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        segment = text[m.end() : end]
        role = _role_of(m)
        field = _ROLES[role][0]
        if segment.rstrip().endswith("摄"):  # 本报记者 王强摄: a photographer
            field, segment = "photographers", segment.rstrip()[:-1]
        while segment.rstrip(" )）").endswith(CREDIT_VERBS):  # 王 丹整理, 敬宜采访整理: still the reporter
            segment = segment.rstrip(" )）")[:-2]
        _add(getattr(byline, field), _names(segment))
        if role == "文/图":
            _add(byline.photographers, _names(segment))
    return byline


def _photo_credit(text: str) -> re.Match[str] | None:
    """``PHOTO_CREDIT.match``, tried only on a line holding 摄 (every credit does; most lines do not)."""
    return PHOTO_CREDIT.match(text) if "摄" in text else None


def parse_byline(text: str) -> Byline:
    """Parse one or more byline lines into roles and names.

    >>> b = parse_byline("■记者 石晓晨 汤智娟 通讯员 张晓慧")
    >>> b.reporters, b.correspondents
    (['石晓晨', '汤智娟'], ['张晓慧'])
    >>> parse_byline("■摄影 王 强 曹金凤").photographers
    ['王强', '曹金凤']
    >>> parse_byline("黄春涛摄（人民视觉）").photographers, parse_byline("新华社记者 张玉薇摄").photographers
    (['黄春涛'], ['张玉薇'])
    >>> parse_byline("（本报记者朱竞若、邓建胜）").reporters
    ['朱竞若', '邓建胜']
    """
    return Byline(*(list(names) for names in _byline_names(text)))


@functools.lru_cache(maxsize=4096)
def _byline_names(text: str) -> tuple[tuple[str, ...], ...]:
    """The names of ``parse_byline``, field by field, remembered: a byline line is read when it
    is recognised and again when its item takes it, and the same lines recur across pages."""
    m = _photo_credit(text)
    if m and not ROLE.search(m.group("names")):
        b = Byline()
        _add(b.photographers, _names(m.group("names")))
    else:
        m = PAREN_CREDIT.match(text)
        b = parse_roles(m.group("inner") if m else text)
    return tuple(tuple(getattr(b, f.name)) for f in fields(Byline))


def lead_byline(paragraph: str) -> Byline:
    """Names credited inside a lead: ``新华社北京9月30日电（记者朱基钗）``, ``本报讯（记者 张三）``.

    >>> lead_byline("本报北京1月31日电  （记者胡浩、赵文君）国务院……").reporters
    ['胡浩', '赵文君']
    >>> lead_byline("今年以来（记者了解到）……").reporters
    []
    """
    m = LEAD.match(paragraph)
    if not m:
        return Byline()
    rest = paragraph[m.end() :].lstrip(" \u3000\xa0")
    c = LEAD_CREDIT.match(rest)
    return parse_roles(c.group("inner")) if c else Byline()


def byline_text_is_clean(text: str) -> bool:
    """A byline line holds only roles, names, spaces and ■ (nothing left once those are removed)."""
    rest = ROLE.sub("", text.replace("■", ""))
    return not re.sub(rf"[{CJK}·\s、]", "", rest)


# What every byline form starts with (after ■ and spaces): a role's first character (each role's
# pattern starts with the first character of its name), or a bracket; or it holds 摄 (a photo
# credit).  One quick test that most lines fail.
_MAY_BE_BYLINE = re.compile(
    r"\s*■?\s*[" + "".join(sorted({name[0] for name in _ROLES})) + r"（(]|.*摄", re.DOTALL
)


def is_byline(line: str) -> bool:
    """True when the whole line is a byline: a role and names, a photo credit, or a
    parenthesised credit — nothing else.

    >>> is_byline("■记 者 李雨婷"), is_byline("记者们来到现场"), is_byline("黄春涛摄（人民视觉）")
    (True, False, True)
    """
    text = line.strip()
    if len(text) > 60 or not text or not _MAY_BE_BYLINE.match(text):
        return False
    if BYLINE_START.match(text) and byline_text_is_clean(text):
        return not parse_byline(text).is_empty()
    m = _photo_credit(text) or PAREN_CREDIT.match(text)
    return bool(m) and not parse_byline(text).is_empty()


def _names_end(text: str, start: int) -> int:
    """Where the roles and names that start at ``start`` end (the rest is text again)."""
    pos = start
    for m in re.finditer(r"\S+", text[start:]):
        token = m.group(0).replace("■", "")
        roles = ROLE.sub("", token)
        if roles and not (is_name(roles) or len(roles) == 1 or (ROLE.match(token) and is_name(roles))):
            break
        pos = start + m.end()
    return pos


_ROLE_FIRST = frozenset(p[0] for p in ROLE_PATTERNS.values())  # 记, 本, 见, 通, 摄, 实 …
_ROLE_FIRST_ANY = re.compile(
    "[" + "".join(map(re.escape, sorted(_ROLE_FIRST))) + "]"
)  # one scan for all of them


_EMPTY = TText("")


def split_line(line):
    """Split a line into (head, byline, rest): ``'标题■记者 胡佳英 本报讯 …'`` →
    ``('标题', '■记者 胡佳英', '本报讯 …')``.  Without a byline: ``(line, '', '')``.

    Without ■, a credit is split off only after a finished sentence and a space, and only
    when nothing but roles and names follows (``…一派繁忙。 摄影 王强 陈明远``).  Takes and
    returns plain strings or tracked texts alike."""
    text = str(line)
    empty = "" if isinstance(line, str) else _EMPTY  # only ever tested for truth by the callers
    marked = "■" in text  # the first two forms need ■; the third a space and a role (记者, 摄影 …)
    m = BYLINE_TAIL.search(text) if marked else None
    if m and not (m.start() == 0 and text.lstrip().startswith("■")):
        end = _names_end(text, m.end())
        return line[: m.start()].rstrip(), line[m.start() : end].strip(), line[end:].strip()
    if marked and text.lstrip().startswith("■") and BYLINE_START.match(text):
        end = _names_end(text, 0)
        rest = text[end:].strip()
        if rest and LEAD.match(rest):  # "■记者 胡佳英 本报讯 …"
            return empty, line[:end].strip(), line[end:].strip()
    spaced = " " in text or "\u3000" in text
    m = UNMARKED_TAIL.search(text) if spaced and _ROLE_FIRST_ANY.search(text) else None
    if m and byline_text_is_clean(text[m.end() :]):
        return line[: m.start()].rstrip(), line[m.start() :].strip(), empty
    return line, empty, empty
