"""`make bench`: the project's figures measured on this machine, the same way every run, and
written to docs/BENCHMARKS.md and build/artifacts/bench.json beside their budgets
(deploykit.foundation.limits).

One module per measurement group in measures/ (imagesize, builds, startup, layers, install,
podready, rollout, throughput), the pieces they share here (figure, stats, recording, machine),
the timeline picture (timeline, also for the cluster layer's rollout tests), the document writer
(document) and the run that ties them together (runner).
"""

__all__ = ["document", "figure", "machine", "measures", "recording", "runner", "stats", "timeline"]
