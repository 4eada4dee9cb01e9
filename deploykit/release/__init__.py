"""One release of the chart on a cluster: installing it, upgrading and rolling it back, traffic
through it while that happens, ready capacity, where its pods run, pod startup, probes that act,
and which connections its NetworkPolicies let through, tried from pods.
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
    "reachability",
    "rollouts",
    "scriptpod",
    "traffic",
]
