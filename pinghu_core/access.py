"""Who may see the hosted dashboard, and who may upload: a pure decision from an e-mail address.

Entries of the allow-list and of the editors list (settings ``allowed`` and ``editors``) are either
an address (``wang@pinghu.gov.cn``) or a domain (``pinghu.gov.cn`` or ``@pinghu.gov.cn``).  Case
and surrounding blanks never matter.  A domain matches that domain only: ``pinghu.gov.cn`` does not
let in ``x@news.pinghu.gov.cn`` (list the subdomain too when it should).  Editors are allowed
without being listed twice.  An empty allow-list lets nobody in (a hosted dashboard is closed until
someone says who may read it).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

_ADDRESS = re.compile(r"^[^@\s]+@([^@\s]+\.[^@\s]+)$")


class Role(enum.Enum):
    DENIED = "denied"
    READER = "reader"
    EDITOR = "editor"


def normalise_address(email: object) -> str | None:
    """' Wang@Pinghu.GOV.cn ' → 'wang@pinghu.gov.cn'; None when it is not an address."""
    if not isinstance(email, str):
        return None
    text = email.strip().lower()
    return text if _ADDRESS.match(text) else None


@dataclass(frozen=True)
class Rules:
    """A parsed list: exact addresses and whole domains."""

    addresses: frozenset[str]
    domains: frozenset[str]

    @classmethod
    def parse(cls, entries: Iterable[str]) -> Rules:
        addresses, domains = set(), set()
        for raw in entries:
            entry = raw.strip().lower()
            if not entry:
                continue
            if entry.startswith("@"):
                domains.add(entry[1:])
            elif "@" in entry:
                addresses.add(entry)
            else:
                domains.add(entry)
        return cls(frozenset(addresses), frozenset(domains))

    def matches(self, address: str) -> bool:
        """``address`` must already be normalised."""
        return address in self.addresses or address.rsplit("@", 1)[1] in self.domains


def role_of(email: object, allowed: Iterable[str], editors: Iterable[str]) -> Role:
    """The role of a signed-in address under the two lists."""
    address = normalise_address(email)
    if address is None:
        return Role.DENIED
    if Rules.parse(editors).matches(address):
        return Role.EDITOR
    if Rules.parse(allowed).matches(address):
        return Role.READER
    return Role.DENIED


def refusal_zh(email: object, allowed: Iterable[str]) -> str:
    """Why an address is refused, in Chinese."""
    if normalise_address(email) is None:
        return "登录服务没有提供有效的电子邮件地址，无法核对访问权限。"
    if not any(e.strip() for e in allowed):
        return "看板尚未配置允许访问的地址（设置项 allowed 为空），请联系管理员。"
    return "这个地址不在允许访问的名单中。如需访问，请联系管理员把地址或所在域名加入名单。"
