"""`mixity diff`: the semantic difference of two graphs, and what an extension changes.

- `run`: `compare(old, new)` loads two graphs as the command names them and renders the diff;
- `compare`: the diff itself (ground triples as sets, blank-node components by structure);
- `components`: components and their canonical keys;
- `naming`: stable blank-node names, the same in every output;
- `show`: text, JSON and TriG; `patch`: a SPARQL Update; `syntax`: terms as both write them;
- `extension`: what an extension does to the bundled ontology and data, on the part of it that
  can reach them (`reach`).

Nothing here imports click or prints.
"""
