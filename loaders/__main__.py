"""``python -m loaders``: see :mod:`loaders.cli`."""

from loaders.cli import main

raise SystemExit(main())
