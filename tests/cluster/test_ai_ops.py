"""Operations without AI, on a deliberately broken release: the backend's image tag does not exist
and the frontend's readiness probe asks a path nginx answers 404. The diagnostics report names both
causes; every `ai-deploy` operation gives its manual result with no AI helper on PATH; and the MCP
server, spoken to over stdio with the SDK's client, reads the release, refuses writes unless
started with --allow-writes, and then scales, restarts and rolls back."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from deploykit.__main__ import main
from deploykit.clusters import workloads
from deploykit.diagnose import podcauses
from deploykit.foundation import paths
from deploykit.ops.releaseops import READ_TOOLS, WRITE_TOOLS

RELEASE = "broken"
MISSING_TAG = "0.0.0-missing"
# No database and no migration hook: a broken backend gets no further than its image either way.
BROKEN_VALUES = {
    "backend.image.tag": MISSING_TAG,
    "backend.migration.enabled": False,
    "frontend.probes.readiness.path": "/missing",
    "postgresql.enabled": False,
    "externalDatabase.url": "postgresql://todo:unused@db.invalid:5432/todo",
}
SELECTOR = f"app.kubernetes.io/instance={RELEASE}"
FAULTS_SHOW_S = 90  # the readiness probe fails twice in 5 s periods; the margin covers a loaded node


def named_causes(kubectl, namespace) -> set[str]:
    pods = workloads.pods(kubectl, namespace, SELECTOR)
    events = kubectl.get_json("events", "-n", namespace)["items"]
    return {cause.title for pod in pods for cause in podcauses.pod_causes(pod, events)}


@pytest.fixture(scope="module")
def broken_release(cluster, cluster_helm, namespace, environment_values) -> str:
    """The chart installed without --wait (it would never be ready) with both faults, once they show."""
    cluster_helm.upgrade(paths.CHART, RELEASE, namespace=namespace, install=True, wait=False,
                         set_values=BROKEN_VALUES, values=[paths.CHART / "values-local.yaml", environment_values])
    faults = {"bad image tag", "readiness probe failing"}
    workloads.wait_for(lambda: faults <= named_causes(cluster.kubectl(), namespace),
                       "the bad image tag and the failing readiness probe showing", FAULTS_SHOW_S, interval=2)
    return RELEASE


@pytest.fixture
def no_ai_helpers(monkeypatch):
    path = os.environ["PATH"].split(os.pathsep)
    monkeypatch.setenv("PATH", os.pathsep.join(
        d for d in path if not any((Path(d) / helper).exists() for helper in ("kubectl-ai", "kagent"))))


def likely_causes(report_text: str) -> str:
    return report_text.split("Likely causes\n", 1)[1].split("\n\n", 1)[0]


# -- the diagnostics command -------------------------------------------------------------------


def test_diagnose_names_the_bad_image_tag(cluster, namespace, broken_release, capsys):
    assert main(["diagnose", "--cluster", cluster.NAME, "--namespace", namespace, "--release", broken_release]) == 0

    causes = likely_causes(capsys.readouterr().out)
    assert f"[backend]: bad image tag: image todo-list-hackathon/backend:{MISSING_TAG} cannot be used" in causes
    assert "ErrImageNeverPull" in causes


def test_diagnose_names_the_failing_readiness_probe_and_its_path(cluster, namespace, broken_release, capsys):
    main(["diagnose", "--cluster", cluster.NAME, "--namespace", namespace, "--release", broken_release])

    causes = likely_causes(capsys.readouterr().out)
    assert "[frontend]: readiness probe failing: GET /missing on port http failed" in causes
    assert "statuscode: 404" in causes


def test_diagnose_shows_the_failing_pods_logs(cluster, namespace, broken_release, capsys):
    main(["diagnose", "--cluster", cluster.NAME, "--namespace", namespace, "--release", broken_release])

    assert '"path":"/missing","status":404' in capsys.readouterr().out  # nginx's access log of the probe


# -- ai-deploy operations with no AI helper installed ------------------------------------------

# operation: (its options, a line of its manual result, a command it shows); "<ns>" is the namespace
MANUAL_RESULTS = {
    "generate": (["--component", "frontend"], "kind: Deployment", "$ helm template todo"),
    "review": ([], "0 policy finding(s)\n\nserver-side dry run in namespace <ns>: accepted",
               "$ kubectl apply --server-side --force-conflicts --dry-run=server -n <ns> -f -"),
    "diagnose": (["--release", RELEASE], "bad image tag", f"$ kubectl get pods -n <ns> -l {SELECTOR} -o json"),
    "limits": (["--release", RELEASE], "frontend:\n  resources:\n    requests: {cpu: ",
               "$ kubectl get --raw /api/v1/nodes/"),
    "health": ([], f"<ns>/{RELEASE}-todo-list-hackathon-backend-", "$ kubectl get --raw '/readyz?verbose'"),
}


@pytest.mark.parametrize("operation", MANUAL_RESULTS)
def test_ai_deploy_operation_gives_the_manual_result_without_ai(operation, cluster, namespace, broken_release,
                                                                 no_ai_helpers, capsys):
    options, result, command = MANUAL_RESULTS[operation]

    code = main(["ai", operation, *options, "--namespace", namespace, "--cluster", cluster.NAME])

    out, err = capsys.readouterr()
    assert code == 0
    assert f"ai-deploy {operation}: manual procedure (no AI helper answered)" in err
    assert command.replace("<ns>", namespace) in err
    assert result.replace("<ns>", namespace) in out


def test_ai_deploy_script_runs_an_operation(cluster, namespace, broken_release, no_ai_helpers):
    done = subprocess.run([paths.REPO / "scripts" / "ai-deploy.sh", "diagnose", "--cluster", cluster.NAME,
                           "--namespace", namespace, "--release", broken_release],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)

    assert done.returncode == 0, done.stderr
    assert "kubectl-ai: not installed" in done.stderr
    assert "bad image tag" in likely_causes(done.stdout)


# -- the MCP server over stdio -----------------------------------------------------------------

@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def server(cluster, namespace, *flags) -> StdioServerParameters:
    return StdioServerParameters(command=sys.executable, cwd=paths.REPO, env=dict(os.environ), args=[
        "-m", "deploykit.ops.opsmcp", "--cluster", cluster.NAME, "--namespace", namespace, "--release", RELEASE,
        *flags])


def deployment(cluster, namespace, component) -> dict:
    [found] = cluster.kubectl().get_json("deployments", "-n", namespace, "-l",
                                         f"{SELECTOR},app.kubernetes.io/component={component}")["items"]
    return found


@pytest.mark.anyio
async def test_mcp_server_reads_the_release_over_stdio(cluster, namespace, broken_release):
    async with Client(server(cluster, namespace)) as client:
        tools = {tool.name for tool in (await client.list_tools()).tools}
        status = await client.call_tool("release_status", {})
        frontend = next(p["name"] for p in status.structured_content["pods"] if p["component"] == "frontend")
        logs = await client.call_tool("pod_logs", {"pod": frontend, "tail": 5})
        history = await client.call_tool("rollout_history", {})

    assert tools == set(READ_TOOLS)
    assert any("bad image tag" in cause for cause in status.structured_content["causes"])
    assert '"path":"/missing"' in logs.content[0].text
    assert history.structured_content["result"][0]["description"] == "Install complete"


@pytest.mark.anyio
async def test_mcp_server_refuses_writes_without_allow_writes(cluster, namespace, broken_release):
    replicas = deployment(cluster, namespace, "frontend")["spec"]["replicas"]

    async with Client(server(cluster, namespace)) as client:
        refused = await client.call_tool("scale", {"component": "frontend", "replicas": replicas + 1})

    assert refused.is_error
    assert "restart it with --allow-writes" in refused.content[0].text
    assert deployment(cluster, namespace, "frontend")["spec"]["replicas"] == replicas


@pytest.mark.anyio
async def test_mcp_server_scales_restarts_and_rolls_back_with_allow_writes(cluster, cluster_helm, namespace,
                                                                           broken_release, environment_values):
    cluster_helm.upgrade(paths.CHART, RELEASE, namespace=namespace, wait=False,
                         values=[paths.CHART / "values-local.yaml", environment_values],
                         set_values={**BROKEN_VALUES, "backend.config.logLevel": "info"})

    async with Client(server(cluster, namespace, "--allow-writes")) as client:
        tools = {tool.name for tool in (await client.list_tools()).tools}
        rolled_back = await client.call_tool("rollback", {"revision": 1})
        scaled = await client.call_tool("scale", {"component": "frontend", "replicas": 2})
        restarted = await client.call_tool("rollout_restart", {"component": "frontend"})

    assert tools == {*READ_TOOLS, *WRITE_TOOLS}
    assert not (rolled_back.is_error or scaled.is_error or restarted.is_error)
    assert rolled_back.structured_content["result"][-1]["description"] == "Rollback to 1"
    frontend = deployment(cluster, namespace, "frontend")
    assert frontend["spec"]["replicas"] == 2
    assert "kubectl.kubernetes.io/restartedAt" in frontend["spec"]["template"]["metadata"]["annotations"]
