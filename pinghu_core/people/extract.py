"""One text → the people and organisations it names (pure functions over strings).

The rules (word lists in ``data/people_rules.toml``, explained in docs/PEOPLE.md):

* **A post, then a name** — ``市长周军波主持会议``: a post title (书记, 市长, 主任, 大队长 …) with
  what is written before it back to a boundary (``市发改局节能行政执法队大队长``), several posts
  joined by 、 (``市委副书记、市长``), then a name: a surname (single or compound) and one or two
  characters, ending where a boundary character or word follows (说, 表示, 主持, 出席, 在, 、 …).
  After the name, more names joined by 、 get the same post (``市领导何健、王建坤、陈王进等``).
  In a run ``主任胡水良，副主任方向明、姚田宝`` a post without its body (副主任) takes the body of the
  post just before (市人大常委会副主任).
* **Names, then 等 and a collective post** — ``石云良、王道平等市领导出席``.
* **A name, then a title** — ``习近平总书记`` (only the titles of ``titles_after``).
* **The same name again** in the article, without its post, counts with the post printed before.
* **A name of data/people.toml** anywhere counts (an alias as its standard name), with the post
  it held on the article's date when none is printed.
* **Organisations**: a run starting with a jurisdiction (市, 省, 国家 … or a place such as
  ``当湖街道``) and ending with an organisation suffix (局, 委, 办, 中心, 公司, 集团 …), without a
  stop word inside; and the organisations of data/people.toml.  A town, street, village or
  community alone is a place (data/places.toml), never an organisation.

Never a person: a byline name of the article (记者, 通讯员, 摄影 …, passed in), a common word
(``not_names``, or a word jieba's dictionary knows as something other than a name), a name
followed by a place suffix (镇, 村 …), a place name passed in.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from pinghu_core.common import jieba_dict, schemas
from pinghu_core.people.directory import Directory
from pinghu_core.people.rules import Rules

LIST_SEP = "、"
QUOTES = "“”‘’「」（）()"
PLACE_AFTER = "镇村县乡省州路街港岛"
PLACE_SUFFIX = "区县市镇村乡省州街"  # a name never ends with one (重庆市长|寿区)
CONJUNCTIONS = "和与及同跟或"
ORG_LAST = "府局委厅处办"  # nor with the last character of an organisation (巴政府)
SENTENCE_END = "。！？!?；;\n"
HOWS = schemas.PEOPLE_HOWS
HOW_LABELS_ZH: dict[str, str] = {
    "printed": "职务写在名字前",
    "list": "职务后的名单",
    "before_list": "名单后的统称",
    "after": "职务写在名字后",
    "article": "同篇文章前文的职务",
    "directory": "人物名录",
    "organisation": "机构",
}
MAX_POST_CHARS = 40
MAX_PART = 6  # characters of one part of a transliterated name after ·


@dataclass(frozen=True)
class Found:
    """A person or organisation named at ``start``..``end`` of the text."""

    name: str
    kind: str  # official | person | organisation
    post: str  # as printed, several joined by '、' ('' none)
    org: str  # the post's organisation (for an organisation: itself)
    start: int
    end: int
    how: str  # one of HOWS


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _jieba() -> tuple[dict, dict]:
    """jieba's own dictionary (not the app's user words): word → frequency, word → tag."""
    return jieba_dict.frequencies(), jieba_dict.tags()


def reads_as_word(name: str) -> bool:
    """True when jieba's dictionary knows ``name`` as an ordinary word: frequency ≥ 20 with a tag that
    is not a person's name, or ≥ 300 whatever the tag (文明 and 养老 are tagged nr; 汪洋 has 275).

    >>> reads_as_word("方向"), reads_as_word("仲旭东"), reads_as_word("汪洋")
    (True, False, False)
    """
    freq, tags = _jieba()
    n = freq.get(name) or 0
    return n >= 300 or (n >= 20 and not str(tags.get(name, "")).startswith("nr"))


def _good_name(name: str, rules: Rules, not_names: frozenset[str]) -> bool:
    return (
        all(_cjk(c) for c in name)
        and name[0] not in rules.not_first
        and not any(c in rules.not_inside for c in name[1:])
        and name[-1] not in PLACE_SUFFIX
        and name[-1] not in ORG_LAST
        and not rules.title_re.search(name)
        and name not in rules.not_names
        and name[:2] not in rules.not_names
        and name not in not_names
        and not reads_as_word(name)
    )


def name_at(text: str, at: int, rules: Rules, not_names: frozenset[str] = frozenset()) -> int:
    """End of the name starting at ``at`` (0 when none): a surname and one or two characters, then a
    boundary; a transliterated name goes on over ``·`` (米洛斯·巴拉班).  When both lengths end at a
    boundary the shorter wins: the third character then starts a boundary word itself (王强说,
    倪华看来).

    >>> from pinghu_core.people import rules as r
    >>> text = "市长周军波主持会议"
    >>> text[2:name_at(text, 2, r.rules())]
    '周军波'
    """
    sl = rules.surname_at(text, at)
    if not sl:
        return 0
    for g in (1, 2):
        end = at + sl + g
        if end > len(text) or not all(_cjk(c) for c in text[at:end]):
            return 0
        if text[end : end + 1] == "·":
            return _transliterated(text, end, rules)
        if rules.ends_name(text, end) and text[end : end + 1] not in PLACE_AFTER:
            if not _good_name(text[at:end], rules, not_names):
                if text[end : end + 1] in rules.end_chars:
                    return 0  # 高铁说: a common word, then a stop — not 高铁说 either
                continue
            if g == 1 and _conjunction_name(text, end):
                return end + 1  # 魏凤和，: 和 ends the name, not a conjunction before a comma
            return end
    return 0


def _conjunction_name(text: str, end: int) -> bool:
    """The character at ``end`` is a conjunction (和, 与 …) followed by punctuation: it belongs to the name."""
    return (
        text[end : end + 1] in CONJUNCTIONS
        and end + 1 < len(text)
        and not _cjk(text[end + 1])
        and text[end + 1] != "·"
    )


def _transliterated(text: str, at: int, rules: Rules) -> int:
    """The end of ``·巴拉班`` parts from ``at`` (米洛斯·巴拉班表示: up to the boundary word); 0 when a
    part runs on longer than a name without a boundary."""
    end = at
    while text[end : end + 1] == "·" and end + 1 < len(text) and _cjk(text[end + 1]):
        part = end + 1
        end += 2
        while end < len(text) and _cjk(text[end]) and not rules.ends_name(text, end):
            if end - part >= MAX_PART:
                return 0  # no boundary within a name's length: not a name (…巴德蒂纳看完成果展后)
            end += 1
    return end


def _post_run(text: str, title_start: int, title_end: int, rules: Rules) -> tuple[int, list[str]]:
    """(start of the post, the posts) ending with the title at ``title_start``..``title_end``: the
    run of characters before it back to a boundary, split at 、, the parts that end with a title,
    the first part cut after the last word of ``cut_before`` (见到新埭镇…站长 → 新埭镇…站长)."""
    left = title_start
    while left > 0 and title_end - left < MAX_POST_CHARS:
        ch = text[left - 1]
        if not (_cjk(ch) or ch == LIST_SEP or ch in QUOTES or ch == "·"):
            break
        left -= 1
    parts = split_posts(text[left:title_end])
    keep = [parts[-1]]
    for part in reversed(parts[:-1]):
        if not part or not rules.title_re.search(part) or rules.cut_re.search(part):
            break
        keep.insert(0, part)
    first = _after_unmatched_close(keep[0])
    if first[:1] in "年月日号时分" and left > 0 and text[left - 1].isdigit():
        first = first[1:]  # 10月15日就国务院总理: the date's 日 is no part of the post
    cut = max((m.end() for m in rules.cut_re.finditer(first)), default=0)
    keep[0] = _after_unmatched_close(first[cut:]).lstrip(QUOTES)
    if not keep[0] or not rules.title_re.search(keep[0]):
        keep = keep[1:]
    keep = [_collective(part, rules) for part in keep]
    if not keep:
        return title_start, []
    start = title_end - len(LIST_SEP.join(keep))
    return start, keep


def split_posts(run: str) -> list[str]:
    """``run`` split at each 、 outside quotation marks (“不忘初心、牢记使命”主题教育领导小组副组长 is one post).

    >>> split_posts("市委常委、“不忘初心、牢记使命”主题教育领导小组副组长")
    ['市委常委', '“不忘初心、牢记使命”主题教育领导小组副组长']
    """
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(run):
        if ch in "“‘「":
            depth += 1
        elif ch in "”’」" and depth:
            depth -= 1
        elif ch == LIST_SEP and not depth:
            parts.append(run[start:i])
            start = i + 1
    return [*parts, run[start:]]


def _collective(part: str, rules: Rules) -> str:
    """A post ending with a collective word is that word (…志愿服务进社区市领导 → 市领导)."""
    return next((c for c in sorted(rules.collective, key=len, reverse=True) if part.endswith(c)), part)


def _after_unmatched_close(part: str) -> str:
    """``part`` after its last closing bracket that opens nowhere in it (（记者王迪）国务院总理 → 国务院总理)."""
    depth, cut = 0, 0
    for i, ch in enumerate(part):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            if depth:
                depth -= 1
            else:
                cut = i + 1
    return part[cut:]


def _org_of(post: str, rules: Rules) -> str:
    """The organisation part of one post (市审计局局长 → 市审计局; 市长 → '')."""
    m = rules.title_re.search(post)
    body = post[: m.start()] if m else post
    body = re.sub(r"(常务)?副?$", "", body)
    return body if len(body) >= 2 else ""


def kind_of(post: str, rules: Rules) -> str:
    """official when a post belongs to a public body — it names one (``official_markers``: 市委,
    局, 镇, 人大 …) or its organisation starts with a jurisdiction or a city (市重点项目管理服务中心主任,
    福州市园林中心主任) — unless the first post is one anybody holds (``person_titles``: 村民, 教授)
    or a company's, school's or association's (``company_markers``); person otherwise."""
    posts = split_posts(post)
    last = rules.title_re.search(posts[0])
    if last and last.group() in rules.person_titles:
        return "person"
    if any(m in posts[0] for m in rules.company_markers):
        return "person"
    return "official" if any(_public(p, rules) for p in posts) else "person"


