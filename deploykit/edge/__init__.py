"""The public edge in front of a release, as a production cluster runs it: a Gateway API
controller (Traefik, compiled from source) and the Gateway the chart's HTTPRoute attaches to, a
TLS certificate made for the test, and clients outside the pods that reach the app through it.
"""

__all__ = [
    "certificate",
    "client",
    "controller",
    "routecheck",
    "traefikbuild",
    "traffic",
]
