"""The project's own images: building them, the build-time CA, and the checks on what an image is
(metadata, files shipped, Dockerfile lint) that need no running container.
"""

__all__ = [
    "build",
    "buildca",
    "checks",
    "files",
    "hostca",
    "lint",
    "shipping",
]
