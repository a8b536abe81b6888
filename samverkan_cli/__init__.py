"""The `samverkan` command line."""
