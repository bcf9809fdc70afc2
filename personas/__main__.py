"""Allow ``python -m personas check|lint``."""

import sys

from personas.cli import main

sys.exit(main())
