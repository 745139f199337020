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


# ---------------------------------------------------------------- HTTP requests (hosted mode)
#
# The Streamlit server answers some requests outside any session: ``/media/<hash>.csv`` holds the
# bytes of a download button or an image for as long as the session lives, and answers anyone who
# has the URL.  ``serve.py`` asks ``request_status`` before each request: the data-bearing paths need
# a signed-in, allowed address; the sign-in page itself (the app's HTML and JS, the websocket whose
# script shows only the sign-in page before sign-in, the sign-in routes, the health check) stays open.

# Under /_stcore/ only these answer without sign-in; everything else there (upload_file, metrics,
# agent, bidi-components, anything a later Streamlit adds) needs it.
OPEN_CORE_PATHS = frozenset(
    {"/_stcore/health", "/_stcore/host-config", "/_stcore/script-health-check", "/_stcore/stream"}
)
# Outside /_stcore/ these prefixes serve data or code paths a signed-out client has no use for.
GUARDED_PREFIXES = ("/media/", "/app/static/", "/component/")


def normalise_path(path: str, base: str = "") -> str:
    """'/Base//media/x' with base 'base' → '/media/x': case and doubled slashes never open a door."""
    text = re.sub(r"/{2,}", "/", "/" + path.strip()).lower()
    prefix = "/" + base.strip("/").lower() if base.strip("/") else ""
    if prefix and (text == prefix or text.startswith(prefix + "/")):
        text = text[len(prefix) :] or "/"
    return text


def is_guarded(path: str, base: str = "") -> bool:
    """Does this request path need a signed-in, allowed address in hosted mode?"""
    p = normalise_path(path, base)
    if p.startswith("/_stcore/") or p == "/_stcore":
        return p.rstrip("/") not in OPEN_CORE_PATHS
    return p.startswith(GUARDED_PREFIXES) or p.rstrip("/") in {g.rstrip("/") for g in GUARDED_PREFIXES}


def request_status(
    path: str,
    *,
    hosted: bool,
    email: object,
    signed_in: bool,
    allowed: Iterable[str],
    editors: Iterable[str],
    base: str = "",
) -> int:
    """200 (serve it), 401 (sign in first) or 403 (signed in, not allowed) for one HTTP request.

    ``signed_in``/``email`` come from the sign-in cookie, already checked for its signature."""
    if not hosted or not is_guarded(path, base):
        return 200
    if not signed_in:
        return 401
    return 403 if role_of(email, allowed, editors) is Role.DENIED else 200
