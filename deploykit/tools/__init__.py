"""The external programs deploykit drives, each wrapped once: helm, kubectl, the Docker engine
(the user's or a private one), Debian's apt, background daemons, and the toolchain that finds or
extracts the pinned helm and kubectl.
"""

__all__ = [
    "apt",
    "daemons",
    "engine",
    "helm",
    "kubectl",
    "privateengine",
    "toolchain",
]
