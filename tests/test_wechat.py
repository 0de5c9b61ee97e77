"""/wechat and /wecom under uvicorn on loopback, with wechatpy playing the WeChat (and WeCom) server.

The platform side signs, encrypts and posts real callback XML; replies are checked the way the
platform reads them (signature verified, decrypted, parsed). Slow answers go out through a local
customer-service message API (``tests/fakes/wechat_api.py``).
"""

from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import itertools
import os
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import xmltodict
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.enterprise.crypto import PrpCrypto as WeComPrpCrypto
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto

from bot.answer import Answer
from bot.channels.http import create_app
from bot.channels.render import answer_plain, text, utf8_len, wechat_pages
from tests.conftest import make_settings
from tests.fakes.wechat_api import FakeWeChatAPI
from tests.live_server import live_server

TOKEN = "wxTestToken2024"
APPID = "wx0123456789abcdef"
ACCOUNT = "gh_0123456789ab"
AES_KEY = base64.b64encode(b"0123456789abcdef0123456789abcdef").decode().rstrip("=")
CORPID = "ww0123456789abcdef"
WECOM_TOKEN = "wwTestToken2024"
WECOM_KEY = base64.b64encode(b"fedcba9876543210fedcba9876543210").decode().rstrip("=")
SHANGHAI_Q = "上海元宇宙产业规模目标是多少？"
_ids = itertools.count(7_000_000_000_000_000_001)
_users = itertools.count(1)


def new_user() -> str:
    return f"oUser{next(_users):06d}_{os.getpid()}"


def cdata(s: str) -> str:
    return "<![CDATA[" + s.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def message_xml(user: str, msg_type: str, msg_id: int | None = None, to: str = ACCOUNT, **fields: Any) -> str:
    parts = [f"<ToUserName>{cdata(to)}</ToUserName>", f"<FromUserName>{cdata(user)}</FromUserName>"]
    parts += [f"<CreateTime>{int(time.time())}</CreateTime>", f"<MsgType>{cdata(msg_type)}</MsgType>"]
    for k, v in fields.items():
        parts.append(f"<{k}>{v if isinstance(v, int) else cdata(str(v))}</{k}>")
    if msg_id is not None:
        parts.append(f"<MsgId>{msg_id}</MsgId>")
    return "<xml>" + "".join(parts) + "</xml>"


