"""The public edge, as a production cluster runs it: values-production.yaml's HTTPRoute attached to
a real Gateway API controller (Traefik, built from source) through the Gateway its parentRefs name,
with a TLS listener whose certificate the test makes. Everything here is asked from outside the
pods, over HTTPS to the route's hostname: the route is accepted and routes / and the API, a person
signs up and adds a task in a browser, a WebSocket stays open past the 60 s many proxies cut, an
image upgrade, a rollback and a node drain under traffic through the edge drop no request, and a
route to the wrong Service or an Exact match on / is caught with the route's name."""

import contextlib
import json
import time

import pytest
import yaml

from deploykit.containers import journey
from deploykit.edge import certificate, controller, routecheck
from deploykit.edge import traffic as edgetraffic
from deploykit.edge.client import EdgeAddress
from deploykit.foundation import artifacts, paths
from deploykit.foundation.waits import WaitTimeout, wait_until
from deploykit.images import build as images
from deploykit.release import livefeed, nodedrain, portforward, rollouts
from deploykit.testing.asserts import assert_no_findings, failing_on_cluster_errors
from deploykit.testing.prerequisites import require

PRODUCTION_VALUES = yaml.safe_load((paths.CHART / "values-production.yaml").read_text())
HOSTNAME = PRODUCTION_VALUES["httpRoute"]["hostnames"][0]
PROXY_IDLE_CUT_S = 60  # the idle timeout of many proxies and load balancers (nginx's proxy_read_timeout)
LIVE_UPDATE_TIMEOUT_S = 5
ROUTE_CHANGE_TIMEOUT_S = 30
NEXT_VERSION = f"{images.chart_version()}-edge-next"


@pytest.fixture(scope="module")
def edge(cluster, docker_client, production_release):
    """The controller and the production values' Gateway, for this module."""
    # Without Go (or the module proxy) the controller cannot be built: a missing prerequisite.
    image = require(lambda: controller.image(docker_client), "the edge's controller image (Traefik, built with Go)")
    with contextlib.ExitStack() as stack:
        with failing_on_cluster_errors("installing the edge (Traefik and the Gateway)"):
            cluster.load_images([image])
            edge = stack.enter_context(controller.installed(
                cluster.kubectl(), cluster.pod_image(image), cluster.LOCAL_IMAGE_PULL_POLICY,
                controller.GatewayRef.of_route(PRODUCTION_VALUES), certificate.server_certificate(HOSTNAME)))
        yield edge


@pytest.fixture(scope="module")
def address(cluster, edge) -> EdgeAddress:
    """The edge's TLS listener forwarded to 127.0.0.1, once it routes / for the hostname."""
    ca_file = str(edge.certificate.write_ca(paths.ARTIFACTS / "edge" / "test-ca.crt"))
    with failing_on_cluster_errors(f"reaching https://{HOSTNAME}/ through the edge"), \
            portforward.forwarded_to(cluster.kubectl(), edge.gateway.namespace, f"service/{controller.NAME}",
                                     controller.SERVICE_PORT,
                                     answers=lambda url: EdgeAddress(url, edge.certificate, ca_file).serves_root()
                                     ) as url:
        yield EdgeAddress(url, edge.certificate, ca_file)


def route_name(release) -> str:
    return release.object_name("httproute", "frontend")


def test_the_gateway_accepts_the_production_route(production_release, edge):
    route = route_name(production_release)
    status = edge.route_status(production_release.namespace, route)
    assert status.get("Accepted", ("missing",))[0] == "True", f"HTTPRoute {route} not accepted: {status}"
    assert status.get("ResolvedRefs", ("missing",))[0] == "True", f"HTTPRoute {route} refs unresolved: {status}"


def test_the_edge_serves_the_app_over_tls_for_the_route_hostname(production_release, address):
    """The certificate is checked against the test CA for the hostname (SNI), and / and the API
    answer as a browser expects."""
    assert_no_findings(routecheck.route_findings(address, route_name(production_release)),
                       f"https://{HOSTNAME}/ through the edge")


def test_a_person_signs_up_and_adds_a_task_through_the_edge(address, report_figure):
    args = (f"--host-resolver-rules=MAP {HOSTNAME} 127.0.0.1",
            f"--ignore-certificate-errors-spki-list={address.certificate.spki_sha256}")
    with contextlib.ExitStack() as stack:
        browser = require(lambda: stack.enter_context(journey.chromium(args)), "a headless Chromium")
        report = journey.run_journey(browser, address.browser_url)
    report_figure(f"edge journey: {len(report.steps_passed)} steps in {report.seconds:.1f} s at {address.browser_url}")
    assert "connect live updates" in report.steps_passed


