"""The real python-telegram-bot Application, driven end to end through a local Bot API server.

Updates go in through getUpdates long polling (or the webhook of ``policybot serve``); what the
bot sends comes back through sendMessage/sendChatAction as the fake server records it, after the
server parsed the HTML exactly as Telegram does.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.answer import Answer, Citation
from bot.channels.render import TELEGRAM_LIMIT, telegram_answer, telegram_sources, text, utf16_len
from bot.channels.telegram import ALLOWED_UPDATES, build_application
from tests.conftest import GOLD, ROOT, SEEDS, make_settings
from tests.fakes.telegram_api import FakeBotAPI, parse_html
from tests.live_server import free_port, live_server

_ids = itertools.count(10_001)
SHANGHAI_Q = "上海元宇宙产业规模目标是多少？"
NANJING_FOLLOW_UP = "那南京呢？"
BOT = "policy_test_bot"


def new_id() -> int:
    return next(_ids)


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    with FakeBotAPI(username=BOT) as server:
        yield server


def tg_settings(home: Path, fake: FakeBotAPI, **kw: Any):
    return replace(make_settings(home), telegram_token=fake.token, telegram_base_url=fake.base_url, **kw)


@contextlib.asynccontextmanager
async def polling(settings: Any, engine: Any) -> AsyncIterator[Any]:
    """What ``run_polling`` does, on the test's event loop: initialize, post_init, poll, start; then stop."""
    app = build_application(settings, engine)
    async with app:
        await app.post_init(app)
        await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES)
        await app.start()
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


def texts(fake: FakeBotAPI, chat_id: int) -> list[str]:
    return [m["text"] for m in fake.sent(chat_id)]


async def replies(fake: FakeBotAPI, chat_id: int, n: int, timeout: float = 30) -> list[dict[str, Any]]:
    return await fake.wait_for(lambda: len(fake.sent(chat_id)) >= n and fake.sent(chat_id), timeout)


def assert_polite(fake: FakeBotAPI) -> None:
    for m in fake.sent():
        assert "Traceback" not in m["text"] and "Error" not in m["text"], m["text"]
        assert text("error") not in m["text"], "a handler failed"


# ---------- rendering (pure) ----------


def test_answer_html_is_escaped_and_parses_back() -> None:
    nasty = "A<b>&amp;</b> 3500亿元 <script>x</script> & “引号” ]]> 😀[1]。"
    a = Answer(nasty, True, [Citation(1, "seeds/x.txt", "《标题》<i>", "一、总体 > （二）<目标>", "引文 <&> 原文", [1, 9])])
    [html] = telegram_answer(a)
    plain, entities = parse_html(html)
    assert plain.startswith(nasty) and "[1] 《标题》<i> · （二）<目标>" in plain
    assert any(e["type"] == "bold" for e in entities)
    pages = telegram_sources(a)
    plain, entities = parse_html("".join(pages))
    assert "引文 <&> 原文" in plain and "seeds/x.txt" in plain
    assert {e["type"] for e in entities} >= {"bold", "italic", "blockquote", "code"}


def test_long_replies_split_at_sentences_within_4096() -> None:
    sentence = "到2025年，上海市元宇宙相关产业规模的目标是达到3500亿元[1]。"
    long = Answer(sentence * 200, True, [Citation(i, "seeds/a.txt", f"标题{i}", "章 > 节", "引文" * 300, [0, 1]) for i in range(1, 30)])
    for pages in (telegram_answer(long), telegram_sources(long)):
        assert len(pages) > 1
        plains = [parse_html(p)[0] for p in pages]
        assert all(0 < utf16_len(p) <= TELEGRAM_LIMIT for p in plains)
    plains = [parse_html(p)[0] for p in telegram_answer(long)]
    assert plains[0].endswith("。") and "".join(plains).startswith(sentence * 200)


# ---------- private chats ----------


