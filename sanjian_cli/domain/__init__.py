"""The rules of the domain: plain, typed Python over plain data.

Nothing here imports typer, rich, tinydb or the store; every rule has one home here
(quorum and passing in `tally`, who counts as 应到 in `attendance`, the agenda fit in `agenda`,
the weekly schedule in `schedule`, ...), so the CLI, the services and the renderers call them
rather than restate them.
"""
