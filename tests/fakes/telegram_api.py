"""A local Telegram Bot API server for tests, faithful to the protocol the real one speaks.

It behaves like ``telegram-bot-api --local`` (the self-hosted server, which also accepts plain-HTTP
webhooks on any port): requests to ``/bot<token>/<method>`` with parameters in the query string, a
form, multipart or JSON body; replies ``{"ok": true, "result": …}`` or ``{"ok": false,
"error_code": …, "description": …}``. ``getUpdates`` long-polls with ``offset``/``limit``/``timeout``
and confirms updates below the offset; while a webhook is set it answers 409 and the server pushes
updates to the webhook itself with the ``X-Telegram-Bot-Api-Secret-Token`` header. ``sendMessage``
parses HTML the way Telegram does (only its tags and entities, properly nested), rejects empty and
over-long (4096 UTF-16 units after parsing) texts and unknown chats, and returns a real ``Message``.

Tests script the world (``private_text``, ``group_text``, ``sticker`` …) and read what the bot did
(``calls``, ``sent``).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import json
import re
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes import loopback_server

MAX_TEXT = 4096
CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*>")
_ATTR = re.compile(r"([A-Za-z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
CONFLICT = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"


class ApiError(Exception):
    """An error reply of the Bot API."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def u16(s: str) -> int:
    """Length in UTF-16 code units, as the Bot API counts offsets and lengths."""
    return len(s.encode("utf-16-le")) // 2


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's HTML parse mode: plain text and entities, or ApiError(400) like the real server."""
    out: list[str] = []
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, int, dict[str, str]]] = []
    pos = 0
    length = 0  # UTF-16 units emitted so far

    def fail(why: str) -> ApiError:
        return ApiError(400, f"Bad Request: can't parse entities: {why} at byte offset {len(source[:pos].encode())}")

    while pos < len(source):
        ch = source[pos]
        if ch == "<":
            m = _TAG.match(source, pos)
            if not m:
                raise fail("Unclosed start tag" if not source.startswith("</", pos) else "Unclosed end tag")
            closing, name = m.group(1) == "/", m.group(2).lower()
            if name not in HTML_TAGS:
                raise fail(f'Unsupported {"end" if closing else "start"} tag "{name}"')
            if closing:
                if not stack or stack[-1][0] != name:
                    expected = f'"</{stack[-1][0]}>"' if stack else "nothing"
                    raise fail(f'Unmatched end tag, expected {expected}, found "</{name}>"')
                tag, start, attrs = stack.pop()
                if length > start:
                    ent: dict[str, Any] = {"type": HTML_TAGS[tag], "offset": start, "length": length - start}
                    if tag == "a":
                        ent["url"] = attrs.get("href", "")
                    if tag == "span" and attrs.get("class") != "tg-spoiler":
                        raise fail('Tag "span" must have class "tg-spoiler"')
                    entities.append(ent)
            else:
                attrs = {a.group(1).lower(): next((g for g in a.groups()[1:] if g is not None), "") for a in _ATTR.finditer(m.group(3))}
                stack.append((name, length, attrs))
            pos = m.end()
            continue
        if ch == "&":
            m = _ENTITY.match(source, pos)
            if not m:
                raise fail("Unsupported HTML entity")
            ref = m.group(1)
            piece = _NAMED.get(ref) or chr(int(ref[2:], 16) if ref.startswith("#x") else int(ref[1:]))
            pos = m.end()
        elif ch == ">":
            raise fail("Unexpected character '>'")
        else:
            piece = ch
            pos += 1
        out.append(piece)
        length += u16(piece)
    if stack:
        raise fail(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return "".join(out), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def auto_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram attaches to a user's text: bot commands and @mentions."""
    ents = []
    for pattern, kind in ((_COMMAND, "bot_command"), (_MENTION, "mention")):
        for m in pattern.finditer(text):
            ents.append({"type": kind, "offset": u16(text[: m.start()]), "length": u16(m.group(0))})
    return sorted(ents, key=lambda e: e["offset"])


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


class FakeBotAPI:
    """The server and the world it serves: users, chats, messages, pending updates."""

    def __init__(self, token: str = "123456:TEST-fake-token", username: str = "policy_test_bot", bot_id: int = 123456) -> None:
        self.token = token
        self.me = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "PolicyBot",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []  # pending (not yet confirmed) updates
        self.next_update_id = 1000
        self.chats: dict[int, dict[str, Any]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.next_message_id: dict[int, int] = {}
        self.callback_ids: set[str] = set()
        self.commands: list[dict[str, str]] = []
        self.webhook: dict[str, Any] = {"url": ""}
        self.webhook_errors: list[str] = []
        self.getupdates_concurrent = 0
        self.cond = threading.Condition()
        self._stopping = False
        self._server: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []

    # ---------- lifecycle ----------

    def start(self) -> FakeBotAPI:
        self._server = loopback_server(self._handle)
        serve = threading.Thread(target=self._server.serve_forever, name="fake-bot-api", daemon=True)
        push = threading.Thread(target=self._push_webhooks, name="fake-bot-api-webhook", daemon=True)
        self._threads = [serve, push]
        for t in self._threads:
            t.start()
        return self

    def stop(self) -> None:
        with self.cond:
            self._stopping = True
            self.cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        for t in self._threads:
            t.join(timeout=5)

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """What the bot is configured with (``POLICYBOT_TELEGRAM_BASE_URL``); the token is appended."""
        return f"http://127.0.0.1:{self.port}/bot"

    # ---------- HTTP ----------

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        status, payload = 200, None
        try:
            parts = urlsplit(req.path)
            m = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", parts.path)
            if not m:
                raise ApiError(404, "Not Found")
            if m.group(1) != self.token:
                raise ApiError(401, "Unauthorized")
            params = dict(parse_qsl(parts.query))
            params.update(self._body(req))
            result = self._dispatch(m.group(2).lower(), params)
            payload = {"ok": True, "result": result}
        except ApiError as exc:
            status = exc.code
            payload = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.parameters:
                payload["parameters"] = exc.parameters
        raw = json.dumps(payload, ensure_ascii=False).encode()
        try:
            req.send_response(status)
            req.send_header("Content-Type", "application/json")
            req.send_header("Content-Length", str(len(raw)))
            req.end_headers()
            req.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on a long poll (it is shutting down)

    @staticmethod
    def _body(req: BaseHTTPRequestHandler) -> dict[str, Any]:
        n = int(req.headers.get("Content-Length") or 0)
        raw = req.rfile.read(n) if n else b""
        if not raw:
            return {}
        ctype = req.headers.get("Content-Type", "")
        if ctype.startswith("application/json"):
            try:
                data = json.loads(raw)
            except ValueError as exc:
                raise ApiError(400, "Bad Request: can't parse JSON object") from exc
            if not isinstance(data, dict):
                raise ApiError(400, "Bad Request: JSON object expected")
            return data
        if ctype.startswith("application/x-www-form-urlencoded"):
            return dict(parse_qsl(raw.decode(), keep_blank_values=True))
        if ctype.startswith("multipart/form-data"):
            msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + raw)
            out = {}
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if name:
                    out[name] = part.get_content() if part.get_content_maintype() == "text" else part.get_payload(decode=True)
            return out
        raise ApiError(400, "Bad Request: unsupported Content-Type")

    # ---------- parameters ----------

    @staticmethod
    def _obj(params: dict[str, Any], name: str, default: Any = None) -> Any:
        v = params.get(name, default)
        if isinstance(v, str) and v[:1] in "[{":
            try:
                return json.loads(v)
            except ValueError as exc:
                raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from exc
        return v

    @staticmethod
    def _int(params: dict[str, Any], name: str, default: int | None = None) -> int | None:
        v = params.get(name)
        if v is None or v == "":
            return default
        try:
            return int(v)
        except (TypeError, ValueError) as exc:
            raise ApiError(400, f"Bad Request: wrong parameter {name} specified") from exc

    @staticmethod
    def _bool(params: dict[str, Any], name: str) -> bool:
        v = params.get(name)
        return v is True or (isinstance(v, str) and v.lower() in ("true", "1"))

    def _chat(self, params: dict[str, Any]) -> dict[str, Any]:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        try:
            chat_id = int(raw)
        except (TypeError, ValueError) as exc:
            raise ApiError(400, "Bad Request: chat not found") from exc
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    # ---------- methods ----------

    def _dispatch(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getupdates":
            return self._get_updates(params)
        with self.cond:
            self.calls.append(Call(method, params))
            try:
                return self._method(method, params)
            finally:
                self.cond.notify_all()

    def _method(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getme":
            return self.me
        if method == "sendmessage":
            return self._send_message(params)
        if method == "sendchataction":
            self._chat(params)
            if params.get("action") not in CHAT_ACTIONS:
                raise ApiError(400, "Bad Request: wrong parameter action in request")
            return True
        if method == "setwebhook":
            return self._set_webhook(params)
        if method == "deletewebhook":
            if self._bool(params, "drop_pending_updates"):
                self.updates.clear()
            self.webhook = {"url": ""}
            return True
        if method == "getwebhookinfo":
            info = {"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": len(self.updates)}
            if self.webhook.get("url"):
                info["max_connections"] = self.webhook.get("max_connections", 40)
                if self.webhook.get("allowed_updates") is not None:
                    info["allowed_updates"] = self.webhook["allowed_updates"]
            if self.webhook_errors:
                info["last_error_date"] = int(time.time())
                info["last_error_message"] = self.webhook_errors[-1]
            return info
        if method == "answercallbackquery":
            qid = params.get("callback_query_id")
            if qid not in self.callback_ids:
                raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
            self.callback_ids.discard(qid)
            return True
        if method == "setmycommands":
            commands = self._obj(params, "commands")
            if not isinstance(commands, list):
                raise ApiError(400, "Bad Request: can't parse commands JSON object")
            for c in commands:
                if not re.fullmatch(r"[a-z0-9_]{1,32}", str(c.get("command", ""))) or not 1 <= len(str(c.get("description", ""))) <= 256:
                    raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            self.commands = commands
            return True
        if method == "getmycommands":
            return self.commands
        if method in ("close", "logout"):
            return True
        raise ApiError(404, "Not Found")

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = self._int(params, "offset", 0) or 0
        limit = max(1, min(100, self._int(params, "limit", 100) or 100))
        timeout = max(0, min(50, self._int(params, "timeout", 0) or 0))
        allowed = self._obj(params, "allowed_updates")
        deadline = time.monotonic() + timeout
        with self.cond:
            self.calls.append(Call("getupdates", params))
            if self.webhook.get("url"):
                raise ApiError(409, CONFLICT)
            if isinstance(allowed, list):
                self.webhook["allowed_updates"] = allowed or None
            if offset < 0:
                self.updates = self.updates[offset:]
            elif offset:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while True:
                ready = [u for u in self.updates if self._wanted(u)][:limit]
                left = deadline - time.monotonic()
                if ready or left <= 0 or self._stopping:
                    return ready
                self.cond.wait(left)

    def _wanted(self, update: dict[str, Any]) -> bool:
        allowed = self.webhook.get("allowed_updates")
        kind = next(k for k in update if k != "update_id")
        default = kind not in ("chat_member", "message_reaction", "message_reaction_count")
        return kind in allowed if allowed else default

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = params.get("url", "")
        if url and urlsplit(url).scheme not in ("http", "https"):
            raise ApiError(400, "Bad Request: bad webhook: Unsupported URL protocol")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET.fullmatch(secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if self._bool(params, "drop_pending_updates"):
            self.updates.clear()
        allowed = self._obj(params, "allowed_updates")
        self.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": self._int(params, "max_connections", 40),
            "allowed_updates": allowed if isinstance(allowed, list) and allowed else None,
        }
        self.webhook_errors.clear()
        return True

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        source = params.get("text")
        if source is None:
            raise ApiError(400, "Bad Request: message text is empty")
        source = str(source)
        mode = (params.get("parse_mode") or "").lower()
        if mode == "html":
            plain, entities = parse_html(source)
        else:
            plain, entities = source, []
        stripped = plain.strip()
        if not stripped:
            raise ApiError(400, "Bad Request: message text is empty")
        if u16(stripped) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        reply = self._obj(params, "reply_parameters")
        reply_id = self._int(params, "reply_to_message_id")
        if isinstance(reply, dict):
            reply_id = int(reply.get("message_id", 0))
        replied = None
        if reply_id is not None:
            replied = self.messages.get((chat["id"], reply_id))
            allow = self._bool(params, "allow_sending_without_reply")
            allow = allow or (isinstance(reply, dict) and bool(reply.get("allow_sending_without_reply")))
            if replied is None and not allow:
                raise ApiError(400, "Bad Request: message to be replied not found")
        msg: dict[str, Any] = {
            "message_id": self._new_message_id(chat["id"]),
            "from": {k: self.me[k] for k in ("id", "is_bot", "first_name", "username")},
            "chat": chat,
            "date": int(time.time()),
            "text": plain,
        }
        if entities:
            msg["entities"] = entities
        if replied is not None:
            msg["reply_to_message"] = {k: v for k, v in replied.items() if k != "reply_to_message"}
        if params.get("message_thread_id"):
            msg["message_thread_id"] = self._int(params, "message_thread_id")
        self.messages[(chat["id"], msg["message_id"])] = msg
        return msg

    def _new_message_id(self, chat_id: int) -> int:
        n = self.next_message_id.get(chat_id, 1)
        self.next_message_id[chat_id] = n + 1
        return n

    # ---------- webhook pushing ----------

    def _push_webhooks(self) -> None:
        while True:
            with self.cond:
                while not self._stopping and not (self.webhook.get("url") and any(self._wanted(u) for u in self.updates)):
                    self.cond.wait(0.5)
                if self._stopping:
                    return
                update = next(u for u in self.updates if self._wanted(u))
                url, secret = self.webhook["url"], self.webhook.get("secret_token")
            req = urllib.request.Request(url, data=json.dumps(update).encode(), method="POST", headers={"Content-Type": "application/json"})
            if secret:
                req.add_header("X-Telegram-Bot-Api-Secret-Token", secret)
            try:
                with urllib.request.urlopen(req, timeout=10) as resp:
                    ok = 200 <= resp.status < 300
                    why = f"Wrong response from the webhook: {resp.status}"
            except urllib.error.HTTPError as exc:
                ok, why = False, f"Wrong response from the webhook: {exc.code} {exc.reason}"
            except OSError as exc:
                ok, why = False, f"Connection failed: {exc}"
            with self.cond:
                if ok:
                    self.updates = [u for u in self.updates if u["update_id"] != update["update_id"]]
                else:
                    self.webhook_errors.append(why)
                self.cond.notify_all()
            if not ok:
                time.sleep(0.2)

    # ---------- scripting the world ----------

    @staticmethod
    def user(user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "username": f"user{user_id}", "language_code": "zh-hans"}

    def _remember_chat(self, chat: dict[str, Any]) -> dict[str, Any]:
        with self.cond:
            self.chats.setdefault(chat["id"], chat)
            return self.chats[chat["id"]]

    def private_chat(self, user_id: int) -> dict[str, Any]:
        return self._remember_chat({"id": user_id, "type": "private", "first_name": f"User{user_id}", "username": f"user{user_id}"})

    def group_chat(self, chat_id: int, title: str = "园区招商群") -> dict[str, Any]:
        return self._remember_chat({"id": chat_id, "type": "supergroup" if chat_id < -1_000_000_000_000 else "group", "title": title})

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue one update of ``kind`` (message, edited_message, callback_query …) and wake pollers."""
        with self.cond:
            update = {"update_id": self.next_update_id, kind: payload}
            self.next_update_id += 1
            self.updates.append(update)
            self.cond.notify_all()
            return update

    def _message(self, chat: dict[str, Any], user_id: int, reply_to: int | None = None, **content: Any) -> dict[str, Any]:
        with self.cond:
            msg = {"message_id": self._new_message_id(chat["id"]), "from": self.user(user_id), "chat": chat, "date": int(time.time())}
            msg.update(content)
            if reply_to is not None:
                replied = self.messages.get((chat["id"], reply_to))
                if replied is not None:
                    msg["reply_to_message"] = {k: v for k, v in replied.items() if k != "reply_to_message"}
            self.messages[(chat["id"], msg["message_id"])] = msg
            return msg

    def text_message(self, chat: dict[str, Any], user_id: int, text: str, reply_to: int | None = None) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        ents = auto_entities(text)
        if ents:
            content["entities"] = ents
        return self._message(chat, user_id, reply_to, **content)

    def private_text(self, user_id: int, text: str) -> dict[str, Any]:
        """A user writes to the bot in a private chat."""
        return self.push("message", self.text_message(self.private_chat(user_id), user_id, text))

    def group_text(self, chat_id: int, user_id: int, text: str, reply_to: int | None = None) -> dict[str, Any]:
        """A user writes in a group the bot is in."""
        return self.push("message", self.text_message(self.group_chat(chat_id), user_id, text, reply_to))

    def edit(self, update: dict[str, Any], new_text: str) -> dict[str, Any]:
        """The user edits an earlier message."""
        msg = dict(update["message"], text=new_text, edit_date=int(time.time()))
        ents = auto_entities(new_text)
        msg.pop("entities", None)
        if ents:
            msg["entities"] = ents
        with self.cond:
            self.messages[(msg["chat"]["id"], msg["message_id"])] = msg
        return self.push("edited_message", msg)

    def sticker(self, chat: dict[str, Any], user_id: int, reply_to: int | None = None) -> dict[str, Any]:
        """A user sends a sticker."""
        sticker = {
            "file_id": "CAACAgIAAxkBAAIBQ2Z",
            "file_unique_id": "AgADbQADr8ZRGg",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self.push("message", self._message(chat, user_id, reply_to, sticker=sticker))

    def callback(self, user_id: int, message: dict[str, Any], data: str) -> dict[str, Any]:
        """A user presses an inline button under one of the bot's messages."""
        qid = f"{user_id}{int(time.time() * 1000)}"
        with self.cond:
            self.callback_ids.add(qid)
        return self.push("callback_query", {"id": qid, "from": self.user(user_id), "message": message, "chat_instance": "-1", "data": data})

    # ---------- observing ----------

    def sent(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """The messages the bot sent (as returned by sendMessage: parsed text and entities), in order."""
        with self.cond:
            out = []
            for (cid, _mid), msg in sorted(self.messages.items()):
                if msg["from"]["id"] == self.me["id"] and (chat_id is None or cid == chat_id):
                    out.append(msg)
            return out

    def calls_of(self, method: str) -> list[Call]:
        with self.cond:
            return [c for c in self.calls if c.method == method.lower()]

    async def wait_for(self, predicate: Any, timeout: float = 30.0) -> Any:
        """Poll ``predicate()`` until it is truthy (for tests running the bot on the same event loop)."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"condition not met within {timeout}s")
            await asyncio.sleep(0.02)

    def wait_for_sync(self, predicate: Any, timeout: float = 30.0) -> Any:
        """Blocking variant of ``wait_for`` for bots running in another thread or process."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"condition not met within {timeout}s")
                with contextlib.suppress(RuntimeError):
                    self.cond.wait(min(left, 0.1))