def _public(post: str, rules: Rules) -> bool:
    if any(m in post for m in rules.company_markers):
        return False
    if any(m in post for m in rules.official_markers):
        return True
    org = _org_of(post, rules)
    return org.startswith(rules.jurisdictions) or _city_prefix(org)


def _city_prefix(org: str) -> bool:
    """``org`` starts with a name ending with 街道 or 镇, or a place jieba knows and 市, 省, 县, 区 or 州
    (福州市园林中心)."""
    m = _TOWN_PREFIX.match(org)
    if m is None or m.group().endswith(("街道", "镇")):
        return m is not None
    _, tags = _jieba()
    return str(tags.get(m.group()[:-1], "")).startswith("ns")


def _has_jurisdiction(post: str, rules: Rules) -> bool:
    return post.startswith(rules.jurisdictions) or bool(_TOWN_PREFIX.match(post))


def _names_after(text: str, at: int, rules: Rules, not_names: frozenset[str]) -> list[tuple[int, int]]:
    """The names at ``at``, several when joined by 、 (a list under one post)."""
    out: list[tuple[int, int]] = []
    while True:
        end = name_at(text, at, rules, not_names)
        if not end:
            return out
        out.append((at, end))
        if text[end : end + 1] != LIST_SEP:
            return out
        at = end + 1


