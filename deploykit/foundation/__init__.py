"""What every other layer stands on: named errors, running commands, paths, waits, budgets,
the one logger, percentiles, measured-figure artifacts and the project's constants. Imports nothing
of deploykit's own.
"""

__all__ = [
    "artifacts",
    "constants",
    "errors",
    "findings",
    "limits",
    "log",
    "paths",
    "percentiles",
    "run",
    "waits",
]
