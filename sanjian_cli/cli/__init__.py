"""The command line: one small module per noun; each parses, calls the library, renders.

The modules that define commands (and `common`, whose options they share) do without
`from __future__ import annotations`: typer reads every parameter's annotation when it
builds a command, and an annotation kept as a string costs it an eval and a compile each,
about half of building the commands of a module (tests/test_fixed_cost.py).
"""
