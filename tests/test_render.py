"""Shared channel helpers: splitting, WeChat pages, CDATA, the "更多" buffer, rate limits."""

from __future__ import annotations

import random

import pytest
from defusedxml.ElementTree import fromstring

from bot.channels.limits import RateLimiter
from bot.channels.render import MoreBuffer, cdata, split_text, text, utf8_len, utf16_len, wechat_pages

SAMPLE = (
    "到2025年，上海市元宇宙相关产业规模的目标是达到3500亿元[1]。带动全市软件和信息服务业规模超过15000亿元！"
    "培育100家以上“专精特新”企业？\n第二段：English works too. It has sentences; and clauses, 3.5 percent.\n"
    "😀 emoji 需要两个 UTF-16 单位……最后一句"
)


@pytest.mark.parametrize(("limit", "size"), [(7, len), (20, len), (33, utf16_len), (64, utf8_len), (100, utf8_len), (5000, len)])
def test_split_text_respects_the_limit_and_keeps_the_text(limit: int, size) -> None:
    pieces = split_text(SAMPLE, limit, size)
    assert all(0 < size(p) <= limit for p in pieces)
    assert "".join(pieces).replace("\n", "") == SAMPLE.replace("\n", "")


def test_split_text_prefers_sentence_ends_and_keeps_numbers_whole() -> None:
    pieces = split_text(SAMPLE, 60)
    assert all(p[-1] in "。！？；;.\n" for p in pieces[:2]) and all("3500亿元" in p or "3500" not in p for p in pieces)
    rng = random.Random(5)
    for _ in range(200):
        s = "".join(rng.choice("上海3500亿元。！，, .\n😀[1]ab") for _ in range(rng.randint(0, 300)))
        limit = rng.randint(4, 50)
        assert all(0 < utf16_len(p) <= limit for p in split_text(s, limit, utf16_len))


def test_wechat_pages_fit_2048_bytes_with_the_more_hint() -> None:
    body = "浙江省2023年元宇宙产业发展工作要点提出打造10个以上元宇宙应用场景[1]。" * 120
    pages = wechat_pages(body)
    assert len(pages) > 2 and all(utf8_len(p) <= 2048 for p in pages)
    assert all(p.endswith(text("more_hint")) for p in pages[:-1]) and not pages[-1].endswith(text("more_hint"))
    assert "".join(p.replace("\n" + text("more_hint"), "") for p in pages) == body
    assert wechat_pages("短回答。") == ["短回答。"]
    assert wechat_pages("\x00\x01") == [text("empty")]


def test_cdata_survives_terminators_and_control_characters() -> None:
    s = "a]]>b<c>&d\x01e]]]]>"
    root = fromstring(f"<xml><Content>{cdata(s)}</Content></xml>")
    assert root.find("Content").text == "a]]>b<c>&de]]]]>"


def test_more_buffer_pages_expiry_and_bound() -> None:
    now = [0.0]
    buf = MoreBuffer(ttl_seconds=10, max_users=2, clock=lambda: now[0])
    buf.put("u1", ["p2", "p3"])
    assert buf.next("u1") == "p2" and buf.has("u1")
    assert buf.next("u1") == "p3" and buf.next("u1") is None
    buf.put("u1", ["x"])
    now[0] = 11
    assert buf.next("u1") is None
    for u in ("a", "b", "c"):
        buf.put(u, ["page"])
    assert not buf.has("a") and buf.has("c")
    buf.put("c", [])
    assert not buf.has("c")


def test_rate_limiter_sliding_window_and_one_notice() -> None:
    now = [0.0]
    rl = RateLimiter(3, clock=lambda: now[0])
    assert [rl.allow("u") for _ in range(4)] == [True, True, True, False]
    assert rl.should_notice("u") and not rl.should_notice("u")
    assert rl.allow("v")
    now[0] = 60.0
    assert rl.allow("u") and rl.should_notice("u")
    with pytest.raises(ValueError, match="at least 1"):
        RateLimiter(0)