def posted_names(
    text: str, rules: Rules, not_names: frozenset[str] = frozenset(), after: frozenset[int] = frozenset()
) -> list[Found]:
    """People named right after a post (``市长周军波``), lists under a post included; ``after``: the
    starts of titles written after a name (习近平总书记贺信: 总书记 is 习近平's, 贺信 no name)."""
    out: list[Found] = []
    last: tuple[int, str] | None = None  # (end of the last name, its first post's organisation)
    for m in rules.titles_any_re.finditer(text):
        if m.start() in after or _title_in_word(text, m.end()):
            continue
        names = _names_after(text, m.end(), rules, not_names)
        if not names:
            continue
        start, posts = _post_run(text, m.start(), m.end(), rules)
        if not posts or _title_of_name_before(text, m.start(), m.group(), rules, not_names):
            continue
        if last and _org_of(posts[0], rules) in ("", *rules.carry_bodies) and _adjacent(text, last[0], start):
            posts[0] = last[1] + posts[0]  # 主任胡水良，副主任方向明 → 市人大常委会副主任
        post = LIST_SEP.join(posts)
        org = _org_of(posts[0], rules)
        kind = kind_of(post, rules)
        for i, (s, e) in enumerate(names):
            out.append(Found(text[s:e], kind, post, org, s, e, "printed" if i == 0 else "list"))
        last = (names[-1][1], org if _has_jurisdiction(org, rules) else "")
        if not last[1]:
            last = None
    return out