async def test_private_chat_answers_with_citations_typing_and_follow_up(fake: FakeBotAPI, engine: Any, engine_home: Path) -> None:
    uid = new_id()
    async with polling(tg_settings(engine_home, fake), engine):
        fake.private_text(uid, SHANGHAI_Q)
        [first] = await replies(fake, uid, 1)
        assert "3500亿元" in first["text"] and "来源" in first["text"]
        assert "上海市培育“元宇宙”新赛道行动方案（2022—2025年） · （二）主要目标" in first["text"]
        assert any(e["type"] == "bold" for e in first.get("entities", []))
        typing = [c for c in fake.calls_of("sendChatAction") if int(c.params["chat_id"]) == uid]
        answered = [c for c in fake.calls_of("sendMessage") if int(c.params["chat_id"]) == uid]
        assert typing and typing[0].params["action"] == "typing" and typing[0].at <= answered[0].at

        fake.private_text(uid, NANJING_FOLLOW_UP)
        second = (await replies(fake, uid, 2))[1]
        assert "南京" in second["text"] and "1350亿元" in second["text"]
    assert [c["command"] for c in fake.commands] == ["ask", "sources", "regions", "reset", "help"]
    assert_polite(fake)


async def test_sources_regions_help_reset(fake: FakeBotAPI, engine: Any, engine_home: Path) -> None:
    uid = new_id()
    async with polling(tg_settings(engine_home, fake), engine):
        fake.private_text(uid, "/sources")
        assert text("no_sources") in (await replies(fake, uid, 1))[0]["text"]
        fake.private_text(uid, SHANGHAI_Q)
        await replies(fake, uid, 2)
        fake.private_text(uid, "/sources")
        msg = (await replies(fake, uid, 3))[2]
        last = engine.last_answer(f"tg:{uid}:{uid}")
        assert last is not None and last.citations
        c = last.citations[0]
        assert c.quote in msg["text"] and c.source in msg["text"] and c.title in msg["text"]
        assert "3500亿元" in c.quote
        assert any(e["type"] == "blockquote" for e in msg["entities"])

        fake.private_text(uid, "/regions")
        assert "上海市" in (await replies(fake, uid, 4))[3]["text"]
        fake.private_text(uid, "/help")
        assert "/sources" in (await replies(fake, uid, 5))[4]["text"]
        fake.private_text(uid, "/start")
        assert "PolicyBot" in (await replies(fake, uid, 6))[5]["text"]
        fake.private_text(uid, "/reset")
        assert text("reset") in (await replies(fake, uid, 7))[6]["text"]
        assert engine.last_answer(f"tg:{uid}:{uid}") is None
    assert_polite(fake)


# ---------- groups ----------


async def test_group_answers_only_when_addressed_with_one_conversation_per_user(fake: FakeBotAPI, engine: Any, engine_home: Path) -> None:
    group, alice, bob = -new_id(), new_id(), new_id()
    async with polling(tg_settings(engine_home, fake), engine):
        fake.group_text(group, alice, SHANGHAI_Q)  # not addressed: ignored
        fake.group_text(group, alice, "/ask@some_other_bot 上海呢")  # another bot's command: ignored
        fake.group_text(group, alice, "/frobnicate")  # unaddressed unknown command: ignored
        mention = fake.group_text(group, alice, f"@{BOT} {SHANGHAI_Q}")
        [m1] = await replies(fake, group, 1)
        assert "3500亿元" in m1["text"]
        assert m1["reply_to_message"]["message_id"] == mention["message"]["message_id"]

        fake.group_text(group, bob, "/ask 武汉对揭榜挂帅项目最高支持多少钱？")
        m2 = (await replies(fake, group, 2))[1]
        assert "200万元" in m2["text"]

        # Alice replies to the bot's answer: a follow-up in *her* conversation (a target), not Bob's (a measure)
        fake.group_text(group, alice, NANJING_FOLLOW_UP, reply_to=m1["message_id"])
        m3 = (await replies(fake, group, 3))[2]
        assert "1350亿元" in m3["text"]

        fake.group_text(group, bob, f"/ask@{BOT} {NANJING_FOLLOW_UP}")
        m4 = (await replies(fake, group, 4))[3]
        assert "1350亿元" not in m4["text"]

        fake.group_text(group, bob, f"@{BOT}")
        assert "@" + BOT in (await replies(fake, group, 5))[4]["text"]
        fake.group_text(group, bob, f"/frobnicate@{BOT}")
        assert text("unknown_command") in (await replies(fake, group, 6))[5]["text"]
        fake.sticker(fake.group_chat(group), bob)  # a sticker not aimed at the bot: ignored
        fake.sticker(fake.group_chat(group), bob, reply_to=m4["message_id"])
        assert text("not_text") in (await replies(fake, group, 7))[6]["text"]
        await asyncio.sleep(0.5)
        assert len(fake.sent(group)) == 7
    assert_polite(fake)


