"""App facts read from the code rather than from generated copies or the chart's own values: the
backend's route table (deploykit.chart.apptable) against its OpenAPI document and the frontend's
proxy, the ports the servers bind and the variables their start-up code reads
(deploykit.chart.entrypoints), per Deployment of every variant."""

import pytest

from deploykit.chart import apptable, crosslayer, entrypoints, podenv
from deploykit.foundation import paths

OPENAPI_DOCUMENT = paths.BACKEND / "openapi.json"


def _assert_no_findings(findings):
    __tracebackhide__ = True
    assert not findings, "\n".join(map(str, findings))


@pytest.fixture(scope="module")
def route_table():
    return apptable.route_table(paths.BACKEND / "app")


def test_openapi_document_lists_the_routes_the_code_serves(route_table):
    """The full regeneration comparison needs FastAPI: backend/tests/api/test_openapi_document.py."""
    _assert_no_findings(apptable.openapi_findings(route_table, OPENAPI_DOCUMENT, "backend/openapi.json"))


def test_proxies_only_to_routes_the_backend_serves(route_table):
    locations = crosslayer.nginx_proxied_locations(crosslayer.NGINX_CONFIG.read_text())
    _assert_no_findings(apptable.proxy_findings(locations, route_table, "frontend/nginx/nginx.conf.template"))


def test_declares_the_port_its_server_binds(deployment):
    container = deployment.container(deployment.component)
    bound, by = entrypoints.listening_ports(deployment.component, container)
    _assert_no_findings(entrypoints.port_findings(deployment.ref, container, bound, by))


def test_sets_the_variables_its_start_up_code_reads(deployment_in_rendering):
    rendering, deployment = deployment_in_rendering
    container = deployment.container(deployment.component)
    reader = entrypoints.read_variables(deployment.component)
    given = podenv.names(rendering, container)
    _assert_no_findings(entrypoints.environment_findings(deployment.ref, container, given, reader))