class Platform:
    """wechatpy on the platform's side: signs, encrypts and posts callbacks, and reads our replies."""

    def __init__(self, base: str, kind: str = "wechat", aes: bool = False) -> None:
        self.url = f"{base}/{kind}"
        self.kind = kind
        self.aes = aes or kind == "wecom"
        if kind == "wecom":
            self.token, self.crypto = WECOM_TOKEN, WeComCrypto(WECOM_TOKEN, WECOM_KEY, CORPID)
        else:
            self.token, self.crypto = TOKEN, WeChatCrypto(TOKEN, AES_KEY, APPID) if aes else None
        self.http = httpx.Client(timeout=30)

    def _stamp(self) -> tuple[str, str]:
        return str(int(time.time())), os.urandom(6).hex()

    def signature(self, timestamp: str, nonce: str) -> str:
        return hashlib.sha1("".join(sorted([self.token, timestamp, nonce])).encode()).hexdigest()

    def verify(self, echostr: str = "echo-1234567890", forge: bool = False) -> httpx.Response:
        timestamp, nonce = self._stamp()
        if self.kind == "wecom":
            enc = WeComPrpCrypto(self.crypto.key).encrypt(echostr, CORPID).decode()
            sig = hashlib.sha1("".join(sorted([self.token, timestamp, nonce, enc])).encode()).hexdigest()
            params = {"msg_signature": "0" * 40 if forge else sig, "timestamp": timestamp, "nonce": nonce, "echostr": enc}
        else:
            sig = self.signature(timestamp, nonce)
            params = {"signature": "0" * 40 if forge else sig, "timestamp": timestamp, "nonce": nonce, "echostr": echostr}
        return self.http.get(self.url, params=params)

    def post(self, xml: str | bytes, forge: str = "") -> httpx.Response:
        """POST one callback; ``forge`` = "signature" or "msg_signature" sends a wrong one."""
        timestamp, nonce = self._stamp()
        params = {"timestamp": timestamp, "nonce": nonce}
        if self.kind == "wechat":
            params |= {"signature": self.signature(timestamp, nonce), "openid": "oUser"}
        body = xml.encode() if isinstance(xml, str) else xml
        if self.aes:
            envelope = xmltodict.parse(self.crypto.encrypt_message(body.decode(), nonce, timestamp))["xml"]
            body = f"<xml><ToUserName>{cdata(ACCOUNT)}</ToUserName><Encrypt>{cdata(envelope['Encrypt'])}</Encrypt></xml>".encode()
            params |= {"msg_signature": envelope["MsgSignature"]}
            if self.kind == "wechat":
                params |= {"encrypt_type": "aes"}
        if forge:
            params[forge] = "0" * 40
        return self.http.post(self.url, params=params, content=body, headers={"Content-Type": "text/xml"})

    def read(self, resp: httpx.Response) -> str | None:
        """The text the user sees: None for "success"/empty; checks signature and decrypts in AES mode."""
        assert resp.status_code == 200, resp.status_code
        if resp.text in ("success", ""):
            return None
        if self.aes:
            env = xmltodict.parse(resp.text)["xml"]
            plain = self.crypto.decrypt_message(resp.text, env["MsgSignature"], env["TimeStamp"], env["Nonce"])
            reply = parse_message(plain)
        else:
            reply = parse_message(resp.text)
        assert reply.type == "text" and reply.source in (ACCOUNT, CORPID)
        assert utf8_len(reply.content) <= 2048
        return reply.content

    def ask(self, user: str, content: str, msg_id: int | None = None) -> str | None:
        return self.read(self.post(message_xml(user, "text", next(_ids) if msg_id is None else msg_id, Content=content)))


def wx_settings(home: Path, api: FakeWeChatAPI, **kw: Any):
    return replace(
        make_settings(home),
        wechat_token=TOKEN,
        wechat_appid=APPID,
        wechat_secret=api.secret,
        wechat_aes_key=AES_KEY,
        wechat_api_base_url=api.base_url,
        wecom_token=WECOM_TOKEN,
        wecom_corpid=CORPID,
        wecom_aes_key=WECOM_KEY,
        wecom_secret=api.corpsecret,
        wecom_agent_id=str(api.agent_id),
        wecom_api_base_url=api.base_url,
        **kw,
    )


@pytest.fixture
def api() -> Iterator[FakeWeChatAPI]:
    with FakeWeChatAPI(appid=APPID, corpid=CORPID) as fake:
        yield fake


@pytest.fixture
def base(api: FakeWeChatAPI, engine: Any, engine_home: Path) -> Iterator[str]:
    with live_server(create_app(wx_settings(engine_home, api), engine)) as url:
        yield url


class SlowEngine:
    """The real engine behind a slow line: every answer takes ``delay`` seconds longer."""

    def __init__(self, engine: Any, delay: float) -> None:
        self.engine, self.delay, self.kb = engine, delay, engine.kb

    def answer(self, question: str, session: str) -> Answer:
        time.sleep(self.delay)
        return self.engine.answer(question, session)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)


class RepeatingEngine(SlowEngine):
    """The real engine with each answer's text repeated: a long reply made of real sentences."""

    def __init__(self, engine: Any, times: int) -> None:
        super().__init__(engine, 0)
        self.times = times

    def answer(self, question: str, session: str) -> Answer:
        a = self.engine.answer(question, session)
        return replace(a, answer=a.answer * self.times)


# ---------- verification and signatures ----------


