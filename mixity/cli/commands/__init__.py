"""One module per `mixity` command; each defines a click command named `cli`."""
