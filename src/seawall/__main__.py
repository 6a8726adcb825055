"""Allow ``python -m seawall``."""

from seawall.cli import main

raise SystemExit(main())