def test_url_verification_plain_and_forged(base: str) -> None:
    wx = Platform(base)
    ok = wx.verify("echo-5566")
    assert ok.status_code == 200 and ok.text == "echo-5566"
    assert wx.verify(forge=True).status_code == 403
    assert httpx.get(f"{base}/wechat").status_code == 403
    assert httpx.get(f"{base}/wechat", params={"echostr": "x", "timestamp": "1", "nonce": "2"}).status_code == 403


def test_text_message_plain_mode_and_follow_up(base: str) -> None:
    wx = Platform(base)
    user = new_user()
    first = wx.ask(user, SHANGHAI_Q)
    assert first is not None and "3500亿元" in first and "来源" in first and "[1]" in first
    assert "上海市培育“元宇宙”新赛道行动方案（2022—2025年） · （二）主要目标" in first
    second = wx.ask(user, "那南京呢？")
    assert second is not None and "1350亿元" in second
    sources = wx.ask(user, "来源")
    assert sources is not None and "seeds/" in sources and "“" in sources
    assert wx.ask(user, "重新开始") == text("reset")


def test_aes_safe_mode_round_trip_and_forgeries(base: str) -> None:
    wx = Platform(base, aes=True)
    assert wx.verify("echo-aes").text == "echo-aes"
    user = new_user()
    reply = wx.ask(user, SHANGHAI_Q)
    assert reply is not None and "3500亿元" in reply
    msg = message_xml(user, "text", next(_ids), Content=SHANGHAI_Q)
    assert wx.post(msg, forge="signature").status_code == 403
    assert wx.post(msg, forge="msg_signature").status_code == 403
    # an encrypted message whose plaintext is an XML bomb: decrypted, then refused
    bomb = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>'
    assert wx.post(bomb).status_code == 400


def test_plain_only_account_refuses_encrypted_messages(api: FakeWeChatAPI, engine: Any, engine_home: Path) -> None:
    settings = replace(wx_settings(engine_home, api), wechat_aes_key="", wecom_token="")
    with live_server(create_app(settings, engine)) as url:
        assert httpx.get(f"{url}/wecom").status_code == 404
        assert Platform(url).ask(new_user(), SHANGHAI_Q) is not None
        assert Platform(url, aes=True).post(message_xml(new_user(), "text", next(_ids), Content="hi")).status_code == 400


# ---------- retries and slow answers ----------


def test_retried_msgid_is_answered_once(base: str, api: FakeWeChatAPI) -> None:
    wx = Platform(base)
    user = new_user()
    msg_id = next(_ids)
    replies = [wx.ask(user, SHANGHAI_Q, msg_id) for _ in range(3)]
    assert replies[0] is not None and "3500亿元" in replies[0]
    assert replies[1:] == [None, None]
    time.sleep(0.3)
    assert api.sent_to(user) == []


def test_retry_while_still_answering_delivers_on_the_newest_connection(api: FakeWeChatAPI, engine: Any, engine_home: Path) -> None:
    with live_server(create_app(wx_settings(engine_home, api), SlowEngine(engine, 1.5))) as url:
        wx = Platform(url)
        user, msg_id = new_user(), next(_ids)
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            first = pool.submit(wx.ask, user, SHANGHAI_Q, msg_id)
            time.sleep(0.5)
            second = pool.submit(wx.ask, user, SHANGHAI_Q, msg_id)
            answers = [first.result(), second.result()]
        assert answers[0] is None and answers[1] is not None and "3500亿元" in answers[1]
        assert api.sent_to(user) == []


