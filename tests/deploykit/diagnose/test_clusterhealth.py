"""deploykit.diagnose.clusterhealth.summarise: a verdict first, then the API server, each node, the failing
pods with their causes and the warning events by reason; all from what `collect` read."""

from deploykit.diagnose.clusterhealth import Snapshot, summarise

READYZ_OK = "[+]ping ok\n[+]etcd ok\n[+]shutdown ok\nreadyz check passed\n"
READYZ_ETCD_DOWN = "[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n"


def node(ready="True", memory_pressure="False"):
    return {"metadata": {"name": "todo-local"},
            "status": {"capacity": {"cpu": "2", "memory": "24684096Ki"},
                       "conditions": [{"type": "Ready", "status": ready},
                                      {"type": "MemoryPressure", "status": memory_pressure}]}}


SUMMARY = {"node": {"cpu": {"usageNanoCores": 1065376985}, "memory": {"workingSetBytes": 3372015616}}}


def pod(name, namespace="todo", phase="Running", ready="True", waiting=None):
    status = {"phase": phase, "conditions": [{"type": "Ready", "status": ready}], "containerStatuses": []}
    if waiting:
        status["containerStatuses"] = [{"name": "app", "ready": False, "restartCount": 0,
                                        "state": {"waiting": {"reason": waiting}}}]
    return {"metadata": {"name": name, "namespace": namespace}, "spec": {"containers": [{"name": "app"}]},
            "status": status}


def warning(reason, count):
    return {"reason": reason, "count": count, "type": "Warning", "involvedObject": {"namespace": "x", "name": "y"}}


def snapshot(readyz=READYZ_OK, nodes=None, pods=(), warnings=()):
    return Snapshot(readyz, nodes or [node()], list(pods), list(warnings), {"todo-local": SUMMARY})


def test_calls_a_cluster_with_nothing_wrong_healthy():
    text = summarise(snapshot(pods=[pod("backend"), pod("migrate", phase="Succeeded", ready="False")]))

    assert text.splitlines()[0] == "Cluster health: HEALTHY"
    assert "  pods: 1 serving, 1 completed, 0 failing" in text
    assert "  warning events (last hour): 0" in text


def test_shows_each_nodes_condition_and_load():
    text = summarise(snapshot())

    assert "    - todo-local: Ready, CPU 1.07 of 2 cores in use, memory 3.1 of 23.5 GiB, no pressure" in text


def test_lists_failing_pods_with_their_cause():
    text = summarise(snapshot(pods=[pod("backend", waiting="ErrImageNeverPull", ready="False", phase="Pending")]))

    assert text.startswith("Cluster health: DEGRADED (1 problem(s))")
    assert "    - todo/backend [app]: bad image tag" in text


def test_counts_a_node_under_pressure_and_a_failing_api_check_as_problems():
    text = summarise(snapshot(readyz=READYZ_ETCD_DOWN, nodes=[node(memory_pressure="True")]))

    assert text.startswith("Cluster health: DEGRADED (2 problem(s))")
    assert "  API server: NOT ready (etcd failed: reason withheld)" in text
    assert "under MemoryPressure" in text


def test_sums_warning_events_by_reason_most_frequent_first():
    text = summarise(snapshot(warnings=[warning("BackOff", 3), warning("Unhealthy", 8), warning("BackOff", 2)]))

    assert "  warning events (last hour): 13 (Unhealthy 8, BackOff 5)" in text
