"""``python -m searchlib``: the ``searchlib`` command."""

from searchlib.cli import main

raise SystemExit(main())
