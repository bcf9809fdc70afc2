"""Access rules of feature areas, merged into the authorization matrix test.

A module here exports:
- RULES: {(method, path): frozenset of usernames allowed} (see the role names in the matrix test);
- extend_world(db, world): add the ids its path parameters need to `world` (fresh per request);
- bodies(world): {(method, path): request kwargs} for routes that need a body.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def load_extensions() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
