"""Entry point: ``python -m bot``. Everything is built inside ``main()``, nothing at import time."""

from __future__ import annotations

import sys


def main() -> int:
    from bot.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
