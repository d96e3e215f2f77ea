"""Typed settings, read from ``SEGMENTOR_*`` environment variables by the entry points only.

Library functions never read the environment: the CLI, the API and the app build one
:class:`Settings` and pass plain values down.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from segmentor.errors import SegmentorError
from segmentor.paths import default_home, model_dir

# The fix shown for a bad value of each variable (the default fix names the expected type).
_FIXES = {
    "lang": "set SEGMENTOR_LANG to en or fr",
    "max_body_bytes": "give a whole number of bytes, e.g. SEGMENTOR_MAX_BODY_BYTES=10485760",
    "max_rows": "give a whole number of rows above 0, e.g. SEGMENTOR_MAX_ROWS=100000",
}


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

    def __init__(self, **values: object) -> None:
        """Read the environment; a bad value is one line naming the variable and the fix."""
        try:
            super().__init__(**values)
        except ValidationError as error:
            raise settings_error(error) from None

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(key.strip() for key in value.split(",") if key.strip())
        return value

    @property
    def compiled_cache(self) -> Path:
        """Where the models' fast scoring paths keep what they derive from a model (arrays,
        keyed by the model's hash; never native code), so that a start skips the work."""
        return self.home.expanduser() / "cache" / "compiled"

    @property
    def model_path(self) -> Path:
        if self.model_dir is not None:
            return self.model_dir.expanduser()
        return model_dir(self.home.expanduser())

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL: SEGMENTOR_DB_URL, else an SQLite file in the home directory."""
        return self.db_url or f"sqlite:///{self.home.expanduser() / 'segmentor.db'}"


def settings_error(error: ValidationError) -> SegmentorError:
    """The first problem of a settings validation, as one line naming the variable."""
    first = error.errors()[0]
    field = str(first["loc"][0]) if first.get("loc") else "?"
    variable = f"SEGMENTOR_{field.upper()}"
    given = first.get("input")
    reason = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    return SegmentorError(
        f"the environment variable {variable}={_shown(given)} is not valid ({reason})",
        fix=_FIXES.get(field, f"correct or unset {variable}"),
    )


def _shown(value: object) -> str:
    text = repr(value) if isinstance(value, str) else repr(str(value))
    return text if len(text) <= 60 else text[:59] + "…'"


@functools.cache
def get_settings() -> Settings:
    """The settings of this process, read from the environment once.

    Entry points call this; everything below them takes plain arguments. Tests that
    change the environment clear the cache (``get_settings.cache_clear()``).
    """
    return Settings()