def _title_of_name_before(
    text: str, title_start: int, title: str, rules: Rules, not_names: frozenset[str]
) -> bool:
    """A title of ``titles_after`` right after a name (…落实习近平总书记贺信, …贯彻习近平总书记文艺工作):
    the name's title, not a post for what follows."""
    if title not in rules.titles_after:
        return False
    return any(
        _exact_name(text[title_start - n : title_start], rules, not_names) for n in (2, 3) if title_start >= n
    )


def _title_in_word(text: str, end: int) -> bool:
    """The title's last character and the next one make a common word (老师|傅: 师傅)."""
    freq, _ = _jieba()
    return end < len(text) and (freq.get(text[end - 1 : end + 1]) or 0) >= 1000


def _adjacent(text: str, end: int, start: int) -> bool:
    """Only a comma or 、 between a name's end and the next post's start."""
    return 0 < start - end <= 1 and text[end:start] in (",", "，", LIST_SEP)


def names_before_collective(text: str, rules: Rules, not_names: frozenset[str] = frozenset()) -> list[Found]:
    """``石云良、王道平等市领导``: the names of the 、 list before 等 and a collective post."""
    out: list[Found] = []
    if not rules.collective:
        return out
    pattern = "等(" + "|".join(re.escape(c) for c in sorted(rules.collective, key=len, reverse=True)) + ")"
    for m in re.finditer(pattern, text):
        clause_start = max(text.rfind(c, 0, m.start()) for c in "，。；：！？,;:!?\n（(“") + 1
        items = text[clause_start : m.start()].split(LIST_SEP)
        if len(items) < 2:
            items = items[-1:]
        pos = m.start()
        found = []
        for item in reversed(items):
            s = pos - len(item)
            for length in sorted({len(item), min(len(item), 3), min(len(item), 2)}, reverse=True):
                cand_start = pos - length
                if length >= 2 and name_at(text, cand_start, rules, not_names) == pos:
                    found.append((cand_start, pos))
                    break
            pos = s - 1
        post = m.group(1)
        for s, e in reversed(found):
            out.append(Found(text[s:e], kind_of(post, rules), post, "", s, e, "before_list"))
    return out


def names_with_title_after(text: str, rules: Rules, not_names: frozenset[str] = frozenset()) -> list[Found]:
    """``习近平总书记``: a name right before one of ``titles_after``, with a boundary before the name."""
    out: list[Found] = []
    if not rules.titles_after:
        return out
    for m in rules.after_re.finditer(text):
        if not rules.ends_name(text, m.end()):
            continue
        for length in (3, 2, 4):
            s = m.start() - length
            if s < 0 or not _boundary_before(text, s, rules):
                continue
            name = text[s : m.start()]
            if _exact_name(name, rules, not_names):
                out.append(Found(name, kind_of(m.group(), rules), m.group(), "", s, m.start(), "after"))
                break
    return out


def _exact_name(name: str, rules: Rules, not_names: frozenset[str]) -> bool:
    sl = rules.surname_at(name, 0)
    return bool(sl) and 1 <= len(name) - sl <= 2 and _good_name(name, rules, not_names)


def _boundary_before(text: str, at: int, rules: Rules) -> bool:
    if at == 0:
        return True
    ch = text[at - 1]
    if not _cjk(ch) or ch in rules.end_chars:
        return True
    return text.endswith(rules.cut_before, 0, at)


def _org_boundary(text: str, at: int, rules: Rules) -> bool:
    """A name's boundary, or a word that cannot be inside an organisation's name (联合市总工会)."""
    return _boundary_before(text, at, rules) or text.endswith(rules.org_inner_stop, 0, at)


