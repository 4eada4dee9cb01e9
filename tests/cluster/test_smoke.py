"""The cluster itself works: a locally built image runs behind a Service that another pod
reaches by its DNS name."""

from deploykit.clusters import smoke
from deploykit.foundation.waits import wait_until


def test_service_reachable_by_dns_name_from_another_pod(cluster, namespace):
    image = smoke.build_smoke_image()
    cluster.load_images([image])
    kubectl = cluster.kubectl()
    kubectl.apply(smoke.server_manifest(image, cluster.LOCAL_IMAGE_PULL_POLICY), namespace)
    kubectl("-n", namespace, "rollout", "status", "deploy/smoke", "--timeout=90s", timeout=120)

    url = f"http://smoke.{namespace}.svc.cluster.local/"
    kubectl.apply(smoke.client_pod_manifest(image, cluster.LOCAL_IMAGE_PULL_POLICY, url), namespace)

    def finished_phase():
        phase = kubectl("-n", namespace, "get", "pod/smoke-client", "-o", "jsonpath={.status.phase}").stdout
        return phase if phase in ("Succeeded", "Failed") else None

    phase = wait_until(finished_phase, what="the client pod finishing", timeout=90, interval=1)

    logs = kubectl("-n", namespace, "logs", "smoke-client").stdout.strip()
    assert (phase, logs) == ("Succeeded", smoke.GREETING)
