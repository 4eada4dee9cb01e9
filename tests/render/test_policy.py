"""Policy: every object of every rendering follows the conventions in docs/LIMITS.md. Each test
id names a variant and an object (and a rule or field), so one broken field is one failing test."""

import pytest

from deploykit.chart import policy, relations, routes
from deploykit.ops import manifestreview


def _assert_no_findings(findings):
    __tracebackhide__ = True
    assert not findings, "\n".join(map(str, findings))


# -- every container of every pod: the securityContext list, resources, images -----------------


@pytest.mark.parametrize("rule", policy.CONTAINER_RULES.values(), ids=policy.CONTAINER_RULES.keys())
def test_follows_container_rule(pod_owner, rule):
    """Init containers too; the helm hook Job and the `helm test` pods are pod owners like the
    workloads (test_checks_every_pod_the_release_runs)."""
    _assert_no_findings([f for c in policy.containers(pod_owner) for f in rule(pod_owner, c)])


def test_leaves_service_account_token_unmounted(pod_owner):
    _assert_no_findings(policy.token_findings(pod_owner))


def test_shares_nothing_with_the_node(pod_owner):
    _assert_no_findings(policy.host_access_findings(pod_owner))


def test_checks_every_pod_the_release_runs(variant, renderings, expected_pod_owners):
    """The tests above take their pod owners from conftest.pod_owners: a hook or test pod it does
    not list would run unchecked."""
    assert sorted(m.ref for m in renderings[variant].pod_owners) == expected_pod_owners[variant]


# -- long-running workloads: probes, rollouts, shutdown -----------------------------------------


@pytest.mark.parametrize("probe", policy.PROBES)
def test_declares_probe_on_container_port(workload, probe):
    _assert_no_findings([f for c in workload.pod_spec["containers"] for f in policy.probe_findings(workload, c, probe)])


def test_rolls_without_losing_capacity(workload):
    _assert_no_findings(policy.rolling_update_findings(workload))


def test_selects_pods_by_component(workload):
    _assert_no_findings(policy.selector_findings(workload))


def test_labels_claim_templates_only_with_what_never_changes(workload):
    _assert_no_findings(policy.claim_template_findings(workload))


def test_shuts_down_gracefully(deployment):
    _assert_no_findings([f for c in deployment.pod_spec["containers"] for f in policy.shutdown_findings(deployment, c)])


# -- what chart-testing installs ------------------------------------------------------------------


def test_passes_policy_with_each_chart_testing_values_file(ci_variant, renderings):
    """`ct lint` and `ct install` take each ci/*-values.yaml alone. Each is a variant, so the tests
    here name any finding by object; this one says by file that it renders and passes them all."""
    _assert_no_findings(manifestreview.policy_findings(renderings[ci_variant]))


# -- relations between objects -----------------------------------------------------------------


def test_routes_service_to_one_workloads_declared_port(service_in_rendering):
    rendering, service = service_in_rendering
    _assert_no_findings(policy.selector_findings(service) + relations.service_findings(rendering, service))


def test_renders_a_service_only_for_workloads(variant, renderings):
    rendering = renderings[variant]
    owners = {m.component for m in rendering.pod_owners if m.kind in policy.LONG_RUNNING_KINDS}
    assert {s.component for s in rendering.select("Service")} == owners


@pytest.mark.parametrize("check", routes.CHECKS.values(), ids=routes.CHECKS.keys())
def test_publishes_frontend_through_route(route_in_rendering, check):
    """Each HTTPRoute and Ingress: backends are the frontend Service on a port it declares, `/` is
    a prefix match, hosts and TLS agree, production serves TLS only, the WebSocket has a route
    that does not time out before nginx (deploykit.chart.routes)."""
    _assert_no_findings(check(*route_in_rendering))


def test_renders_the_routes_the_values_ask_for(variant, renderings, expected_routes):
    """The route tests above take their objects from the values (conftest.edge_routes): a route
    they do not know of would go unchecked."""
    assert sorted(m.ref for m in renderings[variant] if m.kind in routes.ROUTE_KINDS) == expected_routes[variant]


def test_guards_only_replicated_workloads_with_disruption_budgets(variant, renderings):
    rendering = renderings[variant]
    _assert_no_findings(
        [f for b in rendering.select("PodDisruptionBudget") for f in relations.disruption_budget_findings(rendering, b)]
    )


def test_leaves_replicas_to_autoscaler(variant, renderings):
    rendering = renderings[variant]
    _assert_no_findings(
        [f for h in rendering.select("HorizontalPodAutoscaler") for f in relations.autoscaler_findings(rendering, h)]
    )


def test_labels_every_object(variant, renderings):
    _assert_no_findings([f for m in renderings[variant] for f in policy.label_findings(m)])


# -- helm hooks ---------------------------------------------------------------------------------


def test_states_hook_weights(variant, renderings):
    _assert_no_findings([f for m in renderings[variant] if m.hook_phases for f in relations.hook_weight_findings(m)])


def test_orders_helm_tests_from_frontend_to_api_proxy(variant, renderings):
    """helm stops at the first failing test: each test may rely on the ones before it."""
    names = relations.hook_order(renderings[variant], "test")
    assert [n.rsplit("-test-", 1)[1] for n in names] == ["frontend", "database", "api-proxy"]


def test_runs_pre_install_hooks_without_release_objects(variant, renderings):
    rendering = renderings[variant]
    _assert_no_findings([f for m in rendering for f in relations.pre_install_prerequisite_findings(rendering, m)])


@pytest.mark.parametrize(
    "variant_name, phases",
    [
        ("default", ("post-install", "pre-upgrade")),  # the chart creates the database and its Secret
        ("external-database-url", ("post-install", "pre-upgrade")),  # the chart creates the Secret
        ("production", ("pre-install", "pre-upgrade")),  # everything it reads exists before install
    ],
)
def test_migrates_before_pods_roll_when_it_can(variant_name, phases, renderings):
    assert renderings[variant_name].one("Job", component="migration").hook_phases == phases
