"""Shared fixtures: a real SQLite file per test, a fixed clock, and the path to the real-export corpus."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import os
import time

import pytest

# Every test sees the same local time zone, so local dates in output and snapshots are deterministic.
os.environ["TZ"] = "UTC"
time.tzset()

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "vcards"
FIXED_NOW = datetime(2026, 11, 20, 15, 30, 0)  # naive UTC, a Friday


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never touch the user's real database or config from a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TIECRM_DB", str(home / "default.db"))
    monkeypatch.setenv("TIECRM_CONFIG_DIR", str(home / "config"))


@pytest.fixture
def fixed_now() -> datetime:
    return FIXED_NOW


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the real-export corpus (../shared/vcards) is not present")
    return CORPUS


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "tiecrm.db"
