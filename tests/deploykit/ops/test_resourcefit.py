"""deploykit.ops.resourcefit: requests and limits suggested from observed usage by a rule a person can
redo by hand, warnings where the declared resources are risky or wasteful, and the numbers read
from the kubelet's stats summary as it is served."""

from deploykit.ops import resourcefit
from deploykit.ops.resourcefit import MI, Usage

# Cut from `kubectl get --raw /api/v1/nodes/todo-local/proxy/stats/summary` on a single-node cluster.
SUMMARY = {"node": {"nodeName": "todo-local"}, "pods": [
    {"podRef": {"name": "todo-backend-6f68989fc6-cflb8", "namespace": "todo"},
     "containers": [{"name": "backend", "cpu": {"usageNanoCores": 2857662}, "memory": {"workingSetBytes": 72298496}}]},
    {"podRef": {"name": "todo-frontend-c654fdccf-fhmvh", "namespace": "todo"},
     "containers": [{"name": "frontend", "cpu": {"usageNanoCores": 0}, "memory": {"workingSetBytes": 4276224}}]},
]}


def chart_pod(name, component, requests, limits):
    return {"metadata": {"name": name, "namespace": "todo", "labels": {"app.kubernetes.io/component": component}},
            "spec": {"nodeName": "todo-local",
                     "containers": [{"name": component, "resources": {"requests": requests, "limits": limits}}]}}


BACKEND = chart_pod("todo-backend-6f68989fc6-cflb8", "backend", {"cpu": "50m", "memory": "96Mi"},
                    {"cpu": "500m", "memory": "256Mi"})


def test_reads_cpu_and_working_set_per_container_from_the_stats_summary():
    usage = resourcefit.usage_by_container([SUMMARY])

    assert usage[("todo", "todo-backend-6f68989fc6-cflb8", "backend")] == Usage(2.857662, 72298496)


def test_suggests_requests_with_headroom_over_usage():
    requests, _ = resourcefit.suggest(Usage(cpu_millicores=20, memory_bytes=100 * MI))

    assert requests == {"cpu": "30m", "memory": "128Mi"}  # 1.5 x 20m; 1.25 x 100Mi up to a multiple of 8Mi


def test_suggests_limits_that_allow_growth():
    _, limits = resourcefit.suggest(Usage(cpu_millicores=50, memory_bytes=100 * MI))

    assert limits == {"cpu": "300m", "memory": "208Mi"}  # 4 x the 75m request; 2 x 100Mi up to 16Mi


def test_keeps_small_containers_at_the_floors():
    requests, limits = resourcefit.suggest(Usage(cpu_millicores=0, memory_bytes=1 * MI))

    assert (requests, limits) == ({"cpu": "10m", "memory": "16Mi"}, {"cpu": "100m", "memory": "32Mi"})


def test_never_suggests_a_limit_below_the_declared_one():
    _, limits = resourcefit.suggest(Usage(cpu_millicores=1, memory_bytes=10 * MI), {"cpu": "1", "memory": "1Gi"})

    assert limits == {"cpu": "1000m", "memory": "1024Mi"}


def test_warns_when_memory_use_nears_the_limit():
    [note] = resourcefit.notes(Usage(5, 60 * MI), {"cpu": "10m", "memory": "64Mi"}, {"memory": "64Mi"})

    assert "over 80% of the limit (64Mi): an OOM kill is close" in note


def test_warns_when_cpu_use_exceeds_the_request():
    [note] = resourcefit.notes(Usage(80, 40 * MI), {"cpu": "50m", "memory": "48Mi"}, {"cpu": "1", "memory": "1Gi"})

    assert "CPU in use (80m) is above the request (50m)" in note


def test_warns_about_a_memory_request_far_above_use_and_missing_limits():
    found = resourcefit.notes(Usage(1, 10 * MI), {"cpu": "10m", "memory": "512Mi"}, {})

    assert found == ["no limits set",
                     "the memory request (512Mi) is over 4x what is in use: it reserves idle memory"]


def test_fits_each_running_workload_and_skips_containers_without_usage():
    not_running = chart_pod("todo-worker-0", "worker", {}, {})

    [fit] = resourcefit.fits([BACKEND, not_running], [SUMMARY])

    assert (fit.workload, fit.container, fit.requests["memory"]) == ("backend", "backend", "96Mi")
    assert fit.suggested_requests == {"cpu": "10m", "memory": "88Mi"}


def test_renders_the_suggestion_as_chart_values():
    text = resourcefit.render(resourcefit.fits([BACKEND], [SUMMARY]))

    assert ("backend:\n  resources:\n    requests: {cpu: 10m, memory: 88Mi}\n"
            "    limits: {cpu: 500m, memory: 256Mi}") in text
