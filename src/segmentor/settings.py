"""Typed settings, read from ``SEGMENTOR_*`` environment variables by the entry points only.

Library functions never read the environment: the CLI, the API and the app build one
:class:`Settings` and pass plain values down.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from segmentor.paths import default_home, model_dir


class Settings(BaseSettings):
    """Everything an operator may configure, with safe defaults."""

    model_config = SettingsConfigDict(env_prefix="SEGMENTOR_", extra="ignore")

    home: Path = Field(default_factory=default_home)
    # The model directory, when not the default $SEGMENTOR_HOME/model (`segmentor app --model`).
    model_dir: Path | None = None
    lang: Literal["en", "fr"] = "en"
    db_url: str | None = None
    api_keys: Annotated[tuple[str, ...], NoDecode] = ()
    api_keys_file: Path | None = None
    max_body_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    max_rows: int = Field(default=100_000, gt=0)

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(key.strip() for key in value.split(",") if key.strip())
        return value

    @property
    def model_path(self) -> Path:
        if self.model_dir is not None:
            return self.model_dir.expanduser()
        return model_dir(self.home.expanduser())

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL: SEGMENTOR_DB_URL, else an SQLite file in the home directory."""
        return self.db_url or f"sqlite:///{self.home.expanduser() / 'segmentor.db'}"


@functools.cache
def get_settings() -> Settings:
    """The settings of this process, read from the environment once.

    Entry points call this; everything below them takes plain arguments. Tests that
    change the environment clear the cache (``get_settings.cache_clear()``).
    """
    return Settings()