# ---------- bad input ----------


async def test_bad_input_gets_polite_replies(fake: FakeBotAPI, engine: Any, engine_home: Path) -> None:
    uid = new_id()
    chat = fake.private_chat(uid)
    async with polling(tg_settings(engine_home, fake), engine):
        fake.private_text(uid, "/ask")
        assert text("ask_usage") in (await replies(fake, uid, 1))[0]["text"]
        fake.private_text(uid, "问" * 10_000)
        assert (await replies(fake, uid, 2))[1]["text"].strip()
        fake.private_text(uid, "😀😀😀")
        assert (await replies(fake, uid, 3))[2]["text"].strip()
        fake.private_text(uid, "/frobnicate now")
        assert text("unknown_command") in (await replies(fake, uid, 4))[3]["text"]
        fake.sticker(chat, uid)
        assert text("not_text") in (await replies(fake, uid, 5))[4]["text"]
        fake.private_text(uid, "<b>&amp; <script>alert(1)</script> " + SHANGHAI_Q)
        assert "3500亿元" in (await replies(fake, uid, 6))[5]["text"]
        original = fake.private_text(uid, "浙江省元宇宙产业规模目标是多少？")
        await replies(fake, uid, 7)
        fake.edit(original, "南京元宇宙产业规模目标是多少？")
        assert "1350亿元" in (await replies(fake, uid, 8))[7]["text"]
        bot_msg = fake.sent(uid)[0]
        fake.callback(uid, bot_msg, "stale:1")
        await fake.wait_for(lambda: fake.calls_of("answerCallbackQuery"))
        assert fake.calls_of("answerCallbackQuery")[0].params["text"] == text("stale_button")
    assert_polite(fake)


# ---------- limits and load ----------


async def test_rate_limits_per_user_and_per_chat(fake: FakeBotAPI, engine: Any, engine_home: Path) -> None:
    uid, group = new_id(), -new_id()
    settings = tg_settings(engine_home, fake, rate_per_user_per_min=3, rate_per_chat_per_min=4)
    async with polling(settings, engine):
        for _ in range(6):
            fake.private_text(uid, SHANGHAI_Q)
        await replies(fake, uid, 4)
        users = [new_id() for _ in range(6)]
        for u in users:
            fake.group_text(group, u, f"@{BOT} {SHANGHAI_Q}")
        await replies(fake, group, 5)
        await asyncio.sleep(0.5)
        await fake.wait_for(lambda: not fake.updates, 10)
    mine = texts(fake, uid)
    assert len(mine) == 4 and mine.count(text("rate_user")) == 1 and sum("3500亿元" in t for t in mine) == 3
    theirs = texts(fake, group)
    assert len(theirs) == 5 and theirs.count(text("rate_chat")) == 1 and sum("3500亿元" in t for t in theirs) == 4


