"""The use cases: one plain function for each thing a user does, over a `Record`.

Each module is named after the noun of its command (`member` -> `members`, `vote` -> `votes`,
`action` -> `actions`, ...). They check, change the record and return plain data; they
know nothing of typer or rich, and never write a file.
"""
