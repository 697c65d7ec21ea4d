"""`python -m tiecrm` runs the console script."""

import sys

from tiecrm.cli import main

sys.exit(main())
