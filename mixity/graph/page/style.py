"""How the page looks: a colour per class, a shape per family of classes, vis-network options.

Colours and shapes come from hashes of the class IRIs, so a class an extension adds gets its own
colour and legend entry with no code change, and a class keeps its colour from view to view.
"""

from __future__ import annotations

import colorsys
import hashlib
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from mixity.graph.model.views import Ontology, ontology

#: Above this many nodes the page draws edge labels, arrows and hover effects only around the
#: selected node (each costs vis-network a redraw pass over thousands of edges).
BIG = 1000
#: Qualitative palette (Tableau 10, then distinct hues and lightnesses): one colour per class.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#59a14f",
    "#b07aa1",
    "#edc948",
    "#76b7b2",
    "#9c755f",
    "#ff9da7",
    "#17becf",
    "#393b79",
    "#bcbd22",
    "#e7298a",
    "#1a6b4e",
    "#a6cee3",
    "#fdbf6f",
    "#6a3d9a",
    "#b15928",
    "#8c8c8c",
    "#cab2d6",
)
#: vis-network shapes drawn with the label below: one per family of classes (root superclass).
SHAPES = ("dot", "diamond", "square", "triangle", "star", "hexagon", "triangleDown")
UNTYPED = "#a0a4ab"


def class_styles(graph: Graph, onto: Ontology | None = None) -> dict[Node, tuple[str, str]]:
    """Colour and shape of every class used as a type in `graph`.

    The colour is picked from PALETTE by a hash of the class IRI (the next free colour on a
    collision, in IRI order), the shape by the family's root class.
    """
    onto = onto or ontology(graph)
    used = sorted({cls for types in onto.types.values() for cls in types}, key=str)
    colours: dict[Node, str] = {}
    taken: set[int] = set()
    for cls in sorted(used, key=lambda c: (_slot(str(c), len(PALETTE)), str(c))):
        slot = _slot(str(cls), len(PALETTE))
        for step in range(len(PALETTE)):
            if (slot + step) % len(PALETTE) not in taken:
                slot = (slot + step) % len(PALETTE)
                taken.add(slot)
                colours[cls] = PALETTE[slot]
                break
        else:  # more classes than colours: a stable colour from the hash
            colours[cls] = _hsl(_slot(str(cls), 360), 0.55, 0.55)
    roots = {cls: _root(onto, cls) for cls in used}
    shapes: dict[str, str] = {}
    free = list(SHAPES)
    for root in sorted(set(roots.values()), key=lambda r: (_slot(r, len(SHAPES)), r)):
        slot = _slot(root, len(SHAPES))
        shape = next((s for s in SHAPES[slot:] + SHAPES[:slot] if s in free), SHAPES[slot])
        if shape in free:
            free.remove(shape)
        shapes[root] = shape
    return {cls: (colours[cls], shapes[roots[cls]]) for cls in used}


def vis_colour(colour: str) -> dict[str, Any]:
    """vis-network's colour options for a node of this colour."""
    border = _shade(colour, 0.72)
    return {
        "background": colour,
        "border": border,
        "highlight": {"background": colour, "border": "#1f2430"},
        "hover": {"background": colour, "border": "#1f2430"},
    }


def vis_options(count: int, physics: bool, groups: dict[str, Any], seed: int) -> dict[str, Any]:
    """vis-network's options for `count` nodes, one group per class."""
    big = count > BIG
    options: dict[str, Any] = {
        "autoResize": True,
        "groups": groups,
        "nodes": {
            "borderWidth": 1.5,
            "borderWidthSelected": 3,
            "font": {
                "size": 14,
                "face": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                "color": "#1f2430",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
        },
        "edges": _edge_options(big, physics),
        "layout": {"randomSeed": seed, "improvedLayout": physics and count <= 100},
        "interaction": {
            "hover": not big,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "multiselect": False,
        },
        "physics": _physics() if physics else {"enabled": False},
    }
    if not big:  # wrapping measures every word: worth it for hundreds of labels, not thousands
        options["nodes"]["widthConstraint"] = {"maximum": 180}
    return options


def _edge_options(big: bool, physics: bool) -> dict[str, Any]:
    return {
        # Thousands of arrowheads cost a redraw dearly: big pages draw them around the
        # selected node only.
        "arrows": {"to": {"enabled": not big, "scaleFactor": 0.5}},
        "color": {"color": "#b4bac4", "highlight": "#39424e", "hover": "#39424e", "inherit": False},
        "font": {
            "size": 10,
            "color": "#5b6470",
            "strokeWidth": 3,
            "strokeColor": "#ffffff",
            "align": "middle",
        },
        "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3} if physics else False,
        "width": 1,
        "selectionWidth": 1.5,
        "scaling": {"label": {"enabled": False, "drawThreshold": 9}},
    }


def _physics() -> dict[str, Any]:
    return {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {
            "gravitationalConstant": -60,
            "centralGravity": 0.008,
            "springLength": 110,
            "springConstant": 0.06,
            "avoidOverlap": 0.4,
        },
        "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 50, "fit": True},
        "minVelocity": 1.5,
    }


def _shade(colour: str, factor: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(max(0, min(255, round(c * factor))) for c in (r, g, b)))


def _slot(text: str, size: int) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big") % size


def _root(onto: Ontology, cls: Node) -> str:
    """The most general superclass of a class (the smallest IRI among several)."""
    ancestors = onto.ancestors.get(cls, frozenset((cls,)))
    tops = [a for a in ancestors if onto.ancestors.get(a, frozenset((a,))) == {a}]
    return min(str(t) for t in tops) if tops else str(cls)


def _hsl(hue: int, sat: float, light: float) -> str:
    r, g, b = colorsys.hls_to_rgb(hue / 360, light, sat)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
