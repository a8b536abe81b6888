"""Pure domain rules: no I/O, no framework, no clock. Every time-dependent rule takes `today`."""
