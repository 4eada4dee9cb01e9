"""What every other layer stands on: named errors, running commands, paths, waits, budgets,
the one logger, percentiles, measured-figure artifacts, JUnit records, whether CI runs us, and the
project's constants. Imports nothing of deploykit's own.
"""

__all__ = [
    "artifacts",
    "ci",
    "constants",
    "errors",
    "findings",
    "junit",
    "limits",
    "locks",
    "log",
    "paths",
    "percentiles",
    "run",
    "waits",
]
