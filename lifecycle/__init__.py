"""Agreements and their joint process.

`lifecycle.rules` is the pure heart (standard library and `core` types only); the Piccolo tables,
queries and services sit beside it in this package and call into it.
"""
