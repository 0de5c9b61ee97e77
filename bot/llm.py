"""Optional LLM rephrasing through LangChain (any OpenAI-compatible chat endpoint).

Off unless ``POLICYBOT_LLM_BASE_URL`` is set. The deterministic answer is the
fallback for everything: a rephrasing is accepted only if it arrives within the
timeout, keeps the citation markers, and every number in it appears in the
cited quotes.
"""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.answer import Answer
from bot.compose import supported

log = logging.getLogger(__name__)
PROMPT = Path(__file__).resolve().parent.parent / "prompts" / "llm_rephrase.txt"


class Rephraser:
    """Asks a chat model to rephrase; keeps the original unless the rewrite passes every check."""

    def __init__(self, base_url: str, api_key: str, model: str, timeout_s: float = 3.0, prompt: Path = PROMPT) -> None:
        if not base_url:
            raise ValueError("the LLM base URL is empty")
        if timeout_s <= 0:
            raise ValueError(f"the LLM timeout must be positive, not {timeout_s}")
        self.base_url, self.api_key, self.model, self.timeout = base_url, api_key or "none", model or "default", timeout_s
        self.template = prompt.read_text(encoding="utf-8")
        self._model: Any = None
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="llm")

    def _chat(self) -> Any:
        if self._model is None:
            from langchain_openai import ChatOpenAI  # optional extra "llm"

            self._model = ChatOpenAI(
                base_url=self.base_url, api_key=self.api_key, model=self.model, timeout=self.timeout, max_retries=0, temperature=0
            )
        return self._model

    def rephrase(self, answer: Answer) -> Answer:
        if not answer.citations:
            return answer
        prompt = self.template.format(
            lang="English" if answer.slots.get("lang") == "en" else "Chinese",
            answer=answer.answer,
            quotes="\n".join(f"[{c.n}] {c.quote}" for c in answer.citations),
        )
        try:
            future = self._pool.submit(lambda: self._chat().invoke(prompt))
            reply = future.result(timeout=self.timeout)
            text = str(getattr(reply, "content", reply)).strip()
        except FutureTimeout:
            log.warning("LLM rephrasing took longer than %.1f s; sending the deterministic answer", self.timeout)
            return answer
        except Exception as exc:  # any failure of an outside service falls back
            log.warning("LLM rephrasing failed (%s); sending the deterministic answer", exc)
            return answer
        markers = set(re.findall(r"\[\d+\]", answer.answer))
        if not text or not supported(text, [c.quote for c in answer.citations]) or not markers <= set(re.findall(r"\[\d+\]", text)):
            log.warning("LLM rephrasing rejected: a number or a citation marker did not survive")
            return answer
        return replace(answer, answer=text)
