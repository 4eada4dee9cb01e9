"""The third-party base images: which official image each role uses, and the air-gapped stand-in
built from Debian packages when the official one cannot be pulled.
"""

__all__ = [
    "build",
    "catalog",
    "published",
    "rootfs",
]
