"""One release of the chart on a cluster: installing it, upgrading and rolling it back, traffic
through it while that happens, ready capacity, where its pods run, pod startup and probes that
act.
"""

__all__ = [
    "appsecret",
    "capacity",
    "connectprobe",
    "connectprobe_pod",
    "externaldb",
    "helmrelease",
    "install",
    "livefeed",
    "loadgen_pod",
    "placement",
    "podstartup",
    "portforward",
    "probechecks",
    "rollouts",
    "scriptpod",
    "traffic",
]
