"""WeChat official account (``/wechat``) and WeCom app (``/wecom``) callbacks, with wechatpy.

The platform calls us: GET to verify the URL (echostr), POST with an XML message, in plain or AES
safe mode. It waits 5 seconds for the reply and retries the same MsgId up to three times, so:

* every message is keyed (MsgId, or sender + time + event) and its answer computed once;
* the reply is passive when ready within ``passive_timeout`` (4.5 s); otherwise we acknowledge
  and deliver the answer later through the message API (WeChat customer-service message,
  WeCom app message), or keep it for "更多" when no API secret is configured;
* a retry of a message already answered gets "success" (WeChat's "nothing to add").

Bodies are parsed with defusedxml (no DTDs, no entities: XML bombs and malformed XML are 400),
signatures are checked in constant time (403 when wrong), and replies stay within 2048 bytes:
longer ones are cut at a sentence with a hint to reply "更多".
"""

from __future__ import annotations

import asyncio
import binascii
import hashlib
import hmac
import json
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Literal
from xml.etree.ElementTree import ParseError

import httpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from wechatpy import parse_message as parse_wechat_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.enterprise import parse_message as parse_wecom_message
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.replies import TextReply

from bot.channels import Engine
from bot.channels.limits import RateLimiter
from bot.channels.render import MORE_WORDS, MoreBuffer, answer_plain, sources_plain, text, wechat_pages, xml_safe
from bot.settings import Settings

log = logging.getLogger("policybot.wechat")

Kind = Literal["wechat", "wecom"]
PASSIVE_TIMEOUT_S = 4.5  # WeChat gives up on a reply after 5 s and retries
MAX_BODY_BYTES = 64 * 1024
SEEN_TTL_S = 120.0  # three retries at 5 s fit well inside
SEEN_MAX = 20_000
RESET_WORDS = frozenset({"重新开始", "重置", "/reset", "reset"})
SOURCES_WORDS = frozenset({"来源", "出处", "/sources", "sources"})
HELP_WORDS = frozenset({"帮助", "/help", "help", "?", "？"})
WELCOME_EVENTS = frozenset({"subscribe", "subscribe_scan", "enter_agent"})
TOKEN_ERRORS = frozenset({40001, 40014, 42001})


class BadRequest(Exception):
    """The callback body is not a readable WeChat message."""


class Forbidden(Exception):
    """The request's signature does not match our token."""


class DeliveryError(Exception):
    """The platform's message API refused or could not be reached."""


