"""A layer's prerequisite either holds, or the layer says why in one line: a skip for a
person at a laptop, a failure in CI (CI=true), where a skipped layer must never look green."""

import pytest

from deploykit.foundation.ci import in_ci
from deploykit.foundation.errors import DeploykitError

__all__ = ["in_ci", "require"]


def require(obtain, what: str):
    """Return obtain(); when it raises a DeploykitError, skip (or fail in CI) naming `what`."""
    __tracebackhide__ = True
    try:
        return obtain()
    except DeploykitError as exc:
        message = f"{what} unavailable: {exc}"
        if in_ci():
            pytest.fail(f"{message} (CI=true: a missing prerequisite fails the run)", pytrace=False)
        pytest.skip(message)
