"""The fused retriever as a LangChain retriever, so it plugs into anyone's chain."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from knowledge.index import KnowledgeBase


class PolicyRetriever(BaseRetriever):
    """Hybrid (BM25 + dense, fused) policy passages, optionally within a region."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    kb: KnowledgeBase
    k: int = 5
    region: str | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        docs: list[Document] = []
        for hit in self.kb.search(query, region=self.region, k=self.k):
            meta: dict[str, Any] = hit.to_json()
            text = meta.pop("text")
            docs.append(Document(page_content=text, metadata=meta, id=hit.chunk.id))
        return docs
