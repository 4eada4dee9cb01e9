"""The only modules that import pytest: the plugin, the shared fixtures, prerequisites as skips or
failures, and the asserts that turn deploykit's findings into test outcomes.
"""

__all__ = [
    "asserts",
    "captured",
    "fixtures",
    "plugin",
    "prerequisites",
]
