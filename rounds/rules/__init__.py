"""The rules of rounds, as pure functions: no I/O, no clock (each takes `today`)."""
