"""`python -m mixity` runs the CLI."""

from mixity.cli import main

main()
