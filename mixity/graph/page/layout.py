"""Where the page puts its nodes: vis-network's physics for small graphs, else positions
computed here before the page loads (physics off).

`force_layout` is mixity's own: see `bench/bench_layout.py` for how it compares with networkx's
layouts on time and readability. `hierarchical_layout` draws rows (the debate's hierarchy:
meeting, workshops, questions, levers, actor types), `levels` says which row each node takes.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Collection, Sequence
from typing import Any

from mixity.errors import MixityError

PHYSICS_LIMIT = 200
LAYOUTS = ("auto", "physics", "force", "spring", "kamada-kawai", "circular", "hierarchical")
#: The hierarchical layout's spacing, in pixels: a node's width when none is given (a wrapped
#: label is at most 180 wide), the margin between two nodes of a row, the distance between two
#: rows and between the staggered lines of a long row.
LABEL_WIDTH = 180.0
MARGIN = 40.0
LEVEL_GAP = 190.0
LINE_GAP = 95.0
#: The shape the hierarchical layout aims at: the picture's part of a 1280×720 window.
ASPECT = 1.6


def choose_layout(layout: str, count: int) -> str:
    """The layout drawn: `auto` is physics up to PHYSICS_LIMIT nodes, then `force`."""
    if layout == "auto":
        return "physics" if count <= PHYSICS_LIMIT else "force"
    return layout


def positions(
    count: int,
    pairs: list[tuple[int, int]],
    layout: str,
    seed: int,
    rows: Sequence[int] | None = None,
    widths: Sequence[float] | None = None,
) -> list[tuple[float, float]]:
    """Positions in pixels of nodes 0..count-1, computed before the page loads (physics off).

    `rows`: each node's row (`levels`), and `widths` its drawn width, for the hierarchical
    layout.
    """
    if not count:
        return []
    if layout == "hierarchical":
        if rows is None or len(rows) != count:
            raise ValueError("the hierarchical layout needs one row per node")
        return hierarchical_layout(rows, pairs, widths)
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


def levels(
    classes: Sequence[Collection[str]],
    pairs: Sequence[tuple[int, int]],
    rules: Sequence[tuple[str, int]],
    focus: int | None = None,
) -> list[int]:
    """The row of each node, 0 at the top, no row left empty.

    A node takes the row of the first rule (class, row) whose class it belongs to (`classes`:
    each node's classes, superclasses included). A node no rule places goes one row below its
    nearest placed neighbour (the highest of several); a part of the picture that no rule
    places hangs from the focus, else from its most linked node.
    """
    count = len(classes)
    around: list[list[int]] = [[] for _ in range(count)]
    for a, b in pairs:
        if a != b:
            around[a].append(b)
            around[b].append(a)
    row: list[int | None] = [
        next((level for cls, level in rules if cls in mine), None) for mine in classes
    ]
    # Breadth first from the placed nodes, top row first: a node goes below its highest
    # placed neighbour.
    todo = deque(sorted((i for i in range(count) if row[i] is not None), key=lambda i: (row[i], i)))
    # Parts that no rule places hang from the focus, else from their most linked node.
    starts = sorted(range(count), key=lambda i: (i != focus, -len(around[i]), i))
    for start in starts:
        if row[start] is None:
            row[start] = 0
            todo.append(start)
        while todo:
            node = todo.popleft()
            below = (row[node] or 0) + 1
            for other in around[node]:
                if row[other] is None:
                    row[other] = below
                    todo.append(other)
    used = sorted({r for r in row if r is not None})
    rank = {r: i for i, r in enumerate(used)}
    return [rank[r] for r in row if r is not None]


def hierarchical_layout(
    rows: Sequence[int],
    pairs: Sequence[tuple[int, int]],
    widths: Sequence[float] | None = None,
    *,
    sweeps: int = 5,
) -> list[tuple[float, float]]:
    """Nodes in rows, top to bottom, each row ordered to cross few links.

    Each node moves towards the mean x of its neighbours in the rows above (sweeping down),
    then of those below (sweeping up), and so on, odd sweeps ending downwards: children sit
    under their parents (the barycentre heuristic of Sugiyama's layered drawing). A row's
    nodes keep their share of its width apart (`widths`: each node's drawn width, by default
    LABEL_WIDTH), as close to those means as can be (least squares). A long row is staggered
    over several lines within its band, so that the picture fits a window; the bands never
    overlap: every node of a row is above every node of the next.
    """
    count = len(rows)
    depth = max(rows) + 1
    members: list[list[int]] = [[] for _ in range(depth)]
    for node, level in enumerate(rows):
        members[level].append(node)
    above: list[list[int]] = [[] for _ in range(count)]
    below: list[list[int]] = [[] for _ in range(count)]
    for a, b in pairs:
        if rows[a] < rows[b]:
            below[a].append(b)
            above[b].append(a)
        elif rows[b] < rows[a]:
            below[b].append(a)
            above[a].append(b)
    drawn = widths if widths is not None else [LABEL_WIDTH] * count
    # A node's share of its row: the row's mean width, and a margin.
    share = [sum(drawn[i] for i in row) / max(len(row), 1) + MARGIN for row in members]
    lines = _lines([len(row) * share[k] for k, row in enumerate(members)], list(map(len, members)))
    gaps = [share[k] / lines[k] for k in range(depth)]
    x = [0.0] * count
    for level, row in enumerate(members):
        _place(
            row, [(i - (len(row) - 1) / 2) * gaps[level] for i in range(len(row))], gaps[level], x
        )
    for sweep in range(sweeps):
        downwards = sweep % 2 == 0
        near = above if downwards else below
        for level in range(1, depth) if downwards else range(depth - 2, -1, -1):
            want = {
                i: sum(x[j] for j in near[i]) / len(near[i]) if near[i] else x[i]
                for i in members[level]
            }
            members[level].sort(key=lambda i: (want[i], x[i], i))
            _place(members[level], [want[i] for i in members[level]], gaps[level], x)
    out = [(0.0, 0.0)] * count
    top = 0.0
    for level, row in enumerate(members):
        for place, node in enumerate(row):
            out[node] = (round(x[node], 1), round(top + (place % lines[level]) * LINE_GAP, 1))
        top += (lines[level] - 1) * LINE_GAP + LEVEL_GAP
    return out


def _lines(lengths: Sequence[float], counts: Sequence[int]) -> list[int]:
    """How many staggered lines each row takes (`lengths`: its width on one line): the line
    width whose picture is closest to ASPECT (wider than high, as windows are)."""
    widths = sorted(
        {length / n for length, c in zip(lengths, counts, strict=True) for n in range(1, c + 1)},
        reverse=True,
    )
    best: tuple[float, list[int]] = (math.inf, [1] * len(counts))
    for width in widths:
        lines = [
            min(max(1, math.ceil(length / width - 1e-9)), max(c, 1))
            for length, c in zip(lengths, counts, strict=True)
        ]
        wide = max(length / n for length, n in zip(lengths, lines, strict=True))
        high = sum((n - 1) * LINE_GAP for n in lines) + (len(counts) - 1) * LEVEL_GAP
        miss = abs(math.log(max(wide, 1.0) / max(high, LEVEL_GAP)) - math.log(ASPECT))
        if miss < best[0] - 1e-9:  # widest first: of two as good, the one with fewer lines
            best = (miss, lines)
    return best[1]


def _place(row: Sequence[int], want: Sequence[float], gap: float, x: list[float]) -> None:
    """x for the nodes of a row, in this order, at least `gap` apart and as close to `want` as
    can be in the least-squares sense (pool-adjacent-violators on want[i] - i × gap)."""
    blocks: list[list[float]] = []  # [mean, weight] of pooled runs
    for i, wanted in enumerate(want):
        blocks.append([wanted - i * gap, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, weight = blocks.pop()
            blocks[-1][0] = (blocks[-1][0] * blocks[-1][1] + mean * weight) / (
                blocks[-1][1] + weight
            )
            blocks[-1][1] += weight
    i = 0
    for mean, weight in blocks:
        for _ in range(int(weight)):
            x[row[i]] = mean + i * gap
            i += 1
