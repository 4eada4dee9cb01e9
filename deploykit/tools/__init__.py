"""The external programs deploykit drives, each wrapped once: helm, kubectl, the Docker engine
(the user's or a private one), Debian's apt, background daemons, the toolchain that finds or
extracts the pinned helm and kubectl, the go command, and actionlint (built with it).
"""

__all__ = [
    "actionlint",
    "apt",
    "daemons",
    "engine",
    "golang",
    "helm",
    "kubectl",
    "privateengine",
    "toolchain",
]
