"""Application settings, read once from the environment; invalid settings stop the app at start."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.proxies import Network, parse_networks
from api.services.rasa_client import parse_pairs

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var"


def _default_secret_key() -> str:
    """A development key kept on disk so that logins survive a restart."""
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


class Settings(BaseSettings):
    """Every knob of the app; the README lists them with their defaults."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    app_env: Literal["development", "test", "production"] = "development"
    database_url: str = f"sqlite:///{VAR_DIR / 'data' / 'app.db'}"
    secret_key: str = ""
    demo_password: str = ""
    personas_dir: Path = ROOT / "personas" / "library"

    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = ""
    action_server_url: str = "http://127.0.0.1:5055"
    rasa_timeout_seconds: float = Field(default=20.0, gt=0)
    # Several Rasa + action server pairs (comma-separated, same order; this host's own pair first):
    # the app balances turns over them itself (api/services/rasa_client.py). Empty: the one pair above.
    rasa_urls: str = ""
    action_server_urls: str = ""
    rasa_pair_cooldown_seconds: float = Field(default=5.0, ge=0)

    redis_url: str = ""
    max_message_chars: int = Field(default=2000, ge=1)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    token_ttl_hours: int = Field(default=12, ge=1)
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    secure_cookies: bool = False
    warm_models: bool = False
    # Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or networks).
    forwarded_allow_ips: str = ""
    display_timezone: str = "Europe/Paris"  # times are stored in UTC and shown in this zone

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.app_env == "production":
            if len(self.secret_key) < 32:
                raise ValueError("SECRET_KEY doit faire au moins 32 caractères en production")
            if self.database_url.startswith("sqlite"):
                raise ValueError("DATABASE_URL doit désigner PostgreSQL en production")
        elif not self.secret_key:
            self.secret_key = _default_secret_key()
        if not self.database_url.startswith(("sqlite", "postgresql")):
            raise ValueError("DATABASE_URL doit commencer par sqlite:// ou postgresql://")
        try:
            ZoneInfo(self.display_timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"DISPLAY_TIMEZONE inconnu : {self.display_timezone}") from error
        if not self.personas_dir.is_dir():
            raise ValueError(f"PERSONAS_DIR introuvable : {self.personas_dir}")
        parse_networks(self.forwarded_allow_ips)  # refuses a bad entry at start
        parse_pairs(self.rasa_urls, self.action_server_urls)  # refuses mismatched lists at start
        return self

    @property
    def trusted_proxies(self) -> tuple[Network, ...]:
        """FORWARDED_ALLOW_IPS as networks (empty: X-Forwarded-For is never read)."""
        return parse_networks(self.forwarded_allow_ips)

    @property
    def rasa_pairs(self) -> list[tuple[str, str]]:
        """(Rasa, action server) pairs the app sends turns to, its own first."""
        return parse_pairs(self.rasa_urls, self.action_server_urls) or [(self.rasa_url, self.action_server_url)]

    @property
    def is_embedded_db(self) -> bool:
        """True for the default SQLite database, where demo accounts are seeded."""
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (tests build their own and override the dependency)."""
    return Settings()
