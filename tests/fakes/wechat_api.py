"""A local stand-in for the WeChat and WeCom server APIs the bot calls back: tokens and text messages.

WeChat official account: ``GET /cgi-bin/token?grant_type=client_credential&appid=…&secret=…`` and
``POST /cgi-bin/message/custom/send?access_token=…`` (customer-service message). WeCom:
``GET /cgi-bin/gettoken?corpid=…&corpsecret=…`` and ``POST /cgi-bin/message/send?access_token=…``.
Replies are JSON with ``errcode``/``errmsg`` as the real APIs give them (40001 invalid credential,
42001 token expired, 40013 invalid appid, 40125 invalid secret, 44004 empty content, 45002 content
too long, 40008 invalid message type, 40003 invalid openid). Tokens can be expired on purpose to
exercise the refresh path. Messages are recorded with the token that carried them.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes import loopback_server

CONTENT_LIMIT_BYTES = 2048


class FakeWeChatAPI:
    """Token and message endpoints for one official account (appid/secret) and one WeCom app (corpid/secret/agentid)."""

    def __init__(
        self,
        appid: str = "wx0123456789abcdef",
        secret: str = "app-secret",
        corpid: str = "ww0123456789abcdef",
        corpsecret: str = "corp-secret",
        agent_id: int = 1000002,
    ) -> None:
        self.appid, self.secret = appid, secret
        self.corpid, self.corpsecret, self.agent_id = corpid, corpsecret, agent_id
        self.tokens: dict[str, str] = {}  # token -> "wechat" | "wecom"
        self.token_requests: list[dict[str, str]] = []
        self.messages: list[dict[str, Any]] = []
        self.rejected: list[dict[str, Any]] = []
        self.cond = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> FakeWeChatAPI:
        self._server = loopback_server(self._handle)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-wechat-api", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeWeChatAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def expire_tokens(self) -> None:
        """Every issued token becomes invalid (as after 7200 s or a token refresh elsewhere)."""
        with self.cond:
            self.tokens.clear()

    def sent_to(self, user: str) -> list[str]:
        with self.cond:
            return [m["text"]["content"] for m in self.messages if m["touser"] == user]

    def wait_for(self, predicate: Any, timeout: float = 30.0) -> Any:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"condition not met within {timeout}s")
                self.cond.wait(min(left, 0.1))

    # ---------- HTTP ----------

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(req.path)
        q = dict(parse_qsl(parts.query))
        n = int(req.headers.get("Content-Length") or 0)
        raw = req.rfile.read(n) if n else b""
        with self.cond:
            result = self._route(req.command, parts.path, q, raw)
            self.cond.notify_all()
        body = json.dumps(result, ensure_ascii=False).encode()
        try:
            req.send_response(200)  # the real APIs answer 200 with an errcode
            req.send_header("Content-Type", "application/json; charset=utf-8")
            req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            req.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _issue(self, kind: str) -> dict[str, Any]:
        token = secrets.token_urlsafe(24)
        self.tokens[token] = kind
        return {"access_token": token, "expires_in": 7200}

    def _route(self, method: str, path: str, q: dict[str, str], raw: bytes) -> dict[str, Any]:
        if method == "GET" and path == "/cgi-bin/token":
            self.token_requests.append(q)
            if q.get("grant_type") != "client_credential":
                return {"errcode": 40002, "errmsg": "invalid grant_type"}
            if q.get("appid") != self.appid:
                return {"errcode": 40013, "errmsg": "invalid appid"}
            if q.get("secret") != self.secret:
                return {"errcode": 40125, "errmsg": "invalid appsecret"}
            return self._issue("wechat")
        if method == "GET" and path == "/cgi-bin/gettoken":
            self.token_requests.append(q)
            if q.get("corpid") != self.corpid:
                return {"errcode": 40013, "errmsg": "invalid corpid"}
            if q.get("corpsecret") != self.corpsecret:
                return {"errcode": 40001, "errmsg": "invalid credential"}
            return {"errcode": 0, "errmsg": "ok", **self._issue("wecom")}
        if method == "POST" and path in ("/cgi-bin/message/custom/send", "/cgi-bin/message/send"):
            kind = "wechat" if path.endswith("custom/send") else "wecom"
            if self.tokens.get(q.get("access_token", "")) != kind:
                return {"errcode": 42001 if q.get("access_token") else 41001, "errmsg": "access_token expired or missing"}
            try:
                msg = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return {"errcode": 47001, "errmsg": "data format error"}
            error = self._check(kind, msg)
            if error:
                self.rejected.append(msg)
                return error
            self.messages.append(msg | {"_kind": kind, "_token": q["access_token"], "_at": time.monotonic()})
            return {"errcode": 0, "errmsg": "ok"} if kind == "wechat" else {"errcode": 0, "errmsg": "ok", "invaliduser": ""}
        return {"errcode": 404, "errmsg": "not found"}

    def _check(self, kind: str, msg: Any) -> dict[str, Any] | None:
        if not isinstance(msg, dict) or not msg.get("touser"):
            return {"errcode": 40003, "errmsg": "invalid openid"}
        if msg.get("msgtype") != "text" or not isinstance(msg.get("text"), dict):
            return {"errcode": 40008, "errmsg": "invalid message type"}
        if kind == "wecom" and msg.get("agentid") != self.agent_id:
            return {"errcode": 40056, "errmsg": "invalid agentid"}
        content = msg["text"].get("content")
        if not content:
            return {"errcode": 44004, "errmsg": "empty content"}
        if len(str(content).encode()) > CONTENT_LIMIT_BYTES:
            return {"errcode": 45002, "errmsg": "content size out of limit"}
        return None
