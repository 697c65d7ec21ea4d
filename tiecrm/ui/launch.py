"""Start the app on a database file, or on a temporary copy of the sample address book."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path


def run_app(db_path: Path) -> int:
    """Open the app on `db_path` (created if missing)."""
    from tiecrm.store.repository import Repository
    from tiecrm.ui.app import TieCrmApp

    try:
        repo = Repository(db_path)
    except Exception as e:  # noqa: BLE001 - one clear line, no traceback
        print(f"tiecrm: cannot open database {db_path}: {e}", file=sys.stderr)
        return 1
    try:
        TieCrmApp(repo).run()
    finally:
        repo.close()
    return 0


def run_demo() -> int:
    """Open the app on a fresh temporary copy of sample_data; the user's own database is never touched."""
    from tiecrm.demo import load_sample_data
    from tiecrm.store.repository import Repository
    from tiecrm.ui.app import TieCrmApp

    folder = Path(tempfile.mkdtemp(prefix="tiecrm-demo-"))
    try:
        repo = Repository(folder / "demo.db")
        try:
            load_sample_data(repo)
            TieCrmApp(repo, title_suffix="demo").run()
        finally:
            repo.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0
