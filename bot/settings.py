"""Settings from the environment or a ``.env`` file (CONTRACT §5).

Built inside ``main()``, never at import time, so tests and the CLI can set the
environment first.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    bot_runtime: Literal["aiogram", "ptb"] = "aiogram"
    telegram_api_base: str = "https://api.telegram.org"
    database_url: str = "sqlite+aiosqlite:///data/bot.db"
    files_dir: str = "data/files"
    staff_chat_id: int | None = None
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    default_locale: Literal["zh", "en", "ug"] = "zh"
    #: Loaded content and question indexes kept between runs (beyond CONTRACT §5); default: a ``cache``
    #: folder next to FILES_DIR (``data/cache``). Safe to delete at any time.
    cache_dir: str | None = None
    #: Seconds a notification being sent stays with its worker without a heartbeat: how soon the
    #: notifications of a bot killed mid-send go out after its restart.
    outbox_lease_seconds: float = Field(default=30.0, gt=0)

    # Webhook mode (beyond CONTRACT §5; long polling when WEBHOOK_URL is unset).
    #: The public HTTPS URL Telegram posts updates to, e.g. https://desk.example.org/telegram/webhook.
    webhook_url: str | None = None
    #: Telegram sends it back in a header with every update; required with WEBHOOK_URL.
    webhook_secret: SecretStr | None = None
    #: Where the webhook server listens (usually behind a reverse proxy that terminates HTTPS).
    webhook_host: str = "127.0.0.1"
    webhook_port: int = 8080
    webhook_path: str = "/telegram/webhook"

    # Several workers (beyond CONTRACT §5; docs/deploy.md): one process on SQLite is the default.
    #: Webhook worker processes sharing WEBHOOK_PORT (SO_REUSEPORT); more than 1 needs REDIS_URL,
    #: WEBHOOK_URL and a PostgreSQL DATABASE_URL.
    workers: int = Field(default=1, ge=1, le=64)
    #: Where workers share per-chat locks, albums, the throttle and Telegram's limits, e.g.
    #: redis://127.0.0.1:6379/0. Unset: all of it lives in the one process.
    redis_url: str | None = None
    #: Messages a second the bot sends overall (Telegram allows about 30; a local Bot API server more).
    telegram_per_second: int = Field(default=30, ge=1)
    #: Seconds without a new part before an album is answered (longer when the machine is loaded: a
    #: part that waits longer than this for its turn is answered as an album of its own).
    album_quiet_seconds: float = Field(default=1.0, gt=0, le=30)

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self) -> Settings:
        if self.webhook_url and (self.webhook_secret is None or not self.webhook_secret.get_secret_value()):
            raise ValueError("WEBHOOK_URL is set: set WEBHOOK_SECRET too (1-256 characters A-Z, a-z, 0-9, _ and -)")
        if self.webhook_secret is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,256}", self.webhook_secret.get_secret_value()
        ):
            raise ValueError(
                "WEBHOOK_SECRET may only hold A-Z, a-z, 0-9, _ and - (1-256 characters), as Telegram requires"
            )
        return self

    @model_validator(mode="after")
    def _workers_need_shared_state(self) -> Settings:
        if self.workers > 1:
            missing = [
                name
                for name, ok in (
                    ("WEBHOOK_URL", bool(self.webhook_url)),
                    ("REDIS_URL", bool(self.redis_url)),
                    ("a PostgreSQL DATABASE_URL", self.database_url.startswith("postgresql")),
                )
                if not ok
            ]
            if missing:
                raise ValueError(f"WORKERS={self.workers} needs {', '.join(missing)} (see docs/deploy.md)")
        return self

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(int(part) for part in value.split(",") if part.strip())
        return value

    @field_validator("bot_token", mode="before")
    @classmethod
    def _empty_token_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value
