"""One release of the chart on a cluster: installing it, upgrading and rolling it back, traffic
through it while that happens, ready capacity, pod startup and probes that act.
"""

__all__ = [
    "capacity",
    "externaldb",
    "helmrelease",
    "install",
    "loadgen_pod",
    "podstartup",
    "portforward",
    "probechecks",
    "rollouts",
    "traffic",
]
