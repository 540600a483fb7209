"""The one timing rule of the benchmarks: the median wall time of several runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def median_time(func: Callable[[], Any], runs: int, *, warm_up: bool = False) -> tuple[float, Any]:
    """The median wall time of `runs` calls of `func`, and the last result; with `warm_up`, one
    call first that is not timed (imports and caches)."""
    result = func() if warm_up else None
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result
