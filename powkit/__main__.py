"""``python -m powkit COMMAND``: the same commands as the ``powkit`` console script."""

import sys

from powkit.cli import main

if __name__ == "__main__":
    sys.exit(main())
