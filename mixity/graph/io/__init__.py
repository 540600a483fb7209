"""Reading and writing files: finding RDF files, the safe rdflib loader, atomic writes, writers.

Nothing here imports rdflib at package import time: `files` and `write` serve the query path.
"""
