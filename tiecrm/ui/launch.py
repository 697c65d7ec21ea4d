"""Start the app on a database file, or on a temporary copy of the sample address book."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from tiecrm.collector import CollectorHold


def run_app(db_path: Path) -> int:
    """Open the app on `db_path` (created if missing)."""
    # Importing Textual and building the first screen make a few hundred thousand objects that live as
    # long as the app; collector passes among them (over a hundred, tens of milliseconds) only delay the
    # first frame. The app turns the collector back on once that frame is drawn.
    hold = CollectorHold()
    hold.hold()
    try:
        from tiecrm.store.repository import Repository
        from tiecrm.ui.app import TieCrmApp

        try:
            repo = Repository.reading_first(db_path)  # peewee is loaded after the first frame
        except Exception as e:  # noqa: BLE001 - one clear line, no traceback
            print(f"tiecrm: cannot open database {db_path}: {e}", file=sys.stderr)
            return 1
        try:
            TieCrmApp(repo, collector_hold=hold).run()
        finally:
            repo.close()
        return 0
    finally:
        hold.release()  # the app never drew a frame (an error before it), or has ended


def run_demo() -> int:
    """Open the app on a fresh temporary copy of sample_data; the user's own database is never touched."""
    hold = CollectorHold()  # off until the first frame, as in run_app
    hold.hold()
    try:
        from tiecrm.demo import load_sample_data
        from tiecrm.store.repository import Repository
        from tiecrm.ui.app import TieCrmApp

        folder = Path(tempfile.mkdtemp(prefix="tiecrm-demo-"))
        try:
            repo = Repository(folder / "demo.db")
            try:
                load_sample_data(repo)
                TieCrmApp(repo, title_suffix="demo", collector_hold=hold).run()
            finally:
                repo.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return 0
    finally:
        hold.release()
