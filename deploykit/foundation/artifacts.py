"""Measured figures as JSON artifacts under build/artifacts/, for `make bench`, the docs and the
run's summary; and the text reports beside them (a failing namespace's diagnostics).

Each artifact is a JSON object keyed by what was measured; recording one key keeps the others, so
the tests of one image never erase the figures of another.
"""

import datetime
import json
from pathlib import Path

from deploykit.foundation import paths
from deploykit.foundation.limits import Budget


def record(artifact: str, key: str, figure: dict) -> Path:
    """Merge figure under key into build/artifacts/<artifact>.json; returns the file."""
    path = paths.ARTIFACTS / f"{artifact}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(path.read_text()) if path.is_file() else {}
    data[key] = figure
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    return path


DIAGNOSTICS = "diagnostics"  # build/artifacts/diagnostics/<namespace>.txt: a failing namespace's report


def save_text(relative: str, text: str) -> Path:
    """Write text to build/artifacts/<relative> (a report, such as diagnostics/<namespace>.txt);
    returns the file."""
    path = paths.ARTIFACTS / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def measured(value: float, budget: Budget, **context) -> dict:
    """A figure with its budget beside it, and when it was measured."""
    return {
        "value": round(value, 3),
        "unit": budget.unit,
        "bound": budget.bound,
        "target": budget.target,
        "met_bound": budget.met_bound(value),
        "met_target": budget.met_target(value),
        "measured_at": now(),
        **context,
    }
