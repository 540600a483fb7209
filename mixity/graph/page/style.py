"""How the page looks: a colour and a shape per class, label sizes, vis-network options.

The classes of mixity's vocabulary have a fixed colour and shape (`BUNDLED`). A class an
extension adds gets a colour from a hash of its IRI alone and the shape of its nearest bundled
superclass: it has its own legend entry with no code change, and no class ever takes another's
colour, so loading an extension moves no colour of the bundled classes.

The ibis view is drawn in the IBIS notation instead (`IBIS_NOTATION`): there the look says a
resource's IBIS role (question, position, argument for or against), whatever its own class.
"""

from __future__ import annotations

import colorsys
import hashlib
import math
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from mixity.graph.model import vocabulary as vocab
from mixity.graph.model.views import Ontology, ontology
from mixity.namespaces import MIX

#: Above this many nodes the page draws edge labels, arrows and hover effects only around the
#: selected node (each costs vis-network a redraw pass over thousands of edges).
BIG = 1000
#: Above this many nodes the fitted picture is drawn smaller than life: labels are shorter,
#: nodes smaller, letters bigger in the picture's units, so that they stay readable at that zoom
#: (measured in Chromium at 1280×720: tests/test_render_browser.py).
CROWDED = 40
#: Up to this many nodes the page moves nodes apart until no two labels overlap (render.js).
SPREAD_LIMIT = 400
#: Labels wrap at this width (below BIG nodes), in the picture's units.
WRAP = 180

_PROV = "http://www.w3.org/ns/prov#"
#: The classes of the bundled vocabulary: colour (Tableau 10 first, then distinct hues) and
#: shape (one per family: events are dots, the debate's positions squares, concepts stars…).
BUNDLED: dict[str, tuple[str, str]] = {
    MIX + "Lever": ("#4e79a7", "square"),
    MIX + "Talk": ("#f28e2b", "dot"),
    vocab.SKOS + "ConceptScheme": ("#e15759", "hexagon"),
    vocab.SCHEMA + "Organization": ("#59a14f", "triangleDown"),
    MIX + "Notion": ("#b07aa1", "star"),
    vocab.SCHEMA + "Person": ("#edc948", "triangleDown"),
    MIX + "Resource": ("#76b7b2", "diamond"),
    MIX + "Workshop": ("#9c755f", "dot"),
    MIX + "Meeting": ("#ff9da7", "dot"),
    vocab.SPECIFIC_RESOURCE: ("#17becf", "triangleDown"),
    vocab.SCHEMA + "Place": ("#393b79", "triangle"),
    MIX + "PolicyArea": ("#bcbd22", "star"),
    MIX + "Question": ("#e7298a", "square"),
    MIX + "ActorType": ("#a6cee3", "star"),
    MIX + "SourceDocument": ("#fdbf6f", "star"),
    MIX + "Finding": ("#cab2d6", "square"),
    vocab.SCHEMA + "Event": ("#6a3d9a", "dot"),
    vocab.SCHEMA + "EventSeries": ("#c15ca5", "dot"),
    vocab.IBIS + "Entity": ("#8c8c8c", "square"),
    vocab.IBIS + "Issue": ("#b15928", "square"),
    vocab.IBIS + "Position": ("#1a6b4e", "square"),
    vocab.IBIS + "Argument": ("#d4a6c8", "square"),
    vocab.SCHEMA + "CreativeWork": ("#86bcb6", "diamond"),
    vocab.SCHEMA + "WebPage": ("#f1ce63", "star"),
    _PROV + "Entity": ("#79706e", "star"),
    vocab.TEXT_QUOTE_SELECTOR: ("#499894", "triangleDown"),
    vocab.SKOS + "Concept": ("#d37295", "star"),
    # The schema, when a query's answer draws it.
    vocab.OWL + "Class": ("#4b5563", "dot"),
    vocab.RDFS + "Class": ("#4b5563", "dot"),
    vocab.OWL + "ObjectProperty": ("#9aa3ad", "diamond"),
    vocab.OWL + "DatatypeProperty": ("#9aa3ad", "diamond"),
    vocab.RDF + "Property": ("#9aa3ad", "diamond"),
}
#: The IBIS notation (Compendium's colours, vis-network's shapes): questions are light-blue
#: cards, positions (levers) yellow ellipses, arguments diamonds. A class takes the look of its
#: nearest IBIS class: in this notation an extension's kind of lever is drawn as a lever.
IBIS_NOTATION: dict[str, tuple[str, str]] = {
    vocab.IBIS + "Issue": ("#9fc5e8", "box"),
    vocab.IBIS + "Position": ("#ffd966", "ellipse"),
    vocab.IBIS + "Argument": ("#d9d2e9", "diamond"),
}
#: An argument for a position is green, one against it red (IBIS's pro and con): the properties
#: that say so, from the argument and from the position, and the colour.
STANCES: dict[str, tuple[str, str, str]] = {
    "pro": (vocab.IBIS + "supports", vocab.IBIS + "supported-by", "#6aa84f"),
    "con": (vocab.IBIS + "opposes", vocab.IBIS + "opposed-by", "#e06666"),
}
#: vis-network shapes drawn with the label below: a new family's shape comes from this list.
SHAPES = ("dot", "diamond", "square", "triangle", "star", "hexagon", "triangleDown")
UNTYPED = "#a0a4ab"


