"""The command line: one small module per noun; each parses, calls the library, renders."""
