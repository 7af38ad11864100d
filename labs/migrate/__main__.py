"""``python -m labs.migrate PATH... (-o OUT | --in-place | --check)``."""

import sys

from labs.migrate.cli import main

sys.exit(main())