def class_styles(
    graph: Graph, onto: Ontology | None = None, *, ibis: bool = False
) -> dict[Node, tuple[str, str]]:
    """Colour and shape of every class used as a type in `graph`.

    A bundled class has its own (`BUNDLED`). Any other class: a colour from a hash of its IRI,
    and the shape of its nearest bundled superclass, else one from a hash of its family's
    most general class. Nothing depends on which other classes are loaded. `ibis`: the IBIS
    notation first (`IBIS_NOTATION`), for the classes it knows.
    """
    onto = onto or ontology(graph)
    used = {cls for types in onto.types.values() for cls in types}
    return {cls: class_style(onto, cls, ibis=ibis) for cls in sorted(used, key=str)}


def ibis_role(onto: Ontology, cls: Node) -> str | None:
    """The nearest IBIS class of a class (issue, position or argument), if it has one."""
    found = [a for a in onto.ancestors.get(cls, frozenset((cls,))) if str(a) in IBIS_NOTATION]
    if not found:
        return None
    # the nearest: the one with the most superclasses (IBIS 0.6's arguments are issues)
    return str(max(found, key=lambda a: (len(onto.ancestors.get(a, ())), str(a))))


def class_style(onto: Ontology, cls: Node, *, ibis: bool = False) -> tuple[str, str]:
    """The colour and shape of one class (see `class_styles`)."""
    role = ibis_role(onto, cls) if ibis else None
    if role is not None:
        return IBIS_NOTATION[role]
    fixed = BUNDLED.get(str(cls))
    if fixed is not None:
        return fixed
    digest = _digest(str(cls))
    # A hue from the hash, and one of three lightnesses: two new classes rarely look alike.
    colour = _hsl(digest % 360, 0.55, (0.42, 0.55, 0.68)[(digest >> 16) % 3])
    return colour, _shape(onto, cls)


def _shape(onto: Ontology, cls: Node) -> str:
    """The shape of the nearest bundled superclass, else one from the family's root."""
    ancestors = onto.ancestors.get(cls, frozenset((cls,)))
    bundled = [a for a in ancestors if str(a) in BUNDLED]
    if bundled:
        # the nearest: the one with the most superclasses of its own
        nearest = max(bundled, key=lambda a: (len(onto.ancestors.get(a, ())), str(a)))
        return BUNDLED[str(nearest)][1]
    return SHAPES[_digest(_root(onto, cls)) % len(SHAPES)]


def label_font(count: int) -> int:
    """The size of node labels, in the picture's units, for a picture of `count` nodes: a
    crowded picture is fitted at a smaller zoom, and its labels are bigger so that they stay
    readable at that zoom. Above SPREAD_LIMIT, labels are read zoomed in."""
    return 24 if CROWDED < count <= SPREAD_LIMIT else 14


#: vis-network shapes that hold their label (the others draw it below).
LABEL_INSIDE = frozenset(("box", "ellipse", "circle", "database"))


def vis_group(colour: str, shape: str) -> dict[str, Any]:
    """vis-network's options for a group of nodes of this colour and shape."""
    group: dict[str, Any] = {"shape": shape, "color": vis_colour(colour)}
    if shape in LABEL_INSIDE:
        group["font"] = {"strokeWidth": 0}  # on its own colour, a label needs no white halo
    return group


def drawn_width(label: str, shape: str, count: int) -> float:
    """About how wide vis-network draws a node of this label and shape in a picture of `count`
    nodes (a layout's estimate: the page measures the real one). Letters are about 0.55 em."""
    font = label_font(count)
    wide = len(label) * font * 0.55
    text = min(wide, WRAP) if count <= BIG else wide
    if shape == "ellipse":  # vis-network's ellipse is as wide as its label, plus its height
        return text + math.ceil(wide / WRAP) * font * 1.2 + 10
    return text + (12 if shape in LABEL_INSIDE else 0)


def vis_colour(colour: str) -> dict[str, Any]:
    """vis-network's colour options for a node of this colour."""
    border = _shade(colour, 0.72)
    return {
        "background": colour,
        "border": border,
        "highlight": {"background": colour, "border": "#1f2430"},
        "hover": {"background": colour, "border": "#1f2430"},
    }


def vis_options(
    count: int, physics: bool, groups: dict[str, Any], seed: int, rows: bool = False
) -> dict[str, Any]:
    """vis-network's options for `count` nodes, one group per class; `rows`: a hierarchical
    layout, whose links curve from row to row."""
    big = count > BIG
    options: dict[str, Any] = {
        "autoResize": True,
        "groups": groups,
        "nodes": {
            "borderWidth": 1.5,
            "borderWidthSelected": 3,
            "font": {
                "size": label_font(count),
                "face": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                "color": "#1f2430",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
        },
        "edges": _edge_options(big, physics, rows),
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
        options["nodes"]["widthConstraint"] = {"maximum": WRAP}
    return options


def _edge_options(big: bool, physics: bool, rows: bool) -> dict[str, Any]:
    smooth: dict[str, Any] | bool = False
    if physics:
        smooth = {"enabled": True, "type": "continuous", "roundness": 0.3}
    elif rows and not big:  # curves cost a redraw more than lines: not for thousands
        smooth = {"enabled": True, "type": "cubicBezier", "forceDirection": "vertical"}
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
        "smooth": smooth,
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


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def _root(onto: Ontology, cls: Node) -> str:
    """The most general superclass of a class (the smallest IRI among several)."""
    ancestors = onto.ancestors.get(cls, frozenset((cls,)))
    tops = [a for a in ancestors if onto.ancestors.get(a, frozenset((a,))) == {a}]
    return min(str(t) for t in tops) if tops else str(cls)


def _hsl(hue: int, sat: float, light: float) -> str:
    r, g, b = colorsys.hls_to_rgb(hue / 360, light, sat)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
