"""sanjian: a command-line secretary for a community's 三工联席会议."""

__version__ = "0.1.0"


def version_line() -> str:
    """What `sanjian --version` prints."""
    return f"sanjian {__version__}"