def organisations(text: str, rules: Rules, places: frozenset[str] = frozenset()) -> list[Found]:
    """Organisations by the rules: at a boundary, a jurisdiction (市, 省, 国家 …), a place of
    ``places`` or a name ending with 街道/镇, then characters up to an organisation suffix — the
    longest such run without a stop word inside, not ending with or inside a post title, not ending
    like a meeting or a document (``not_endings``)."""
    out: list[Found] = []
    if not rules.org_suffixes:
        return out
    done = 0
    for i in _start_candidates(text, rules, places):
        if i < done:
            continue
        end = _org_end(text, i, rules) if _org_start(text, i, rules, places) else 0
        if end:
            out.append(Found(text[i:end], "organisation", "", text[i:end], i, end, "organisation"))
            done = end
    return out


@functools.lru_cache(maxsize=8)
def _starts_re(jurisdictions: tuple[str, ...], places: frozenset[str]) -> re.Pattern[str]:
    words = sorted({*jurisdictions, *places}, key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in words) or r"(?!)")


_TOWN_SUFFIX = re.compile("街道|镇|市|省|县|区|州")


def _start_candidates(text: str, rules: Rules, places: frozenset[str]) -> list[int]:
    """Positions where an organisation's name might start (a jurisdiction or place, or two or three
    characters before 街道, 镇, 市 …), in order: the only positions :func:`_org_start` looks at."""
    found = {m.start() for m in _starts_re(rules.jurisdictions, places).finditer(text)}
    for m in _TOWN_SUFFIX.finditer(text):
        found.update(p for p in (m.start() - 2, m.start() - 3) if p >= 0)
    return sorted(found)


_TOWN_PREFIX = re.compile(r"[\u4e00-\u9fff]{2,3}?(?:街道|镇|市|省|县|区|州)")


@functools.lru_cache(maxsize=8)
def _as_tuple(places: frozenset[str]) -> tuple[str, ...]:
    """``places`` for ``str.startswith`` (made once, not at each of the ~30 candidates an article has)."""
    return tuple(places)


def _org_start(text: str, at: int, rules: Rules, places: frozenset[str]) -> bool:
    """An organisation's name may start at ``at``: at a boundary, a jurisdiction, a place of
    ``places``, a name ending with 街道 or 镇, or a place jieba knows followed by 市/省/县/区/州."""
    if at and text[at - 1] in rules.not_before_jurisdiction:
        return False
    if text.startswith(rules.jurisdictions, at) or text.startswith(_as_tuple(places), at):
        return _org_boundary(text, at, rules)
    m = _TOWN_PREFIX.match(text, at)
    if m is None or rules.cut_re.search(m.group()) or m.group()[0] in rules.not_first:
        return False
    if not _org_boundary(text, at, rules):
        return False
    if m.group().endswith(("街道", "镇")):
        return True
    _, tags = _jieba()  # 宁波市, 天津市: a city only when jieba knows the name as a place
    return str(tags.get(m.group()[:-1], "")).startswith("ns")


def _org_end(text: str, at: int, rules: Rules) -> int:
    limit = min(len(text), at + rules.org_max_chars)
    stop = at
    while stop < limit and (_cjk(text[stop]) or text[stop] in "“”"):
        stop += 1
    best = 0
    for m in rules.org_re.finditer(text, at, stop):
        end = m.end()
        name = text[at:end]
        if len(name) < rules.org_min_chars or rules.org_inner_stop_re.search(name):
            continue
        if (
            name.endswith(rules.org_not_endings)
            or rules.title_re.search(name)
            or _splits_title(text, end, rules)
        ):
            continue
        if name.count("“") != name.count("”") or text[end - 1 : end + 1] in rules.suffix_not_words:
            continue
        best = end
    return best


def _splits_title(text: str, end: int, rules: Rules) -> bool:
    """A post title runs across ``end`` (…执法队大队|长)."""
    for back in range(1, 4):
        m = rules.title_start_re.match(text, end - back)
        if m and m.end() > end:
            return True
    return False


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(s < b and a < e for a, b in spans)


def _repeat_names(text: str, printed: list[Found], taken: list[tuple[int, int]], rules: Rules) -> list[Found]:
    """Every other place the article writes a name it printed with a post: with that post."""
    out: list[Found] = []
    first: dict[str, Found] = {}
    for f in printed:
        first.setdefault(f.name, f)
    for name, f in first.items():
        for m in re.finditer(re.escape(name), text):
            if not _overlaps(taken, m.start(), m.end()) and rules.ends_name(text, m.end()):
                out.append(replace(f, start=m.start(), end=m.end(), how="article"))
                taken.append((m.start(), m.end()))
    return out


