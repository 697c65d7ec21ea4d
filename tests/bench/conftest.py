"""Benchmarks time tiecrm as an installed copy runs: with its modules already compiled to bytecode.

`pip install` compiles a package's modules when it installs them; an editable install (`pip install -e`)
does not, and where PYTHONDONTWRITEBYTECODE is set Python never caches them, so every process started by
a benchmark would compile tiecrm's modules again (tens of milliseconds) and time that instead of tiecrm.
"""

from __future__ import annotations

import compileall
import os
from pathlib import Path

import pytest

import tiecrm


@pytest.fixture(scope="session", autouse=True)
def compiled_package() -> None:
    """Compile tiecrm's modules once, as an install does (the __pycache__ folders are ignored by git)."""
    compileall.compile_dir(Path(tiecrm.__file__).parent, quiet=1)


@pytest.fixture(autouse=True)
def print_load_average():
    """Each benchmark's figures are followed by the machine's load average: on a shared 2-core machine they
    move with it."""
    yield
    if hasattr(os, "getloadavg"):
        print(f"  [load average {os.getloadavg()[0]:.2f}]")