def parse_xml(raw: bytes | str) -> dict[str, str]:
    """The top-level fields of a ``<xml>`` message, parsed safely (no DTD, no entities)."""
    try:
        root = safe_fromstring(raw, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise BadRequest(f"unreadable XML: {exc.__class__.__name__}") from exc
    if root.tag != "xml":
        raise BadRequest(f"root element must be <xml>, not <{root.tag[:40]}>")
    return {child.tag: (child.text or "") for child in root}


def plain_signature(token: str, timestamp: str, nonce: str) -> str:
    """WeChat's URL signature: SHA-1 of the sorted token, timestamp and nonce."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def text_reply(to_user: str, from_user: str, content: str) -> str:
    """A passive text reply as WeChat XML (CDATA-safe even for ``]]>`` in the text)."""

    def safe(s: str) -> str:
        return xml_safe(s).replace("]]>", "]]]]><![CDATA[>")

    return TextReply(source=safe(from_user), target=safe(to_user), content=safe(content)).render()


@dataclass
class Reply:
    """What one message gets: pages of text (the first sent now), or nothing."""

    pages: list[str] | None
    keep_rest: bool = True  # False for "更多" pages, which come from the buffer itself


@dataclass
class _Seen:
    task: asyncio.Task[Reply]
    created: float = field(default_factory=time.monotonic)
    attempts: int = 0
    state: str = "pending"  # pending | replied | later


class MessageAPI:
    """Sends text to a user: WeChat customer-service messages or WeCom app messages; caches the access token."""

    def __init__(self, kind: Kind, base_url: str, app_id: str, secret: str, agent_id: str = "", timeout: float = 10.0) -> None:
        self.kind = kind
        self.base = base_url.rstrip("/")
        self.app_id = app_id
        self.secret = secret
        self.agent_id = agent_id
        self.timeout = timeout
        self._token: tuple[str, float] | None = None
        self._lock: asyncio.Lock | None = None
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.timeout)
        return self._client

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _json(self, method: str, url: str, **kw: Any) -> dict[str, Any]:
        try:
            resp = await self._http().request(method, url, **kw)
            data = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise DeliveryError(f"{self.kind} API unreachable or unreadable: {exc.__class__.__name__}") from exc
        if not isinstance(data, dict):
            raise DeliveryError(f"{self.kind} API answered {resp.status_code} without a JSON object")
        return data

    async def token(self, refresh: bool = False) -> str:
        """A valid access token, fetched from ``/cgi-bin/token`` (``/cgi-bin/gettoken`` for WeCom) when needed."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._token and not refresh and time.monotonic() < self._token[1]:
                return self._token[0]
            if self.kind == "wechat":
                params = {"grant_type": "client_credential", "appid": self.app_id, "secret": self.secret}
                data = await self._json("GET", f"{self.base}/cgi-bin/token", params=params)
            else:
                data = await self._json("GET", f"{self.base}/cgi-bin/gettoken", params={"corpid": self.app_id, "corpsecret": self.secret})
            token = data.get("access_token")
            if not token:
                raise DeliveryError(f"{self.kind} token refused: errcode {data.get('errcode')} {data.get('errmsg', '')}")
            ttl = float(data.get("expires_in") or 7200)
            self._token = (str(token), time.monotonic() + max(60.0, ttl - 300))
            return self._token[0]

    async def send_text(self, user: str, content: str) -> None:
        """Send one text message; refreshes the token once if the platform says it is stale."""
        if self.kind == "wechat":
            path = "/cgi-bin/message/custom/send"
            body: dict[str, Any] = {"touser": user, "msgtype": "text", "text": {"content": content}}
        else:
            path = "/cgi-bin/message/send"
            agent: int | str = int(self.agent_id) if self.agent_id.isdigit() else self.agent_id
            body = {"touser": user, "msgtype": "text", "agentid": agent, "text": {"content": content}}
        raw = json.dumps(body, ensure_ascii=False).encode()  # the API wants UTF-8, not \u escapes
        for attempt in (0, 1):
            token = await self.token(refresh=attempt == 1)
            data = await self._json(
                "POST", f"{self.base}{path}", params={"access_token": token}, content=raw, headers={"Content-Type": "application/json"}
            )
            code = int(data.get("errcode") or 0)
            if code == 0:
                return
            if code not in TOKEN_ERRORS or attempt == 1:
                raise DeliveryError(f"{self.kind} message refused: errcode {code} {data.get('errmsg', '')}")