def test_slow_answer_is_acknowledged_then_sent_by_customer_service(api: FakeWeChatAPI, engine: Any, engine_home: Path) -> None:
    with live_server(create_app(wx_settings(engine_home, api), SlowEngine(engine, 6.0))) as url:
        wx = Platform(url, aes=True)
        user, msg_id = new_user(), next(_ids)
        t0 = time.monotonic()
        ack = wx.ask(user, SHANGHAI_Q, msg_id)
        waited = time.monotonic() - t0
        assert ack == text("wechat_ack") and 4.0 <= waited < 5.0
        assert wx.ask(user, SHANGHAI_Q, msg_id) is None  # WeChat's retry: nothing more to say
        [delivered] = api.wait_for(lambda: api.sent_to(user), timeout=20)
        assert "3500亿元" in delivered and utf8_len(delivered) <= 2048
        assert [m["_kind"] for m in api.messages if m["touser"] == user] == ["wechat"]

        api.expire_tokens()  # the next delivery must fetch a new token
        other = new_user()
        assert wx.ask(other, "那南京呢？") == text("wechat_ack")
        api.wait_for(lambda: api.sent_to(other), timeout=20)
        assert len(api.token_requests) == 2 and api.token_requests[0]["appid"] == APPID
    assert len(api.sent_to(user)) == 1


def test_slow_answer_without_customer_service_waits_for_more(api: FakeWeChatAPI, engine: Any, engine_home: Path) -> None:
    settings = replace(wx_settings(engine_home, api), wechat_secret="")
    with live_server(create_app(settings, SlowEngine(engine, 5.0))) as url:
        wx = Platform(url)
        user = new_user()
        assert wx.ask(user, SHANGHAI_Q) == text("wechat_ack_pull")
        time.sleep(1.5)
        later = wx.ask(user, "更多")
        assert later is not None and "3500亿元" in later
    assert api.messages == []


def test_long_answers_are_cut_with_more(api: FakeWeChatAPI, engine: Any, engine_home: Path) -> None:
    long = RepeatingEngine(engine, 60)
    with live_server(create_app(wx_settings(engine_home, api), long)) as url:
        wx = Platform(url)
        user = new_user()
        pages = [wx.ask(user, SHANGHAI_Q)]
        while pages[-1] and pages[-1].endswith(text("more_hint")):
            pages.append(wx.ask(user, "更多"))
        assert len(pages) >= 3 and all(p and utf8_len(p) <= 2048 for p in pages)
        assert wx.ask(user, "更多") == text("no_more")
    expected = wechat_pages(answer_plain(long.answer(SHANGHAI_Q, f"wx-check:{user}")))
    assert pages == expected
    one = engine.answer(SHANGHAI_Q, f"wx-check2:{user}").answer
    assert all(p.replace(text("more_hint"), "").strip().endswith(("。", ")")) for p in pages[:-1]), "cut at sentence ends"
    assert "".join(p.replace("\n" + text("more_hint"), "") for p in pages).startswith(one * 60)


# ---------- bad input ----------


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName>'
    "<CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&lol2;</Content><MsgId>1</MsgId></xml>"
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><ToUserName>a</ToUserName>'
    "<FromUserName>b</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&xxe;</Content><MsgId>2</MsgId></xml>"
)


@pytest.mark.parametrize(
    "body",
    [
        BOMB,
        XXE,
        "<xml><ToUserName>a</ToUserName>",
        "this is not xml",
        "",
        "<notxml><MsgType>text</MsgType></notxml>",
        "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName></xml>",
        b"\xff\xfe<\x00x\x00",
        "<xml><MsgType>text</MsgType><MsgId>not-a-number</MsgId><FromUserName>b</FromUserName><ToUserName>a</ToUserName></xml>",
    ],
    ids=["bomb", "xxe", "truncated", "text", "empty", "wrong-root", "no-msgtype", "binary", "bad-msgid"],
)
def test_bad_xml_is_refused_with_400(base: str, body: str | bytes) -> None:
    resp = Platform(base).post(body)
    assert resp.status_code == 400 and "Traceback" not in resp.text


def test_oversized_body_is_refused(base: str) -> None:
    resp = Platform(base).post(message_xml(new_user(), "text", next(_ids), Content="长" * 40_000))
    assert resp.status_code == 413


