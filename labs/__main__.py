"""`python -m labs`: see `labs.cli`."""

import sys

from labs.cli import main

if __name__ == "__main__":
    sys.exit(main())
