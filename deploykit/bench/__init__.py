"""`make bench`: the project's figures measured on this machine, the same way every run, and
written to docs/BENCHMARKS.md and build/artifacts/bench.json beside their budgets (limits.py).

One module per measurement group (imagesize, builds, startup, layers, install, rollout,
throughput), the pieces they share (figure, stats, podready, recording, machine), the timeline
picture (timeline, also for the cluster layer's rollout tests), the report writer (report) and
the run that ties them together (runner).
"""
