"""One logger for deploykit's progress and diagnostic lines.

Library code only logs; whoever owns the terminal attaches the handler (the CLI, the MCP server,
the pytest plugin). So a command whose output a test reads is not polluted by a first-run download,
and a test controls the level with DEPLOYKIT_LOG_LEVEL."""

import logging
import os
import sys

logger = logging.getLogger("deploykit")

FORMAT = "deploykit: %(message)s"


def level() -> int:
    """The level the handler passes: DEPLOYKIT_LOG_LEVEL (a logging level name), else INFO."""
    name = os.environ.get("DEPLOYKIT_LOG_LEVEL", "INFO").upper()
    value = logging.getLevelName(name)
    return value if isinstance(value, int) else logging.INFO


def attach(handler: logging.Handler | None = None) -> logging.Handler:
    """Send deploykit's lines to handler (default: stderr), at level(); idempotent per handler type."""
    handler = handler or logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    for old in [h for h in logger.handlers if type(h) is type(handler)]:
        logger.removeHandler(old)
    logger.addHandler(handler)
    logger.setLevel(level())
    logger.propagate = False
    return handler
