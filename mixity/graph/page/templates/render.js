// mixity's page logic: legend and class filters, search, neighbourhood highlight, side panel.
// Every text from the graph is set with textContent (or passed to vis-network, whose tooltips
// are plain text): nothing from the data is ever parsed as HTML.
(function () {
  "use strict";

  performance.mark("mixity-start");
  var data = JSON.parse(document.getElementById("mixity-data").textContent);
  performance.mark("mixity-parsed");
  var ui = data.ui;
  var SVG = "http://www.w3.org/2000/svg";
  var DIM_NODE = 0.16;
  var DIM_EDGE = 0.1;

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  // How names are matched: the rules of mixity.graph.model.resolve.fold, which folded the
  // page's search keys (the browser tests compare the two): ligatures spelt out, NFKD, no
  // combining marks, case folded, anything but letters, digits and "_" a space, one space
  // between words. Case folding is lower-casing plus the few letters Unicode folds otherwise.
  var LIGATURES = { "\u0153": "oe", "\u00e6": "ae", "\u0152": "oe", "\u00c6": "ae", "\u00df": "ss" };
  var FOLDED = {
    "\u03c2": "\u03c3",  // final sigma
    "\u1c80": "\u0432", "\u1c81": "\u0434", "\u1c82": "\u043e", "\u1c83": "\u0441",
    "\u1c84": "\u0442", "\u1c85": "\u0442", "\u1c86": "\u044a", "\u1c87": "\u0463",
    "\u1c88": "\ua64b"  // old Cyrillic letter forms
  };
  function foldLetter(ch) {
    var code = ch.codePointAt(0);
    // Cherokee folds to its capitals: U+AB70-ABBF to U+13A0-13EF, U+13F8-13FD to U+13F0-13F5.
    if (code >= 0xab70 && code <= 0xabbf) { return String.fromCodePoint(code - 0x97d0); }
    if (code >= 0x13f8 && code <= 0x13fd) { return String.fromCodePoint(code - 8); }
    return LIGATURES[ch] || FOLDED[ch] || ch;
  }
  function fold(text) {
    return String(text || "").replace(/[\u0153\u00e6\u0152\u00c6\u00df]/g, foldLetter)
      .normalize("NFKD").replace(/\p{Mn}/gu, "").toLowerCase()
      .replace(/[\u0153\u00e6\u00df\u03c2\u1c80-\u1c88\u13f8-\u13fd\uab70-\uabbf]/g, foldLetter)
      .replace(/[^\p{L}\p{N}_]+/gu, " ").trim();
  }

  function isWebAddress(text) { return /^https?:\/\/[^\s]+$/i.test(text); }

  // --- Data ------------------------------------------------------------------------------
  var classes = {};
  data.classes.forEach(function (c) { classes[c.key] = c; });
  var byClass = {};
  var byId = {};
  data.nodes.forEach(function (n) {
    (byClass[n.group] = byClass[n.group] || []).push(n.id);
    byId[n.id] = n;
  });
  // Each node's names, labels and prefix:name, folded in Python (data.search).
  var index = data.nodes.map(function (n) { return { id: n.id, keys: data.search[n.id] }; });
  var hiddenClasses = {};
  var selected = null;
  var sep = data.lang === "fr" ? "\u00a0: " : ": ";

  // --- Page chrome -----------------------------------------------------------------------
  document.title = data.title;
  $("title").textContent = data.title;
  $("subtitle").textContent = data.subtitle || "";
  var search = $("search");
  search.placeholder = ui.search;
  search.setAttribute("aria-label", ui.search);
  $("fit").textContent = ui.fit;
  $("legend-title").textContent = ui.legend;
  $("show-all").textContent = ui.all;
  $("show-none").textContent = ui.none;
  $("hint").textContent = ui.hint;

  // --- The network -----------------------------------------------------------------------
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = $("network");
  var network = new vis.Network(container, {}, data.options);
  var state = { network: network, nodes: nodes, edges: edges, data: data, ready: false, readyAt: null, selected: null, fold: fold };
  window.mixity = state;

  function markReady() {
    if (state.ready) { return; }
    state.ready = true;
    state.readyAt = performance.now();
    performance.mark("mixity-ready");
    document.body.setAttribute("data-ready", "true");
  }

  // --- Labels apart ------------------------------------------------------------------------
  // vis-network keeps nodes apart, not their labels. Once the nodes are placed and drawn (the
  // browser has measured every label), the picture is stretched to the window's shape, then
  // `part` moves nodes the least that parts every two labels, as many times as it takes (a
  // move may make a new overlap); `compact` draws it closer and parts it again while that
  // makes the labels bigger on the screen once the picture is fitted to the window. A picture
  // in rows (the hierarchical layout) keeps its rows: its nodes are parted sideways only, and
  // squeezing a whole picture keeps every row above the next.
  var GAP = 4;
  var HOLDS_LABEL = { box: true, ellipse: true, circle: true, database: true };
  var ROWS = data.rows === true;
  var shape = { aspect: 1 };

  function labelBoxes() {
    var items = [];
    network.body.nodeIndices.forEach(function (id) {
      var node = network.body.nodes[id];
      var box = node.shape.boundingBox;
      if (node.options.hidden || !box) { return; }
      // The shape's box and the label's: vis-network's box ends above the label's last line.
      // A shape that holds its label (a question's card) is its own box: vis-network measures
      // such a label only when it draws the node, and the first drawing leaves out the nodes
      // outside the window (their labels' boxes were still where the nodes were created).
      var label = node.labelModule.size;
      var hasLabel = !HOLDS_LABEL[node.shape.options.shape] && label && label.width > 0;
      var left = hasLabel ? Math.min(box.left, label.left) : box.left;
      var right = hasLabel ? Math.max(box.right, label.left + label.width) : box.right;
      var top = hasLabel ? Math.min(box.top, label.top) : box.top;
      var bottom = hasLabel ? Math.max(box.bottom, label.top + label.height) : box.bottom;
      items.push({
        id: id, x: node.x, y: node.y,
        l: left - node.x - GAP / 2, r: right - node.x + GAP / 2,
        t: top - node.y - GAP / 2, b: bottom - node.y + GAP / 2
      });
    });
    return items;
  }

  function part(items) {
    // Pushing sideways costs more, but the window is wider than high: weigh the two.
    var weight = Math.sqrt(shape.aspect);
    for (var round = 0; round < 300; round++) {
      var moved = false;
      items.sort(function (p, q) { return (p.x + p.l) - (q.x + q.l) || p.id - q.id; });
      for (var i = 0; i < items.length; i++) {
        var p = items[i];
        for (var j = i + 1; j < items.length && items[j].x + items[j].l < p.x + p.r; j++) {
          var q = items[j];
          var dx = Math.min(p.x + p.r, q.x + q.r) - Math.max(p.x + p.l, q.x + q.l);
          var dy = Math.min(p.y + p.b, q.y + q.b) - Math.max(p.y + p.t, q.y + q.t);
          if (dx <= 0 || dy <= 0) { continue; }
          moved = true;
          if (!ROWS && dy * weight <= dx) {
            var down = p.y + (p.t + p.b) / 2 <= q.y + (q.t + q.b) / 2 ? 1 : -1;
            p.y -= down * (dy / 2 + 0.5); q.y += down * (dy / 2 + 0.5);
          } else {
            var right = p.x + (p.l + p.r) / 2 <= q.x + (q.l + q.r) / 2 ? 1 : -1;
            p.x -= right * (dx / 2 + 0.5); q.x += right * (dx / 2 + 0.5);
          }
        }
      }
      if (!moved) { return true; }
    }
    return false;
  }

  function extent(items) {
    var left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
    items.forEach(function (it) {
      left = Math.min(left, it.x + it.l); right = Math.max(right, it.x + it.r);
      top = Math.min(top, it.y + it.t); bottom = Math.max(bottom, it.y + it.b);
    });
    var width = Math.max(right - left, 1), height = Math.max(bottom - top, 1);
    return {
      x: (left + right) / 2, y: (top + bottom) / 2, aspect: width / height,
      scale: Math.min(container.clientWidth / width, container.clientHeight / height)
    };
  }

  function squeeze(items, fx, fy) {
    var at = extent(items);
    items.forEach(function (it) { it.x = at.x + (it.x - at.x) * fx; it.y = at.y + (it.y - at.y) * fy; });
  }

  function compact(items) {
    var best = {}, bestScale = extent(items).scale;
    items.forEach(function (it) { best[it.id] = [it.x, it.y]; });
    for (var step = 0; step < 24; step++) {
      // Squeeze more along the axis that is too long for the window.
      var tall = Math.sqrt(extent(items).aspect / shape.aspect);
      squeeze(items, 0.9 * Math.min(1, 1 / tall), 0.9 * Math.min(1, tall));
      if (!part(items)) { break; }
      var scale = extent(items).scale;
      if (scale > bestScale) {
        bestScale = scale;
        items.forEach(function (it) { best[it.id] = [it.x, it.y]; });
      }
    }
    items.forEach(function (it) { it.x = best[it.id][0]; it.y = best[it.id][1]; });
  }

  function settle() {
    performance.mark("mixity-placed");
    if (data.spread) {
      var items = labelBoxes();
      shape.aspect = container.clientWidth / Math.max(container.clientHeight, 1);
      // A picture in rows was drawn for a window's shape already: stretching it would narrow
      // its rows, for `part` to widen them again.
      var stretch = ROWS ? 1 : Math.sqrt(shape.aspect / extent(items).aspect);
      squeeze(items, stretch, 1 / stretch);
      if (part(items)) { compact(items); }
      items.forEach(function (it) { network.moveNode(it.id, it.x, it.y); });
      performance.mark("mixity-spread");
    }
    // vis-network fits the boxes of the last drawing: draw the moved nodes first.
    network.once("afterDrawing", function () {
      network.fit();
      if (!data.big) {
        quietEdges = data.options.edges.font.size * network.getScale() * 1.25 + 1;
        edgeLabels(false);
      }
      network.once("afterDrawing", markReady);
      network.redraw();
    });
    network.redraw();
  }

  if (data.physics && data.nodes.length > 0) {
    // Stabilise out of sight, then stop: the picture stays still and the page stays light.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.once("afterDrawing", settle);
      network.redraw();
    });
  } else if (data.spread && data.nodes.length > 0) {
    network.once("afterDrawing", settle);
  } else {
    network.once("afterDrawing", markReady);
  }
  performance.mark("mixity-network");
  network.setData({ nodes: nodes, edges: edges });
  performance.mark("mixity-data");
  if (data.nodes.length === 0) { markReady(); }

  // --- Legend and class filters ----------------------------------------------------------
  function swatch(shape, colour) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "swatch");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("viewBox", "0 0 16 16");
    var item;
    var points = {
      diamond: "8,1 15,8 8,15 1,8",
      triangle: "8,1.5 15,14 1,14",
      triangleDown: "1,2 15,2 8,14.5",
      star: "8,1 10,6 15.5,6.2 11.2,9.5 12.8,15 8,11.8 3.2,15 4.8,9.5 0.5,6.2 6,6",
      hexagon: "4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8"
    };
    if (shape === "square" || shape === "box") {
      var wide = shape === "box";  // a card: wider than high, as the question cards are
      item = document.createElementNS(SVG, "rect");
      item.setAttribute("x", wide ? "0.5" : "2"); item.setAttribute("y", wide ? "3.5" : "2");
      item.setAttribute("width", wide ? "15" : "12"); item.setAttribute("height", wide ? "9" : "12");
      item.setAttribute("rx", wide ? "2.5" : "1.5");
    } else if (shape === "ellipse") {
      item = document.createElementNS(SVG, "ellipse");
      item.setAttribute("cx", "8"); item.setAttribute("cy", "8");
      item.setAttribute("rx", "7.5"); item.setAttribute("ry", "5");
    } else if (points[shape]) {
      item = document.createElementNS(SVG, "polygon");
      item.setAttribute("points", points[shape]);
    } else {
      item = document.createElementNS(SVG, "circle");
      item.setAttribute("cx", "8"); item.setAttribute("cy", "8"); item.setAttribute("r", "6.5");
    }
    item.setAttribute("fill", colour);
    item.setAttribute("stroke", "rgba(0,0,0,.35)");
    item.setAttribute("stroke-width", "1");
    svg.appendChild(item);
    return svg;
  }

  var checkboxes = {};
  function setClassVisible(key, visible) {
    hiddenClasses[key] = !visible;
    checkboxes[key].checked = visible;
    checkboxes[key].closest("li").classList.toggle("off", !visible);
    nodes.update((byClass[key] || []).map(function (id) { return { id: id, hidden: !visible }; }));
    if (!visible && selected !== null && byId[selected].group === key) { clearSelection(); }
  }

  data.classes.forEach(function (c) {
    var li = el("li");
    var label = el("label");
    label.title = c.compact ? c.label + " (" + c.compact + ")" : c.label;
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-class", c.key);
    box.addEventListener("change", function () { setClassVisible(c.key, box.checked); });
    checkboxes[c.key] = box;
    label.appendChild(box);
    label.appendChild(swatch(c.shape, c.color));
    label.appendChild(el("span", "name", c.label));
    label.appendChild(el("span", "count", c.count));
    li.appendChild(label);
    $("classes").appendChild(li);
  });
  $("show-all").addEventListener("click", function () {
    clearHover();
    data.classes.forEach(function (c) { if (hiddenClasses[c.key]) { setClassVisible(c.key, true); } });
  });
  $("show-none").addEventListener("click", function () {
    clearSelection();
    data.classes.forEach(function (c) { if (!hiddenClasses[c.key]) { setClassVisible(c.key, false); } });
  });

  // --- Neighbourhood highlight ------------------------------------------------------------
  // vis-network forgets a hovered node only when the pointer moves over another part of the
  // picture: one left for the legend stayed drawn hovered, its links dark, after the
  // selection was cleared. The pointer leaving the picture ends the hover.
  function clearHover() {
    var hovered = network.selectionHandler && network.selectionHandler.hoverObj;
    if (!hovered) { return; }
    var changed = false;
    ["nodes", "edges"].forEach(function (kind) {
      Object.keys(hovered[kind]).forEach(function (k) {
        hovered[kind][k].hover = false;
        delete hovered[kind][k];
        changed = true;
      });
    });
    if (changed) { network.redraw(); }
  }
  container.addEventListener("pointerleave", clearHover);

  // Relation names are drawn around the selected node, and everywhere once the picture is
  // zoomed in past its fitted size: at that size they would cross the nodes' labels.
  var quietEdges = null;
  function edgeLabels(all) {
    if (quietEdges === null) { return; }
    network.setOptions({ edges: { scaling: { label: { drawThreshold: all ? 0 : quietEdges } } } });
  }

  var dimmed = {};
  var dimmedEdges = {};
  // The labels of dimmed links are not drawn at all (their white halo would cover others).
  var FONT_SHOWN = { color: data.options.edges.font.color, strokeWidth: data.options.edges.font.strokeWidth };
  var FONT_HIDDEN = { color: "rgba(0,0,0,0)", strokeWidth: 0 };
  var labelled = {};
  function highlight(id) {
    var around = network.getConnectedNodes(id);
    var connected = network.getConnectedEdges(id);
    if (data.big) {
      // Thousands of DataSet updates cost seconds: select the neighbourhood instead, and
      // label only its edges, in one update and one selection (each triggers a redraw).
      var updates = [];
      var next = {};
      connected.forEach(function (e) {
        next[e] = true;
        if (!labelled[e]) { updates.push({ id: e, label: data.edge_labels[e], arrows: "to" }); }
      });
      Object.keys(labelled).forEach(function (k) {
        if (!next[k]) { updates.push({ id: Number(k), label: "", arrows: { to: { enabled: false } } }); }
      });
      labelled = next;
      if (updates.length) { edges.update(updates); }
      network.setSelection({ nodes: [id].concat(around), edges: connected }, { highlightEdges: false });
      return;
    }
    var keep = {};
    keep[id] = true;
    around.forEach(function (n) { keep[n] = true; });
    var keepEdges = {};
    connected.forEach(function (e) { keepEdges[e] = true; });
    var nodeUpdates = [];
    data.nodes.forEach(function (n) {
      var dim = !keep[n.id];
      if (dim !== !!dimmed[n.id]) { nodeUpdates.push({ id: n.id, opacity: dim ? DIM_NODE : 1 }); dimmed[n.id] = dim; }
    });
    var edgeUpdates = [];
    data.edges.forEach(function (e) {
      var dim = !keepEdges[e.id];
      if (dim !== !!dimmedEdges[e.id]) {
        edgeUpdates.push({ id: e.id, color: { opacity: dim ? DIM_EDGE : 1 }, font: dim ? FONT_HIDDEN : FONT_SHOWN });
        dimmedEdges[e.id] = dim;
      }
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    edgeLabels(true);
  }
  function unhighlight() {
    var nodeUpdates = [];
    Object.keys(dimmed).forEach(function (k) { if (dimmed[k]) { nodeUpdates.push({ id: Number(k), opacity: 1 }); } });
    var edgeUpdates = [];
    Object.keys(dimmedEdges).forEach(function (k) {
      if (dimmedEdges[k]) { edgeUpdates.push({ id: Number(k), color: { opacity: 1 }, font: FONT_SHOWN }); }
    });
    edgeLabels(false);
    Object.keys(labelled).forEach(function (k) {
      edgeUpdates.push({ id: Number(k), label: "", arrows: { to: { enabled: false } } });
    });
    if (!nodeUpdates.length && !edgeUpdates.length) { return; }
    dimmed = {};
    dimmedEdges = {};
    labelled = {};
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
  }

  // --- Side panel ----------------------------------------------------------------------------
  var panel = $("panel-body");

  function section(title) {
    var box = el("div", "section");
    box.appendChild(el("h4", null, title));
    return box;
  }

  function addressNode(address) {
    if (isWebAddress(address)) {
      var a = el("a", null, address);
      a.href = address;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      return a;
    }
    return el("span", null, address);
  }

  function hidePanel() {
    panel.replaceChildren();
    $("panel").hidden = true;
  }

  function showNode(id) {
    var n = byId[id];
    var d = data.details[id];
    var c = classes[n.group];
    var other = data.lang === "fr" ? "en" : "fr";
    panel.replaceChildren();
    $("panel").hidden = false;
    var close = el("button", "close", "\u00d7");
    close.type = "button";
    close.title = ui.close;
    close.setAttribute("aria-label", ui.close);
    close.addEventListener("click", clearSelection);
    panel.appendChild(close);
    panel.appendChild(el("h3", null, d.labels[data.lang] || n.title.split("\n")[0]));
    if (d.labels[other] && d.labels[other] !== d.labels[data.lang]) {
      var p = el("p", "other");
      p.appendChild(el("span", "lang", other.toUpperCase()));
      p.appendChild(document.createTextNode(d.labels[other]));
      panel.appendChild(p);
    }
    var chips = el("div", "chips");
    var types = d.types.length ? d.types : [c.label];
    types.forEach(function (t) {
      var chip = el("span", "chip");
      var dot = el("i");
      dot.style.background = t === c.label ? c.color : "#c9ced6";
      chip.appendChild(dot);
      chip.appendChild(document.createTextNode(t));
      chips.appendChild(chip);
    });
    panel.appendChild(chips);
    if (d.definition) {
      var def = section(ui.definition);
      def.appendChild(el("p", null, d.definition));
      panel.appendChild(def);
    }
    if (d.quotes.length) {
      var quotes = section(ui.quotes + " (" + d.quotes.length + ")");
      d.quotes.forEach(function (q) {
        var bq = el("blockquote");
        var quoted = /^\s*[\u00ab"\u201c]/.test(q.text) ? q.text : "\u00ab\u00a0" + q.text + "\u00a0\u00bb";
        bq.appendChild(el("p", null, quoted));
        if (q.source || q.address) {
          var cite = el("div", "cite");
          cite.appendChild(document.createTextNode("\u2014 " + (q.source || "")));
          if (q.address) {
            cite.appendChild(document.createTextNode(" \u00b7 "));
            cite.appendChild(addressNode(q.address));
          }
          bq.appendChild(cite);
        }
        quotes.appendChild(bq);
      });
      panel.appendChild(quotes);
    }
    var connected = network.getConnectedEdges(id);
    if (connected.length) {
      var rel = section(ui.relations + " (" + connected.length + ")");
      var list = el("ul", "relations");
      edges.get(connected).slice(0, 200).forEach(function (e) {
        var out = e.from === id;
        var target = out ? e.to : e.from;
        var li = el("li");
        li.appendChild(el("span", "prop", (out ? "\u2192 " : "\u2190 ") + data.edge_labels[e.id] + " "));
        var go = el("button", null, byId[target].title.split("\n")[0]);
        go.type = "button";
        go.addEventListener("click", function () { choose(target); });
        li.appendChild(go);
        list.appendChild(li);
      });
      rel.appendChild(list);
      panel.appendChild(rel);
    }
    if (d.attributes.length) {
      var attrs = section(ui.attributes);
      var dl = el("dl", "attrs");
      d.attributes.forEach(function (kv) {
        dl.appendChild(el("dt", null, kv[0]));
        var dd = el("dd");
        dd.appendChild(addressNode(kv[1]));
        dl.appendChild(dd);
      });
      attrs.appendChild(dl);
      panel.appendChild(attrs);
    }
    var where = section(ui.iri);
    where.appendChild(el("div", "iri", d.iri || ui.blank));
    if (d.file) { where.appendChild(el("div", "iri", ui.file + sep + d.file)); }
    panel.appendChild(where);
    $("panel").scrollTop = 0;
  }

  function select(id) {
    selected = id;
    state.selected = id;
    if (!data.big) { network.selectNodes([id]); }
    highlight(id);
    showNode(id);
  }

  function clearSelection() {
    selected = null;
    state.selected = null;
    network.unselectAll();
    clearHover();
    unhighlight();
    hidePanel();
  }

  function choose(id) {
    var group = byId[id].group;
    if (hiddenClasses[group]) { setClassVisible(group, true); }
    select(id);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 350, easingFunction: "easeInOutQuad" } });
  }

  network.on("click", function (params) {
    if (params.nodes.length) { select(params.nodes[0]); }
    else if (!params.edges.length) { clearSelection(); }
  });

  // --- Search ------------------------------------------------------------------------------
  var results = $("results");
  var matches = [];
  var active = 0;

  function find(query) {
    var q = fold(query);
    if (!q) { return []; }
    // A whole name, then the start of one, then the start of a word, then any part.
    var tiers = [[], [], [], []];
    index.forEach(function (entry) {
      var best = 4;
      entry.keys.forEach(function (k) {
        var at = k.indexOf(q);
        if (at < 0) { return; }
        best = Math.min(best, k === q ? 0 : at === 0 ? 1 : (" " + k).indexOf(" " + q) >= 0 ? 2 : 3);
      });
      if (best < 4) { tiers[best].push(entry.id); }
    });
    return tiers[0].concat(tiers[1], tiers[2], tiers[3]).slice(0, 12);
  }

  function showResults() {
    results.replaceChildren();
    if (!search.value.trim()) { results.hidden = true; return; }
    if (!matches.length) {
      results.appendChild(el("li", "empty", ui.no_match));
    }
    matches.forEach(function (id, i) {
      var li = el("li", i === active ? "active" : null);
      li.setAttribute("role", "option");
      li.setAttribute("data-id", String(id));
      var c = classes[byId[id].group];
      li.appendChild(swatch(c.shape, c.color));
      li.appendChild(el("span", null, byId[id].title.split("\n")[0]));
      li.appendChild(el("span", "what", c.label));
      li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(id); });
      results.appendChild(li);
    });
    results.hidden = false;
  }

  function pick(id) {
    results.hidden = true;
    search.value = byId[id].title.split("\n")[0];
    choose(id);
  }

  search.addEventListener("input", function () {
    matches = find(search.value);
    active = 0;
    showResults();
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (matches.length) {
        active = (active + (event.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
        showResults();
      }
      event.preventDefault();
    } else if (event.key === "Enter") {
      if (matches.length) { pick(matches[active]); }
      event.preventDefault();
    } else if (event.key === "Escape") {
      results.hidden = true;
    }
  });
  search.addEventListener("blur", function () { results.hidden = true; });
  search.addEventListener("focus", function () { if (search.value.trim()) { showResults(); } });

  $("fit").addEventListener("click", function () { network.fit({ animation: { duration: 400 } }); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && event.target !== search && selected !== null) { clearSelection(); }
  });

  // --- Footer: provenance -------------------------------------------------------------------
  var prov = data.provenance;
  var footer = $("footer");
  function fact(text) { footer.appendChild(el("span", null, text)); }
  fact("mixity " + prov.version);
  fact(ui.view + sep + prov.view + (prov.focus ? " \u00b7 " + ui.focus + sep + prov.focus + " \u00b7 " + ui.depth + " " + prov.depth : ""));
  fact(data.nodes.length + " " + ui.nodes + " \u00b7 " + data.edges.length + " " + ui.edges);
  fact(ui.layout + sep + prov.layout);
  if (prov.query) { fact(ui.query + sep + prov.query); }
  if (prov.files.length) {
    var details = el("details");
    details.appendChild(el("summary", null, prov.files.length + " " + (prov.files.length > 1 ? ui.files : ui.file.toLowerCase())));
    var list = el("ul");
    prov.files.forEach(function (f) { list.appendChild(el("li", null, f)); });
    details.appendChild(list);
    footer.appendChild(details);
  }
  fact(ui.generated + " " + prov.generated);

  hidePanel();
})();
