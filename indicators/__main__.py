"""``python -m indicators``: see :mod:`indicators.cli`."""

from indicators.cli import main

raise SystemExit(main())
