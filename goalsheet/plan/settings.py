"""The Settings the planner reads."""
from __future__ import annotations

import numpy as np


def setting(settings: dict, key: str, default):
    v = settings.get(key)
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return default
    return v
