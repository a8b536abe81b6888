"""Small shared kernel: settings, the clock, the database engine and domain errors.

Imported by every other package; imports none of them.
"""
