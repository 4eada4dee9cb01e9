"""One module per figure `make bench` measures; deploykit.bench puts them in the document.
"""

__all__ = [
    "builds",
    "imagesize",
    "install",
    "layers",
    "podready",
    "rollout",
    "startup",
    "throughput",
    "throughput_pod",
]
