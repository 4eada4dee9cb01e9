"""The chart as data: rendered manifests, and the checks that read them without a cluster (policy,
relations between objects, the routes of the public edge, NetworkPolicy reachability, API schema,
agreement with the other layers' sources, how pods run each image, the values documentation).
"""

__all__ = [
    "crosslayer",
    "kubeschema",
    "manifests",
    "networkpolicy",
    "policy",
    "relations",
    "routes",
    "runspec",
    "valuesdoc",
]
