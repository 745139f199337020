"""The allow/deny/editor decision of the hosted dashboard (pinghu_core.common.access), as a table."""

from __future__ import annotations

import pytest

from pinghu_core.common.access import Role, normalise_address, refusal_zh, role_of

ALLOWED = ["pinghu.gov.cn", "@jxnews.com.cn", "  Guest@Example.com  ", ""]
EDITORS = ["editor@jxnews.com.cn", "Chief@Example.org"]

CASES = [
    # (address, expected role, why)
    ("wang@pinghu.gov.cn", Role.READER, "domain without @"),
    ("WANG@PINGHU.GOV.CN", Role.READER, "case does not matter"),
    ("  wang@pinghu.gov.cn \n", Role.READER, "blanks around the address"),
    ("li@jxnews.com.cn", Role.READER, "domain written with @"),
    ("guest@example.com", Role.READER, "listed address with blanks and capitals"),
    ("other@example.com", Role.DENIED, "same domain as a listed address is not enough"),
    ("x@news.pinghu.gov.cn", Role.DENIED, "subdomain is not matched"),
    ("x@pinghu.gov.cn.evil.com", Role.DENIED, "suffix trick"),
    ("x@evilpinghu.gov.cn", Role.DENIED, "domain must match whole"),
    ("editor@jxnews.com.cn", Role.EDITOR, "editor inside an allowed domain"),
    ("chief@example.org", Role.EDITOR, "editor not otherwise allowed is still allowed"),
    ("", Role.DENIED, "empty"),
    (None, Role.DENIED, "no e-mail claim"),
    ("pinghu.gov.cn", Role.DENIED, "a domain is not an address"),
    ("a@b@pinghu.gov.cn", Role.DENIED, "two @"),
]


@pytest.mark.parametrize(("email", "expected", "why"), CASES, ids=[c[2] for c in CASES])
def test_role_of(email, expected, why):
    assert role_of(email, ALLOWED, EDITORS) is expected, why


def test_subdomain_is_allowed_only_when_listed():
    assert role_of("x@news.pinghu.gov.cn", ["pinghu.gov.cn", "news.pinghu.gov.cn"], []) is Role.READER


def test_empty_allow_list_lets_nobody_in():
    assert role_of("wang@pinghu.gov.cn", [], []) is Role.DENIED
    assert "allowed 为空" in refusal_zh("wang@pinghu.gov.cn", [])
    assert "不在允许访问的名单" in refusal_zh("x@y.cn", ["pinghu.gov.cn"])
    assert "有效的电子邮件地址" in refusal_zh(None, ["pinghu.gov.cn"])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(" A@B.cn ", "a@b.cn"), ("a@b", None), ("a b@c.cn", None), (42, None), ("@b.cn", None)],
)
def test_normalise_address(raw, expected):
    assert normalise_address(raw) == expected
