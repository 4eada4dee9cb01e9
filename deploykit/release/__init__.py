"""One release of the chart on a cluster: installing it, upgrading and rolling it back, traffic
through it while that happens, ready capacity, pod startup and probes that act.
"""

__all__ = [
    "appsecret",
    "capacity",
    "externaldb",
    "helmrelease",
    "install",
    "livefeed",
    "loadgen_pod",
    "podstartup",
    "portforward",
    "probechecks",
    "rollouts",
    "traffic",
]