def _directory_names(
    text: str, directory: Directory, day: dt.date | None, taken: list[tuple[int, int]], rules: Rules
) -> list[Found]:
    out: list[Found] = []
    if directory.person_re is None:
        return out
    for m in directory.person_re.finditer(text):
        if _overlaps(taken, m.start(), m.end()) or not rules.ends_name(text, m.end()):
            continue
        person = directory.person_of[m.group()]
        post = person.post_on(day)
        out.append(
            Found(
                person.name,
                person.kind,
                post,
                _org_of(post.split(LIST_SEP)[0], rules) if post else "",
                m.start(),
                m.end(),
                "directory",
            )
        )
        taken.append((m.start(), m.end()))
    return out


def _directory_orgs(
    text: str, directory: Directory, taken: list[tuple[int, int]], rules: Rules
) -> list[Found]:
    """The organisations of data/people.toml where a name may start (光州市政府 holds no 市政府 of its own)."""
    out: list[Found] = []
    if directory.organisation_re is None:
        return out
    for m in directory.organisation_re.finditer(text):
        if not _overlaps(taken, m.start(), m.end()) and _org_boundary(text, m.start(), rules):
            name = directory.organisation_of[m.group()].name
            out.append(Found(name, "organisation", "", name, m.start(), m.end(), "organisation"))
            taken.append((m.start(), m.end()))
    return out


def find_people(
    text: str,
    rules: Rules,
    directory: Directory | None = None,
    day: dt.date | None = None,
    bylines: Iterable[str] = (),
    not_names: Iterable[str] = (),
) -> list[Found]:
    """Every person and organisation ``text`` names, in text order (see the module's rules).

    ``bylines``: the article's byline names (never taken for a person); ``not_names``: names that are
    places or otherwise no person (the place names of data/places.toml)."""
    if not rules.titles or not text:
        return []
    directory = directory or Directory("")
    skip = frozenset(not_names)
    byline = set(bylines)
    after = names_with_title_after(text, rules, skip)
    printed = [
        *posted_names(text, rules, skip, frozenset(f.end for f in after)),
        *names_before_collective(text, rules, skip),
        *after,
    ]
    people: list[Found] = []
    taken: list[tuple[int, int]] = []
    for f in sorted(printed, key=lambda f: (f.start, HOWS.index(f.how))):
        if f.name in byline or _overlaps(taken, f.start, f.end):
            continue
        people.append(f)
        taken.append((f.start, f.end))
    people += _repeat_names(text, people, taken, rules)
    people += _directory_names(text, directory, day, taken, rules)
    people = [_standard(f, directory) for f in people if f.name not in byline]
    return sorted(people + _all_organisations(text, rules, directory, skip), key=lambda f: (f.start, f.end))


def _all_organisations(text: str, rules: Rules, directory: Directory, places: frozenset[str]) -> list[Found]:
    """The organisations of data/people.toml and of the rules; where two overlap the longer wins (北京市委
    is not Pinghu's 市委), data/people.toml's on a tie (its standard name)."""
    listed = _directory_orgs(text, directory, [], rules)
    ruled = organisations(text, rules, places)
    out = [
        o
        for o in listed
        if not any(
            _overlaps([(r.start, r.end)], o.start, o.end) and r.end - r.start > o.end - o.start for r in ruled
        )
    ]
    taken = [(o.start, o.end) for o in out]
    out += [r for r in ruled if not _overlaps(taken, r.start, r.end)]
    return out


def _standard(f: Found, directory: Directory) -> Found:
    """An alias of data/people.toml as its standard name."""
    person = directory.person_of.get(f.name)
    return replace(f, name=person.name) if person is not None and person.name != f.name else f


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``start``..``end``: from after the previous 。！？； or line break to the next
    one included."""
    s = max((text.rfind(c, 0, start) for c in SENTENCE_END), default=-1) + 1
    ends = [i for i in (text.find(c, end) for c in SENTENCE_END) if i >= 0]
    e = min(ends) + 1 if ends else len(text)
    if text[e - 1 : e] == "\n":
        e -= 1
    return s, e