def test_a_websocket_through_the_edge_stays_open_past_the_usual_idle_cut(address, report_figure):
    """No message for longer than PROXY_IDLE_CUT_S (only the server's pings, answered as a browser
    does), then a task is created: the client still hears it."""
    with address.session() as session:
        _, token = livefeed.sign_up(address.base_url, session)
        feed = livefeed.LiveFeed(address.base_url, token, tls=address.tls_context(), server_name=HOSTNAME)
        try:
            opened = time.monotonic()
            quiet = feed.stay_open(PROXY_IDLE_CUT_S + 5)
            task = livefeed.create_task(address.base_url, token, "Heard after a quiet minute", session)
            heard = feed.receive_json(timeout=LIVE_UPDATE_TIMEOUT_S)
        finally:
            feed.close()
    report_figure(f"edge WebSocket: open {time.monotonic() - opened:.0f} s, still delivering")
    assert quiet == [] and heard == {"type": "task.created", "task": task}


@pytest.fixture(scope="module")
def next_version(docker_client, cluster, project_images) -> str:
    """Second tags of both images, loaded: the version the edge's upgrade goes to."""
    with failing_on_cluster_errors(f"tagging and loading the images as {NEXT_VERSION}"):
        cluster.load_images([rollouts.retag(docker_client, project_images[c], NEXT_VERSION)
                             for c in ("backend", "frontend")])
    return NEXT_VERSION


def test_an_upgrade_and_a_rollback_through_the_edge_drop_no_request(production_release, address, next_version,
                                                                    measured):
    release = production_release
    through = {"watched": "frontend", "through": lambda: edgetraffic.steady_traffic(address)}
    before = release.revision()
    upgrade = measured(release, "edge-image-upgrade",
                       lambda: release.upgrade({f"{c}.image.tag": next_version for c in ("backend", "frontend")}),
                       **through)
    rollback = measured(release, "edge-rollback", lambda: release.rollback(before), **through)
    for what, disruption in (("helm upgrade", upgrade), ("helm rollback", rollback)):
        assert disruption.new_pods, f"{what} replaced no frontend pod while the edge's traffic was watched"
        assert_no_findings(disruption.problems(capacity_floor=rollouts.replicas(release, "frontend")),
                           f"{what} under traffic through the edge")


# As long as the in-cluster drain's 2,000 requests at 50/s: 40 s at the edge's 25/s.
EDGE_DRAIN_MIN_REQUESTS = 1000


@pytest.mark.nodes(3)
def test_draining_a_node_through_the_edge_drops_no_request(production_release, address, measured):
    release = production_release
    replicas = rollouts.replicas(release, "frontend")
    with failing_on_cluster_errors("draining a worker under traffic through the edge"):
        drained = nodedrain.drain_under_traffic(
            release,
            lambda drain: measured(release, "edge-drain", drain, watched="frontend", also_watched=("backend",),
                                   min_requests=EDGE_DRAIN_MIN_REQUESTS,
                                   through=lambda: edgetraffic.steady_traffic(address)),
            replicas)
    assert_no_findings(drained.disruption.problems(capacity_floor=replicas - 1),
                       f"draining node {drained.node} under traffic through the edge")
    assert_no_findings(drained.rescheduled, f"replacing the pods drained from {drained.node}")


def _patch_route(release, rule: dict) -> None:
    patch = {"spec": {"rules": [rule]}}
    release.kubectl("-n", release.namespace, "patch", "httproute", route_name(release), "--type", "merge",
                    "-p", json.dumps(patch))


def _route_findings_appear(release, address) -> list:
    try:
        return wait_until(lambda: routecheck.route_findings(address, route_name(release)),
                          what="the edge applying the changed route", timeout=ROUTE_CHANGE_TIMEOUT_S)
    except WaitTimeout:
        return []


@pytest.mark.parametrize("mistake", ["to the backend Service", "an Exact match on /"])
def test_a_wrong_route_is_caught_at_the_edge_with_its_name(production_release, address, mistake):
    release = production_release
    rule = release.kubectl.get_json("httproute", route_name(release), "-n", release.namespace)["spec"]["rules"][0]
    wrong = json.loads(json.dumps(rule))
    if mistake == "to the backend Service":
        backend = release.kubectl.get_json("service", release.object_name("service", "backend"), "-n",
                                           release.namespace)
        wrong["backendRefs"] = [{"name": backend["metadata"]["name"], "port": backend["spec"]["ports"][0]["port"]}]
    else:
        wrong["matches"] = [{"path": {"type": "Exact", "value": "/"}}]
    try:
        with failing_on_cluster_errors(f"patching the route {mistake}"):
            _patch_route(release, wrong)
        findings = _route_findings_appear(release, address)
    finally:
        with failing_on_cluster_errors("restoring the route"):
            _patch_route(release, rule)
            wait_until(lambda: not routecheck.route_findings(address, route_name(release)),
                       what="the edge routing the restored route", timeout=ROUTE_CHANGE_TIMEOUT_S)
    artifacts.save_text(f"edge/wrong-route-{mistake.split()[-1].strip('/') or 'root'}.txt",
                        "\n".join(map(str, findings)))
    assert findings, f"a route {mistake} went unnoticed through the edge"
    assert all(f"HTTPRoute {route_name(release)}" == finding.subject for finding in findings)
