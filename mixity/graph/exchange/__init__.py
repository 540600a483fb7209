"""Exchange with the researchers' other tools: qualitative-analysis projects and argument maps.

- `mixity.graph.exchange.qdpx`: REFI-QDA projects (`.qdpx`) and codebooks (`.qdc`), exported;
- `mixity.graph.exchange.qdpx_import`: a coded REFI-QDA project, imported;
- `mixity.graph.exchange.aif`: AIF-JSON argument maps (AIFdb, OVA), both ways;
- `mixity.graph.exchange.argdown`: Argdown documents (export);
- `mixity.graph.exchange.debate`: what these formats read from the graph (questions, levers,
  findings, concepts, quotes), in one place;
- `mixity.graph.exchange.build`: what every import writes alike (source documents with
  checksums, quotes that `mixity validate --sources` accepts, editorial notes).

Each export takes an rdflib `Graph` and returns the bytes to write (with what it counted); each
import takes a path and returns an `Imported` (Turtle, the texts to write beside it, warnings).
Nothing here writes a file.
"""
