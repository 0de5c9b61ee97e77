"""The optional LLM rephrasing, against a local OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.llm import Rephraser
from bot.wiring import build_engine
from tests.conftest import make_settings


class FakeChat(BaseHTTPRequestHandler):
    """POST /v1/chat/completions in the OpenAI wire format; the reply depends on server.mode."""

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length))
        prompt = body["messages"][-1]["content"]
        self.server.prompts.append(prompt)  # type: ignore[attr-defined]
        mode = self.server.mode  # type: ignore[attr-defined]
        original = prompt.split("ANSWER:\n", 1)[1].split("\n\nQUOTES:", 1)[0]
        if mode == "slow":
            time.sleep(1.5)
        text = {"good": "简而言之：" + original, "bad": original.replace("3500", "4500"), "nomarker": "上海的目标是3500亿元。"}.get(
            mode, original
        )
        payload = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model", "m"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def chat_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeChat)
    server.mode = "good"  # type: ignore[attr-defined]
    server.prompts = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def deterministic(built_home: Path):
    engine = build_engine(make_settings(built_home))
    return engine.answer("上海到2025年元宇宙产业规模目标是多少？", "llm")


def _rephraser(server: ThreadingHTTPServer, timeout: float = 3.0) -> Rephraser:
    return Rephraser(f"http://127.0.0.1:{server.server_address[1]}/v1", "test-key", "test-model", timeout)


def test_rephrasing_is_accepted_when_numbers_survive(chat_server, deterministic) -> None:
    out = _rephraser(chat_server).rephrase(deterministic)
    assert out.answer.startswith("简而言之：") and "3500亿元" in out.answer
    assert out.citations == deterministic.citations
    assert "到2025年" in chat_server.prompts[0] and "QUOTES" in chat_server.prompts[0]


@pytest.mark.parametrize("mode", ["bad", "nomarker"])
def test_rephrasing_that_changes_a_number_or_drops_a_marker_is_rejected(chat_server, deterministic, mode: str) -> None:
    chat_server.mode = mode
    out = _rephraser(chat_server).rephrase(deterministic)
    assert out.answer == deterministic.answer


def test_slow_rephrasing_falls_back(chat_server, deterministic) -> None:
    chat_server.mode = "slow"
    t0 = time.perf_counter()
    out = _rephraser(chat_server, timeout=0.5).rephrase(deterministic)
    assert out.answer == deterministic.answer and time.perf_counter() - t0 < 1.4


def test_unreachable_endpoint_falls_back(deterministic) -> None:
    out = Rephraser("http://127.0.0.1:9/v1", "k", "m", 1.0).rephrase(deterministic)
    assert out.answer == deterministic.answer
    assert replace(out, answer="x").answer == "x"


def test_engine_uses_the_configured_endpoint(chat_server, built_home: Path) -> None:
    settings = replace(make_settings(built_home), llm_base_url=f"http://127.0.0.1:{chat_server.server_address[1]}/v1", llm_model="m")
    engine = build_engine(settings)
    a = engine.answer("武汉揭榜挂帅能拿多少补贴？", "llm2")
    assert a.answer.startswith("简而言之：") and "200万元" in a.answer
