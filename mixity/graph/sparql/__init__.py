"""The SPARQL path: lexer, diagnosis, saved queries, engines, results and their formats.

This package never imports rdflib, networkx or pyvis (only the `memory` engine, loaded on
request, uses rdflib): `mixity query` starts in the time of click and pyoxigraph.
"""
