"""Beyond one laptop: real SPARQL servers driven through the W3C protocols.

- `mixity.graph.remote.server`: prepare a store and run the Oxigraph server over it
  (`mixity serve`), with mixity's own offline query page beside it;
- `mixity.graph.remote.push`: upload a graph to any store through the Graph Store HTTP Protocol
  (`mixity push`), staged in a temporary graph and swapped in with one SPARQL Update;
- `mixity.graph.remote.endpoint`: send a query to any SPARQL 1.1 endpoint and read the answer
  as a `QueryResult` (`--endpoint URL`);
- `mixity.graph.remote.http`: credentials and the one place where HTTP failures become
  `RemoteError` messages.

None of these modules is imported on the local query path.
"""
