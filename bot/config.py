"""Settings, read once from the environment and `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class ConfigError(Exception):
    """A setting is missing or malformed; the message says which and how to fix it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: str = ""
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    database_path: Path = Path("data/reports.db")
    seeds_dir: Path = Path("seeds")
    telegram_base_url: str = ""
    telegram_base_file_url: str = ""
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"  # behind a reverse proxy (README, Webhook)
    webhook_port: int = 8443
    log_level: str = "INFO"

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        # Env values arrive as "1, 2,3"; NoDecode stops pydantic from expecting JSON.
        if isinstance(value, str):
            try:
                return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
            except ValueError as exc:
                raise ValueError("ADMIN_IDS must be comma-separated numeric user ids") from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper() or "INFO"

    def require_token(self) -> str:
        if not self.telegram_bot_token.strip():
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set. Put the token from @BotFather in the "
                "environment or in .env (see .env.example), or use `reportbot console` offline."
            )
        return self.telegram_bot_token.strip()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def has_token() -> bool:
    """`make run` asks this to choose between the bot and the offline console."""
    return bool(get_settings().telegram_bot_token.strip())


if __name__ == "__main__":
    import sys

    sys.exit(0 if has_token() else 1)
