"""Project images running under Docker, the way the chart runs them: hardened `docker run`,
startup timing, testinfra's toolbox, /proc facts, and the browser journey against a running app.
"""

__all__ = [
    "journey",
    "procfs",
    "running",
    "toolbox",
]