def gold_questions(n: int) -> list[str]:
    rows = [json.loads(line) for line in (GOLD / "answers.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["turns"][0]["q"] for r in rows][:n]


async def test_burst_of_200_updates_none_lost(fake: FakeBotAPI, engine: Any, engine_home: Path) -> None:
    questions = gold_questions(200)
    assert len(questions) == 200
    users = [new_id() for _ in questions]
    async with polling(tg_settings(engine_home, fake), engine):
        t0 = time.monotonic()
        for u, q in zip(users, questions, strict=True):
            fake.private_text(u, q)
        await fake.wait_for(lambda: all(fake.sent(u) for u in users), timeout=120)
        elapsed = time.monotonic() - t0
        await asyncio.sleep(0.3)
    assert all(len(fake.sent(u)) == 1 for u in users), "every user gets exactly one reply"
    assert not any(c.params.get("text") == text("error") for c in fake.calls_of("sendMessage"))
    print(f"\n200 updates answered in {elapsed:.1f}s ({200 / elapsed:.0f}/s)")
    assert_polite(fake)


class RepeatingEngine:
    """The real engine, with each answer's text repeated: a long reply made of real sentences and citations."""

    def __init__(self, engine: Any, times: int) -> None:
        self.engine, self.times, self.kb = engine, times, engine.kb

    def answer(self, question: str, session: str) -> Answer:
        a = self.engine.answer(question, session)
        return replace(a, answer=a.answer * self.times)

    def last_answer(self, session: str) -> Answer | None:
        a = self.engine.last_answer(session)
        if a is None:
            return None
        return replace(a, citations=[replace(c, n=i + 1) for i, c in enumerate(a.citations * self.times)])

    def reset(self, session: str) -> None:
        self.engine.reset(session)

    def coverage(self) -> str:
        return self.engine.coverage()


async def test_long_replies_are_split_end_to_end(fake: FakeBotAPI, engine: Any, engine_home: Path) -> None:
    uid = new_id()
    long = RepeatingEngine(engine, 150)
    expected = telegram_answer(long.answer(SHANGHAI_Q, f"tg-check:{uid}"))
    assert len(expected) >= 2
    async with polling(tg_settings(engine_home, fake), long):
        fake.private_text(uid, SHANGHAI_Q)
        parts = [m["text"] for m in await replies(fake, uid, len(expected))]
        sources = telegram_sources(long.last_answer(f"tg:{uid}:{uid}"))
        assert len(sources) >= 2
        fake.private_text(uid, "/sources")
        await replies(fake, uid, len(expected) + len(sources))
        await asyncio.sleep(0.3)
    one = engine.answer(SHANGHAI_Q, f"tg-check2:{uid}").answer
    assert len(fake.sent(uid)) == len(expected) + len(sources)
    assert all(utf16_len(m["text"]) <= TELEGRAM_LIMIT for m in fake.sent(uid))
    assert parts[0].endswith("。") and "".join(parts).startswith(one * 150)
    quotes = "".join(m["text"] for m in fake.sent(uid)[len(expected) :])
    assert quotes.count(engine.last_answer(f"tg-check2:{uid}").citations[0].quote) == 150
    assert_polite(fake)


# ---------- webhook mode (policybot serve) and long polling (policybot telegram) ----------


def test_webhook_through_serve_checks_the_secret(fake: FakeBotAPI, engine: Any, engine_home: Path) -> None:
    from bot.channels.http import create_app

    secret = "s3cret-Token_42"
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    app = create_app(tg_settings(engine_home, fake, telegram_webhook_secret=secret), engine, telegram_webhook_url=url)
    uid = new_id()
    with live_server(app, port=port) as base:
        assert fake.webhook["url"] == url and fake.webhook["secret_token"] == secret
        info = httpx.post(f"{fake.base_url}{fake.token}/getWebhookInfo").json()["result"]
        assert info["url"] == url and info["allowed_updates"] == ALLOWED_UPDATES
        fake.private_text(uid, SHANGHAI_Q)
        fake.wait_for_sync(lambda: fake.sent(uid), timeout=30)
        assert "3500亿元" in fake.sent(uid)[0]["text"]
        update = {"update_id": 1, "message": fake.text_message(fake.private_chat(uid), uid, "hi")}
        assert httpx.post(f"{base}/telegram/webhook", json=update).status_code == 403
        assert httpx.post(f"{base}/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}).status_code == 403
        bad = httpx.post(f"{base}/telegram/webhook", content=b"{not json", headers={"X-Telegram-Bot-Api-Secret-Token": secret})
        assert bad.status_code == 400
        assert httpx.get(f"{base}/healthz").json()["channels"]["telegram_webhook"] is True
    polling_conflict = httpx.post(f"{fake.base_url}{fake.token}/getUpdates")
    assert polling_conflict.status_code == 409


def test_policybot_telegram_long_polling(fake: FakeBotAPI, fresh_home: Path) -> None:
    env = dict(
        os.environ,
        POLICYBOT_HOME=str(fresh_home),
        POLICYBOT_ROOT=str(ROOT),
        POLICYBOT_SEEDS=str(SEEDS),
        POLICYBOT_TELEGRAM_TOKEN=fake.token,
        POLICYBOT_TELEGRAM_BASE_URL=fake.base_url,
    )
    exe = Path(sys.executable).with_name("policybot")
    proc = subprocess.Popen([str(exe), "telegram"], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    uid = new_id()
    try:
        fake.wait_for_sync(lambda: fake.calls_of("getUpdates") or proc.poll() is not None, timeout=180)
        assert proc.poll() is None, proc.communicate()[1]
        fake.private_text(uid, SHANGHAI_Q)
        fake.wait_for_sync(lambda: fake.sent(uid), timeout=60)
        assert "3500亿元" in fake.sent(uid)[0]["text"]
        assert fake.calls_of("deleteWebhook"), "polling starts by removing any webhook"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            _out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
