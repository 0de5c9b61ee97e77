"""The answer contract (DESIGN.md §2): what every front end renders and every test reads."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Citation:
    """A numbered source: the document, where in it, and the verbatim quote."""

    n: int
    source: str
    title: str
    section: str
    quote: str
    span: list[int] = field(default_factory=list)  # [start, end) in the original file

    def short(self) -> str:
        """Short form for chat channels: title · section."""
        return " · ".join(x for x in (self.title, self.section.split(" > ")[-1] if self.section else "") if x)


@dataclass
class Answer:
    """One reply: the text with [n] markers, whether the documents answer it, and the evidence."""

    answer: str
    found: bool
    citations: list[Citation] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    intent: str = ""
    slots: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "found": self.found,
            "citations": [asdict(c) for c in self.citations],
            "facts": self.facts,
            "intent": self.intent,
            "slots": self.slots,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Answer:
        return cls(
            d["answer"],
            bool(d["found"]),
            [Citation(**c) for c in d.get("citations", [])],
            list(d.get("facts", [])),
            d.get("intent", ""),
            dict(d.get("slots", {})),
        )
