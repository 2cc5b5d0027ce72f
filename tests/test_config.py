import pytest

from bot.config import ConfigError, Settings


def test_defaults_match_documented_interface(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_PATH", "SEEDS_DIR", "ADMIN_IDS", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)
    assert str(settings.database_path) == "data/reports.db"
    assert str(settings.seeds_dir) == "seeds"
    assert settings.admin_ids == frozenset()


def test_admin_ids_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "12, 34,56")
    assert Settings(_env_file=None).admin_ids == frozenset({12, 34, 56})


def test_bad_admin_ids_fail_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "12,abc")
    with pytest.raises(ValueError, match="ADMIN_IDS"):
        Settings(_env_file=None)


def test_env_file_is_read(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    env = tmp_path / ".env"
    env.write_text("TELEGRAM_BOT_TOKEN=123:abc\nLOG_LEVEL=debug\n", encoding="utf-8")
    settings = Settings(_env_file=env)
    assert settings.require_token() == "123:abc"
    assert settings.log_level == "DEBUG"


def test_missing_token_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        Settings(_env_file=None).require_token()
