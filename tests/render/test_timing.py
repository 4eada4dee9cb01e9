"""Timing chains across the layers, per Deployment of every variant: the server's drain as its
own code or config sets it and as the pod's environment overrides it, against the pod's preStop
pause and grace period (deploykit.chart.timing)."""

from deploykit.chart import timing


def _assert_no_findings(findings):
    __tracebackhide__ = True
    assert not findings, "\n".join(map(str, findings))


def _server(deployment):
    return deployment.container(deployment.component), timing.server_drain(deployment.component)


def test_drains_within_its_grace_period(deployment_in_rendering):
    rendering, deployment = deployment_in_rendering
    container, server = _server(deployment)
    _assert_no_findings(timing.shutdown_chain_findings(rendering, deployment, container, server))


def test_passes_its_drain_to_the_server(deployment_in_rendering):
    rendering, deployment = deployment_in_rendering
    container, server = _server(deployment)
    _assert_no_findings(timing.drain_set_findings(rendering, deployment, container, server))