class WeChatEndpoint:
    """One callback URL (WeChat official account or WeCom app) over the answer engine."""

    def __init__(
        self,
        kind: Kind,
        settings: Settings,
        engine: Engine,
        *,
        passive_timeout: float = PASSIVE_TIMEOUT_S,
        api: MessageAPI | None = None,
    ) -> None:
        self.kind = kind
        self.engine = engine
        self.settings = settings
        self.passive_timeout = passive_timeout
        self.path = f"/{kind}"
        s = settings
        if kind == "wechat":
            self.token, aes, self.account, secret = s.wechat_token, s.wechat_aes_key, s.wechat_appid, s.wechat_secret
            base, agent = s.wechat_api_base_url, ""
        else:
            self.token, aes, self.account, secret = s.wecom_token, s.wecom_aes_key, s.wecom_corpid, s.wecom_secret
            base, agent = s.wecom_api_base_url, s.wecom_agent_id
        prefix = "POLICYBOT_" + kind.upper()
        if not self.token:
            raise ValueError(f"{prefix}_TOKEN is not set")
        self.crypto: WeChatCrypto | WeComCrypto | None = None
        if aes:
            if not self.account:
                raise ValueError(f"{prefix}_{'APPID' if kind == 'wechat' else 'CORPID'} is needed for AES safe mode")
            try:
                cls = WeChatCrypto if kind == "wechat" else WeComCrypto
                self.crypto = cls(self.token, aes, self.account)
            except (AssertionError, binascii.Error, ValueError) as exc:
                raise ValueError(f"{prefix}_AES_KEY must be the 43-character EncodingAESKey") from exc
        elif kind == "wecom":
            raise ValueError("POLICYBOT_WECOM_AES_KEY is not set (WeCom callbacks are always encrypted)")
        if api is None and secret and self.account:
            api = MessageAPI(kind, base, self.account, secret, agent)
        self.api = api
        self.rate = RateLimiter(settings.rate_per_user_per_min)
        self.more = MoreBuffer()
        self._seen: OrderedDict[str, _Seen] = OrderedDict()
        self._background: set[asyncio.Task[Any]] = set()

    # ---------- HTTP ----------

    def router(self) -> APIRouter:
        """GET (URL verification) and POST (messages) at ``/wechat`` or ``/wecom``."""
        router = APIRouter()
        router.add_api_route(self.path, self.verify, methods=["GET"], include_in_schema=False)
        router.add_api_route(self.path, self.receive, methods=["POST"], include_in_schema=False)
        return router

    async def verify(self, request: Request) -> Response:
        """URL verification: echo ``echostr`` when the signature is ours (WeCom: decrypt it first)."""
        q = request.query_params
        timestamp, nonce, echostr = q.get("timestamp", ""), q.get("nonce", ""), q.get("echostr", "")
        if self.kind == "wechat":
            if not self._signed(q):
                return self._forbidden(request)
            return PlainTextResponse(echostr)
        assert self.crypto is not None
        try:
            plain = self.crypto.check_signature(q.get("msg_signature", ""), timestamp, nonce, echostr)
        except InvalidSignatureException:
            return self._forbidden(request)
        except Exception as exc:  # undecryptable echostr
            log.warning("%s: bad echostr: %s", self.kind, exc.__class__.__name__)
            return Response(status_code=400)
        return PlainTextResponse(plain.decode() if isinstance(plain, bytes) else str(plain))

    async def receive(self, request: Request) -> Response:
        """A message: check, decrypt, parse, answer (passively or later), encrypt the reply."""
        started = time.monotonic()
        try:
            raw = await self._body(request)
            q = request.query_params
            encrypted = self.kind == "wecom" or q.get("encrypt_type", "raw").lower() == "aes"
            if self.kind == "wechat" and not self._signed(q):
                raise Forbidden("signature")
            xml = self._decrypt(raw, q) if encrypted else raw
            parse_xml(xml)  # reject bombs and malformed XML before wechatpy's own parser sees it
            try:
                message = parse_wechat_message(xml) if self.kind == "wechat" else parse_wecom_message(xml)
                if message is None:
                    raise BadRequest("empty message")
                for name in ("id", "source", "target", "time", "type"):
                    getattr(message, name)  # wechatpy converts lazily: bad MsgId/CreateTime surface here
            except BadRequest:
                raise
            except Exception as exc:
                raise BadRequest(f"not a {self.kind} message: {exc.__class__.__name__}") from exc
        except Forbidden:
            return self._forbidden(request)
        except BadRequest as exc:
            log.warning("%s: bad request from %s: %s", self.kind, request.client.host if request.client else "?", exc)
            return Response(status_code=400)
        except _TooLarge:
            return Response(status_code=413)
        try:
            content = await self.respond(message, started)
        except Exception:
            log.exception("%s: replying failed", self.kind)
            content = text("error")
        if content is None:
            return PlainTextResponse("success")
        reply = text_reply(message.source, message.target, content)
        if encrypted:
            assert self.crypto is not None
            reply = self.crypto.encrypt_message(reply, request.query_params.get("nonce", "") or str(int(time.time())))
        return Response(reply, media_type="application/xml")

    async def _body(self, request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise _TooLarge()
        chunks = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise _TooLarge()
            chunks.append(chunk)
        return b"".join(chunks)

    def _decrypt(self, raw: bytes, q: Any) -> str:
        if self.crypto is None:
            log.error("%s: an encrypted message arrived but POLICYBOT_%s_AES_KEY is not set", self.kind, self.kind.upper())
            raise BadRequest("encrypted message without an AES key configured")
        envelope = parse_xml(raw)
        if "Encrypt" not in envelope:
            raise BadRequest("no <Encrypt> element")
        try:
            plain = self.crypto.decrypt_message(envelope, q.get("msg_signature", ""), q.get("timestamp", ""), q.get("nonce", ""))
        except InvalidSignatureException as exc:
            raise Forbidden("msg_signature") from exc
        except Exception as exc:  # bad base64, padding, app id: not from our platform
            raise BadRequest(f"undecryptable message: {exc.__class__.__name__}") from exc
        return plain.decode() if isinstance(plain, bytes) else str(plain)

    def _signed(self, q: Any) -> bool:
        expected = plain_signature(self.token, q.get("timestamp", ""), q.get("nonce", ""))
        return _same(q.get("signature", ""), expected)

    def _forbidden(self, request: Request) -> Response:
        log.warning("%s: signature mismatch from %s", self.kind, request.client.host if request.client else "?")
        return Response(status_code=403)

    # ---------- messages ----------

    @staticmethod
    def _key(message: Any) -> str:
        """MsgId for messages; sender + CreateTime + event for events (WeChat's own advice for deduplication)."""
        if getattr(message, "id", 0):
            return f"id:{message.id}"
        return f"ev:{message.source}:{message.time}:{getattr(message, 'event', '') or message.type}"

    async def respond(self, message: Any, started: float | None = None) -> str | None:
        """The passive reply for a message (None: reply "success"), computing each message's answer once."""
        started = time.monotonic() if started is None else started
        key = self._key(message)
        seen = self._seen.get(key)
        if seen is None:
            seen = _Seen(asyncio.ensure_future(self._reply_for(message)))
            self._remember(key, seen)
        seen.attempts += 1
        mine = seen.attempts
        if seen.state != "pending":
            return None  # answered already, or on its way by the message API
        left = self.passive_timeout - (time.monotonic() - started)
        try:
            reply = await asyncio.wait_for(asyncio.shield(seen.task), timeout=max(0.0, left))
        except TimeoutError:
            if seen.attempts != mine or seen.state != "pending":
                return None
            seen.state = "later"
            self._spawn(self._deliver_later(seen, message.source))
            return text("wechat_ack") if self.api is not None else text("wechat_ack_pull")
        if seen.attempts != mine or seen.state != "pending":
            return None  # a newer retry of the same message delivers it
        seen.state = "replied"
        return self._first_page(message.source, reply)

    def _first_page(self, user: str, reply: Reply) -> str | None:
        if not reply.pages:
            return None
        if reply.keep_rest:
            self.more.put(user, reply.pages[1:])
        return reply.pages[0]

    def _remember(self, key: str, seen: _Seen) -> None:
        self._seen[key] = seen
        now = time.monotonic()
        while self._seen:
            oldest = next(iter(self._seen.values()))
            if len(self._seen) <= SEEN_MAX and now - oldest.created < SEEN_TTL_S:
                break
            self._seen.popitem(last=False)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _deliver_later(self, seen: _Seen, user: str) -> None:
        """Send a slow answer through the message API (or keep it for "更多" when there is none)."""
        reply = await seen.task
        if not reply.pages:
            return
        if self.api is not None:
            first = self._first_page(user, reply)
            try:
                await self.api.send_text(user, first or "")
                log.info("%s: slow answer delivered by the message API", self.kind)
                return
            except DeliveryError as exc:
                log.error("%s: could not deliver a slow answer: %s", self.kind, exc)
        self.more.put(user, reply.pages if reply.keep_rest else reply.pages[:1])

    async def _reply_for(self, message: Any) -> Reply:
        """What a message gets, whatever its type; never raises."""
        try:
            return await self._reply_inner(message)
        except Exception:
            log.exception("%s: answering a message failed", self.kind)
            return Reply([text("error")])

    async def _reply_inner(self, message: Any) -> Reply:
        user = message.source
        if message.type == "event":
            if getattr(message, "event", "") in WELCOME_EVENTS:
                return Reply(wechat_pages(text("welcome") + "\n" + text("wechat_help")))
            return Reply(None)
        question = message.content if message.type == "text" else getattr(message, "recognition", None) if message.type == "voice" else None
        if not self.rate.allow(user):
            log.info("%s: rate limit for %s", self.kind, user)
            return Reply([text("rate_user")] if self.rate.should_notice(user) else None)
        if not question:
            return Reply([text("not_text")], keep_rest=False)
        session = f"{self.kind}:{self.account}:{user}"
        word = question.strip()
        if word in MORE_WORDS:
            page = self.more.next(user)
            return Reply([page or text("no_more")], keep_rest=False)
        if word in RESET_WORDS:
            await asyncio.to_thread(self.engine.reset, session)
            return Reply([text("reset")])
        if word in HELP_WORDS:
            return Reply(wechat_pages(text("wechat_help")))
        if word in SOURCES_WORDS:
            last = await asyncio.to_thread(self.engine.last_answer, session)
            return Reply(wechat_pages(sources_plain(last)))
        answer = await asyncio.to_thread(self.engine.answer, question, session)
        return Reply(wechat_pages(answer_plain(answer)))

    async def aclose(self) -> None:
        """Finish background deliveries and close the message API client."""
        if self._background:
            await asyncio.wait(self._background, timeout=10)
        if self.api is not None:
            await self.api.aclose()


class _TooLarge(Exception):
    """The body is over MAX_BODY_BYTES."""
