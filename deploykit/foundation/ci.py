"""Whether this run is CI's (CI=true, as .ci/run and hosted runners set it): there a missing
prerequisite fails instead of skipping, since a skipped layer must never look green."""

import os


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
