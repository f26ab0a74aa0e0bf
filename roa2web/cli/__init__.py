"""The `roa2web` command line."""
