"""Commands behind `python -m deploykit`: `make up`/`make down`, the layer runner behind
`make test` and the run's summary, the lint layer's runner, and the fresh and loaded rehearsals
of the gate.
"""

__all__ = [
    "layerrun",
    "lintrun",
    "rehearsal",
    "summary",
    "up",
]
