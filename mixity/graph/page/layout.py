"""Where the page puts its nodes: vis-network's physics for small graphs, else positions
computed here before the page loads (physics off).

`force_layout` is mixity's own: see `bench/bench_layout.py` for how it compares with networkx's
layouts on time and readability.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from mixity.errors import MixityError

PHYSICS_LIMIT = 200
LAYOUTS = ("auto", "physics", "force", "spring", "kamada-kawai", "circular")


def choose_layout(layout: str, count: int) -> str:
    """The layout drawn: `auto` is physics up to PHYSICS_LIMIT nodes, then `force`."""
    if layout == "auto":
        return "physics" if count <= PHYSICS_LIMIT else "force"
    return layout


def positions(
    count: int, pairs: list[tuple[int, int]], layout: str, seed: int
) -> list[tuple[float, float]]:
    """Positions in pixels of nodes 0..count-1, computed before the page loads (physics off)."""
    if not count:
        return []
    if layout == "force":
        # Fewer nodes are shown bigger, with their labels: give them more room.
        spacing = 90.0 * max(1.0, (1000 / count) ** 0.3)
        found = force_layout(range(count), pairs, seed=seed, spacing=spacing)
        return [found[i] for i in range(count)]
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(count))
    g.add_edges_from((a, b) for a, b in pairs if a != b)
    try:
        if layout == "spring":
            raw = nx.spring_layout(g, seed=seed)
        elif layout == "kamada-kawai":
            raw = nx.kamada_kawai_layout(g)
        else:
            raw = nx.circular_layout(g)
    except ImportError as exc:  # networkx's layouts need numpy (and scipy from 500 nodes)
        needed = exc.name or "numpy"
        raise MixityError(f"the {layout} layout needs {needed}: pip install numpy scipy") from None
    scale = 120.0 * math.sqrt(count) + 100.0
    return [
        (round(float(raw[i][0]) * scale, 1), round(float(raw[i][1]) * scale, 1))
        for i in range(count)
    ]


def force_layout(
    nodes: Sequence[Any],
    edges: Sequence[tuple[Any, Any]],
    *,
    seed: int = 0,
    iterations: int = 50,
    spacing: float = 90.0,
) -> dict[Any, tuple[float, float]]:
    """A force-directed layout that stays fast on thousands of nodes.

    networkx's `spring_layout` computes every pair of nodes: ~5 s at 1,000 nodes and ~90 s at
    5,000 (measured here). Here each node is repelled exactly by its nearest neighbours (a
    k-d tree) and approximately by the rest through the centres of mass of a coarse grid
    (Barnes-Hut at the grid's scale), so that an iteration costs O(n log n). Springs are
    linear, as in ForceAtlas2, so that hubs do not crush their many neighbours together.
    Deterministic for a given seed; positions in pixels, about `spacing` apart.
    """
    import numpy as np
    from scipy.spatial import cKDTree  # type: ignore[import-untyped]

    n = len(nodes)
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    where = {node: i for i, node in enumerate(nodes)}
    links = {(min(where[a], where[b]), max(where[a], where[b])) for a, b in edges if a != b}
    pairs = np.array(sorted(links), dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)
    pos = rng.uniform(-side / 2, side / 2, size=(n, 2))
    near = min(8, n - 1)
    cells = max(2, min(16, round(side / 4)))
    # A uniform disc of n unit masses pushes outwards with a force that grows linearly with
    # the radius (Gauss): a linear pull of n / R^2 holds it at radius R; no node flies away.
    gravity = n / (0.7 * side) ** 2
    spring = 0.3
    temperature = side / 8
    cool = temperature / (iterations + 1)
    idx = np.zeros((n, 0), dtype=np.int64)
    grid = np.arange(cells + 1, dtype=float)
    corners = np.stack(np.meshgrid(grid, grid, indexing="ij"), axis=-1).reshape(-1, 2)
    for step in range(iterations):
        if step % 3 == 0:  # neighbours change slowly: look them up every third step
            idx = cKDTree(pos).query(pos, k=near + 1)[1][:, 1:]
        # Near field: exact repulsion 1/d from the nearest neighbours.
        delta = pos[:, None, :] - pos[idx]
        disp = (delta / np.maximum((delta**2).sum(axis=2), 1e-4)[:, :, None]).sum(axis=1)
        disp += _far_field(pos, cells, corners)
        # Linear springs along the edges, and gravity.
        if len(pairs):
            pull = (pos[pairs[:, 0]] - pos[pairs[:, 1]]) * spring
            for axis in (0, 1):
                disp[:, axis] -= np.bincount(pairs[:, 0], pull[:, axis], minlength=n)
                disp[:, axis] += np.bincount(pairs[:, 1], pull[:, axis], minlength=n)
        disp -= pos * gravity
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), 1e-9)[:, None]
        pos += disp / length * np.minimum(length, temperature)
        temperature -= cool
    pos = (pos - pos.mean(axis=0)) * spacing
    return {
        node: (round(float(pos[i, 0]), 1), round(float(pos[i, 1]), 1)) for node, i in where.items()
    }


def _far_field(pos: Any, cells: int, corners: Any) -> Any:
    """The push of far nodes on each node: the grid cells' centres of mass push, and their
    field, sampled on the grid's corners, is interpolated at each node (smooth, unlike one
    force per cell)."""
    import numpy as np

    low = pos.min(axis=0)
    size = (pos.max(axis=0) - low) / cells + 1e-9
    where_xy = (pos - low) / size
    cell_xy = np.minimum(where_xy.astype(np.int64), cells - 1)
    cell = cell_xy[:, 0] * cells + cell_xy[:, 1]
    weight = np.bincount(cell, minlength=cells * cells).astype(float)
    full = np.flatnonzero(weight)
    centre = (
        np.stack(
            [np.bincount(cell, pos[:, a], minlength=cells * cells)[full] for a in (0, 1)],
            axis=1,
        )
        / weight[full, None]
    )
    delta = corners * size + low
    delta = delta[:, None, :] - centre[None, :, :]
    d2 = np.maximum((delta**2).sum(axis=2), float((size**2).sum()))
    field = (delta * (weight[full][None, :] / d2)[:, :, None]).sum(axis=1)
    field = field.reshape(cells + 1, cells + 1, 2)
    fx, fy = (where_xy - cell_xy).T
    cx, cy = cell_xy.T
    return (
        field[cx, cy] * ((1 - fx) * (1 - fy))[:, None]
        + field[cx + 1, cy] * (fx * (1 - fy))[:, None]
        + field[cx, cy + 1] * ((1 - fx) * fy)[:, None]
        + field[cx + 1, cy + 1] * (fx * fy)[:, None]
    )
