"""User settings: cadences, warmth half-life and bucket guides, read from a TOML file in the config directory."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tiecrm.domain import Bucket

if TYPE_CHECKING:  # loaded with the settings' first Cadence: the domain's details cost the app's start time
    from tiecrm.domain import Cadence

CONFIG_ENV = "TIECRM_CONFIG_DIR"


def config_dir() -> Path:
    """The platform's config directory for tiecrm, or `$TIECRM_CONFIG_DIR`."""
    if env := os.environ.get(CONFIG_ENV):
        return Path(env)
    import platformdirs

    return platformdirs.user_config_path("tiecrm")


@dataclass(frozen=True)
class Guides:
    """Dunbar's layers as soft guides for the board's column headers (never limits)."""

    inner: int = 15
    nurture: int = 50


@dataclass(frozen=True)
class WarmthFloor:
    """Warmth (decayed minutes) below which an inner-circle or nurture person is going cold; None turns it off."""

    inner: float | None = 30.0
    nurture: float | None = 10.0

    def for_bucket(self, bucket: Bucket) -> float | None:
        return {Bucket.INNER: self.inner, Bucket.NURTURE: self.nurture}.get(bucket)


def _default_cadence() -> Cadence:
    from tiecrm.domain import Cadence

    return Cadence()


@dataclass(frozen=True)
class Settings:
    cadence: Cadence = field(default_factory=_default_cadence)
    half_life_days: float = 60.0
    warmth_floor: WarmthFloor = field(default_factory=WarmthFloor)
    guides: Guides = field(default_factory=Guides)
    problems: tuple[str, ...] = ()


def settings_path() -> Path:
    return config_dir() / "config.toml"


def keymap_path() -> Path:
    return config_dir() / "keymap.toml"


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; a missing file gives the defaults, a broken one the defaults plus a problem message."""
    path = path or settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as e:
        return Settings(problems=(f"{path}: {e}; using defaults",))
    import tomllib  # only once there is a file to parse: most people never write one

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        return Settings(problems=(f"{path}: {e}; using defaults",))
    problems: list[str] = []

    def number(section: dict, key: str, default, *, allow_none: bool = False):
        value = section.get(key, default)
        if allow_none and value in (0, False, "never"):
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            problems.append(f"{path}: {key} must be a positive number; using {default}")
            return default
        return value

    cad = data.get("cadence", {})
    guides = data.get("guides", {})
    warmth = data.get("warmth", {})
    floor = warmth.get("floor", {})
    if not isinstance(floor, dict):
        problems.append(f"{path}: [warmth.floor] must be a table; using the default floors")
        floor = {}
    from tiecrm.domain import Cadence

    return Settings(
        cadence=Cadence(
            inner=number(cad, "inner", 14, allow_none=True),
            nurture=number(cad, "nurture", 45, allow_none=True),
        ),
        half_life_days=float(number(warmth, "half_life_days", 60.0)),
        warmth_floor=WarmthFloor(
            inner=_float_or_none(number(floor, "inner", 30.0, allow_none=True)),
            nurture=_float_or_none(number(floor, "nurture", 10.0, allow_none=True)),
        ),
        guides=Guides(inner=int(number(guides, "inner", 15)), nurture=int(number(guides, "nurture", 50))),
        problems=tuple(problems),
    )


def _float_or_none(value) -> float | None:
    return None if value is None else float(value)