def test_awkward_text_gets_polite_replies(base: str) -> None:
    wx = Platform(base, aes=True)
    user = new_user()
    for content in ("😀😀😀", "", "问" * 10_000, "]]> <xml>&amp; 上海元宇宙产业规模目标是多少？", "   "):
        reply = wx.ask(user, content)
        assert reply and "Traceback" not in reply and text("error") not in reply, content[:20]


def test_other_message_types_and_events(base: str) -> None:
    wx = Platform(base)
    user = new_user()
    hint = text("not_text")
    assert wx.read(wx.post(message_xml(user, "image", next(_ids), PicUrl="http://example.invalid/a.jpg", MediaId="m1"))) == hint
    assert wx.read(wx.post(message_xml(user, "location", next(_ids), Location_X="23.1", Location_Y="113.3", Scale=20, Label="x"))) == hint
    assert wx.read(wx.post(message_xml(user, "link", next(_ids), Title="t", Description="d", Url="http://example.invalid"))) == hint
    assert wx.read(wx.post(message_xml(user, "voice", next(_ids), MediaId="m2", Format="amr"))) == hint
    assert wx.read(wx.post(message_xml(user, "miniprogrampage", next(_ids), Title="t"))) == hint
    heard = wx.read(wx.post(message_xml(user, "voice", next(_ids), MediaId="m3", Format="amr", Recognition="上海元宇宙产业规模目标是多少")))
    assert heard is not None and "3500亿元" in heard
    welcome = wx.read(wx.post(message_xml(user, "event", Event="subscribe", EventKey="")))
    assert welcome is not None and "PolicyBot" in welcome
    assert wx.read(wx.post(message_xml(user, "event", Event="unsubscribe", EventKey=""))) is None
    assert wx.read(wx.post(message_xml(user, "event", Event="CLICK", EventKey="menu_1"))) is None


def test_rate_limit_per_user(api: FakeWeChatAPI, engine: Any, engine_home: Path) -> None:
    with live_server(create_app(wx_settings(engine_home, api, rate_per_user_per_min=2), engine)) as url:
        wx = Platform(url)
        user = new_user()
        replies = [wx.ask(user, SHANGHAI_Q) for _ in range(4)]
    assert all("3500亿元" in r for r in replies[:2] if r)
    assert replies[2] == text("rate_user") and replies[3] is None


# ---------- WeCom ----------


def test_wecom_verification_message_and_slow_delivery(api: FakeWeChatAPI, engine: Any, engine_home: Path) -> None:
    with live_server(create_app(wx_settings(engine_home, api), engine)) as url:
        wc = Platform(url, kind="wecom")
        ok = wc.verify("wecom-echo-42")
        assert ok.status_code == 200 and ok.text == "wecom-echo-42"
        assert wc.verify(forge=True).status_code == 403
        user = new_user()
        reply = wc.read(wc.post(message_xml(user, "text", next(_ids), to=CORPID, Content=SHANGHAI_Q, AgentID=api.agent_id)))
        assert reply is not None and "3500亿元" in reply
        welcome = wc.read(wc.post(message_xml(user, "event", to=CORPID, Event="subscribe", AgentID=api.agent_id)))
        assert welcome is not None and "PolicyBot" in welcome
        assert wc.post(message_xml(user, "text", next(_ids), to=CORPID, Content="hi", AgentID=1), forge="msg_signature").status_code == 403
        assert wc.post(BOMB).status_code == 400
    with live_server(create_app(wx_settings(engine_home, api), SlowEngine(engine, 5.5))) as url:
        wc = Platform(url, kind="wecom")
        user = new_user()
        ack = wc.read(wc.post(message_xml(user, "text", next(_ids), to=CORPID, Content=SHANGHAI_Q, AgentID=api.agent_id)))
        assert ack == text("wechat_ack")
        [delivered] = api.wait_for(lambda: api.sent_to(user), timeout=20)
        assert "3500亿元" in delivered
        assert api.messages[-1]["_kind"] == "wecom" and api.messages[-1]["agentid"] == api.agent_id
