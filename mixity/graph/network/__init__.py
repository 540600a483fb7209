"""The network side: the networkx projection, analytics, paths and network exports."""
