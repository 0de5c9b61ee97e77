"""The HTTP API and page under real uvicorn on a loopback port, and ``policybot serve`` as a process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.channels.http import create_app
from tests.conftest import ROOT, SEEDS, make_settings
from tests.live_server import free_port, live_server

SHANGHAI_Q = "上海元宇宙产业规模目标是多少？"


@pytest.fixture(scope="module")
def base(engine: Any, engine_home: Path) -> Iterator[str]:
    with live_server(create_app(make_settings(engine_home), engine)) as url:
        yield url


@pytest.fixture(scope="module")
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=30) as c:
        yield c


def test_ask_returns_the_answer_contract(client: httpx.Client) -> None:
    resp = client.post("/api/ask", json={"question": SHANGHAI_Q, "session": "t-http-1"})
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) == {"answer", "found", "citations", "facts", "intent", "slots"}
    assert body["found"] is True and "3500亿元" in body["answer"] and "[1]" in body["answer"]
    c = body["citations"][0]
    assert set(c) == {"n", "source", "title", "section", "quote", "span"}
    assert c["n"] == 1 and c["source"].startswith("seeds/") and "3500亿元" in c["quote"] and len(c["span"]) == 2
    original = (ROOT / c["source"]).read_text(encoding="utf-8")[c["span"][0] : c["span"][1]]
    assert "3500" in original


def test_follow_up_keeps_the_session_and_one_offs_do_not(client: httpx.Client) -> None:
    client.post("/api/ask", json={"question": SHANGHAI_Q, "session": "t-http-2"})
    follow = client.post("/api/ask", json={"question": "那南京呢？", "session": "t-http-2"}).json()
    assert "1350亿元" in follow["answer"] and follow["intent"] == "target"
    client.post("/api/ask", json={"question": SHANGHAI_Q})
    alone = client.post("/api/ask", json={"question": "那南京呢？"}).json()
    assert alone["intent"] != "target", "a one-off question does not inherit another caller's conversation"
    assert client.post("/api/reset", json={"session": "t-http-2"}).status_code == 204


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"question": ""}, "empty"),
        ({"question": "   \n "}, "empty"),
        ({"question": "问" * 501}, "too long"),
        ({"question": "问" * 10_000, "session": "x"}, "at most 500"),
        ({}, "question: Field required"),
        ({"question": 42}, "question"),
        ({"question": "hi", "session": "s" * 200}, "session"),
        ([1, 2], "body"),
    ],
    ids=["empty", "blank", "501", "10000", "missing", "number", "long-session", "array"],
)
def test_bad_questions_get_422_with_a_clear_message(client: httpx.Client, payload: Any, words: str) -> None:
    resp = client.post("/api/ask", json=payload)
    assert resp.status_code == 422
    detail = resp.json()["detail"]
    assert isinstance(detail, str) and words in detail, detail


def test_malformed_json_is_422(client: httpx.Client) -> None:
    resp = client.post("/api/ask", content=b"{not json", headers={"Content-Type": "application/json"})
    assert resp.status_code == 422 and "Traceback" not in resp.text


def test_odd_but_valid_questions_get_polite_answers(client: httpx.Client) -> None:
    for q in ("😀😀😀", "\x00\x01\x02", "<script>alert(1)</script>", "问" * 500):
        resp = client.post("/api/ask", json={"question": q})
        assert resp.status_code == 200, q
        assert resp.json()["answer"].strip() and resp.json()["found"] is False


def test_facts_with_filters(client: httpx.Client) -> None:
    body = client.get("/api/facts", params={"region": "上海", "kind": "target", "year": 2025}).json()
    assert body["count"] == len(body["facts"]) > 0
    row = next(r for r in body["facts"] if r.get("value") == 3500)
    assert row["kind"] == "target" and row["evidence"] and "3500亿元" in row["evidence"][0]["quote"]
    everything = client.get("/api/facts").json()
    assert {r["kind"] for r in everything["facts"]} >= {"target", "measure", "policy"}
    assert client.get("/api/facts", params={"region": "宝山区", "kind": "target"}).json()["count"] > 0


@pytest.mark.parametrize("params", [{"year": "abc"}, {"year": 1800}, {"kind": "bogus"}, {"region": "x" * 60}])
def test_facts_bad_filters_are_422(client: httpx.Client, params: dict[str, Any]) -> None:
    resp = client.get("/api/facts", params=params)
    assert resp.status_code == 422 and isinstance(resp.json()["detail"], str)


def test_health_docs_and_page(client: httpx.Client) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["channels"]["api"] is True
    assert "swagger" in client.get("/docs").text.lower()
    spec = client.get("/openapi.json").json()
    assert {"/api/ask", "/api/facts", "/healthz"} <= set(spec["paths"])
    page = client.get("/")
    assert page.status_code == 200 and "PolicyBot" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/../../bot/settings.py").status_code == 404
    assert client.get("/wechat").status_code == 404  # not configured here


def test_api_key(engine: Any, engine_home: Path) -> None:
    settings = replace(make_settings(engine_home), api_key="k-123")
    with live_server(create_app(settings, engine)) as url, httpx.Client(base_url=url) as c:
        assert c.post("/api/ask", json={"question": SHANGHAI_Q}).status_code == 401
        assert c.post("/api/ask", json={"question": SHANGHAI_Q}, headers={"X-API-Key": "wrong"}).status_code == 401
        assert c.get("/api/facts").status_code == 401
        ok = c.post("/api/ask", json={"question": SHANGHAI_Q}, headers={"X-API-Key": "k-123"})
        assert ok.status_code == 200 and "3500亿元" in ok.json()["answer"]
        assert c.get("/healthz").status_code == 200 and c.get("/").status_code == 200
        assert "X-API-Key" in str(c.get("/openapi.json").json()["components"]["securitySchemes"])


def test_policybot_serve_one_process(fresh_home: Path) -> None:
    port = free_port()
    env = dict(os.environ, POLICYBOT_HOME=str(fresh_home), POLICYBOT_ROOT=str(ROOT), POLICYBOT_SEEDS=str(SEEDS))
    env |= {"POLICYBOT_WECHAT_TOKEN": "tok", "POLICYBOT_TELEGRAM_TOKEN": ""}
    exe = Path(sys.executable).with_name("policybot")
    proc = subprocess.Popen(
        [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, proc.communicate()[1]
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "serve did not come up"
            time.sleep(0.2)
        health = httpx.get(f"http://127.0.0.1:{port}/healthz").json()
        assert health["channels"]["wechat"] is True
        answer = httpx.post(f"http://127.0.0.1:{port}/api/ask", json={"question": SHANGHAI_Q}, timeout=30).json()
        assert "3500亿元" in answer["answer"]
        assert httpx.get(f"http://127.0.0.1:{port}/wechat", params={"signature": "x"}).status_code == 403
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            _out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
