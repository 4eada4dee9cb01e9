"""The names deploykit and the chart agree on, in one place: the release `make up` and the
cluster layer install, the project's own components, and the recommended Kubernetes labels the
chart puts on every object (deploykit finds objects by these, never by rebuilt names)."""

RELEASE = "todo"
NAMESPACE = "todo"
LOCAL_PORT = 8080  # where `make up` opens the app on loopback

COMPONENTS = ("backend", "frontend")  # the project's own images and Deployments

HELM_CHART_LABEL = "helm.sh/chart"
NAME_LABEL = "app.kubernetes.io/name"
INSTANCE_LABEL = "app.kubernetes.io/instance"
VERSION_LABEL = "app.kubernetes.io/version"
COMPONENT_LABEL = "app.kubernetes.io/component"
PART_OF_LABEL = "app.kubernetes.io/part-of"
MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"
RECOMMENDED_LABELS = (HELM_CHART_LABEL, NAME_LABEL, INSTANCE_LABEL, VERSION_LABEL, PART_OF_LABEL, MANAGED_BY_LABEL)

HELM_TEST_COMPONENT = "test"  # the component label of the chart's `helm test` pods


def selector(release: str, component: str | None = None) -> str:
    """The label selector of a release's objects, or of one component's."""
    return f"{INSTANCE_LABEL}={release}" + (f",{COMPONENT_LABEL}={component}" if component else "")
