"""The main job (`make up` / `make down`): build the images, start a cluster, load the images,
install the chart with values-local.yaml, and open the app on a loopback port."""

from pathlib import Path

import requests
import yaml

from deploykit import clusters
from deploykit.foundation import paths
from deploykit.foundation.errors import ChartError, DeploykitError
from deploykit.foundation.log import logger
from deploykit.foundation.waits import WaitTimeout, wait_until
from deploykit.images import build as images
from deploykit.tools import daemons, engine
from deploykit.tools.helm import Helm

RELEASE = "todo"
NAMESPACE = "todo"
LOCAL_PORT = 8080


def image_reference(image: dict) -> str:
    prefix = f"{image['registry']}/" if image.get("registry") else ""
    return f"{prefix}{image['repository']}:{image['tag']}"


def image_uid(client, reference: str) -> int | None:
    """The numeric UID an image runs as, from its config (None when unset or named)."""
    user = client.images.get(reference).attrs["Config"].get("User") or ""
    uid = user.split(":")[0]
    return int(uid) if uid.isdigit() else None


def _deep_merge(base: dict, extra: dict) -> dict:
    for key, value in extra.items():
        base[key] = _deep_merge(base.get(key, {}), value) if isinstance(value, dict) else value
    return base


def environment_values(client, cluster) -> dict:
    """Values that fit the chart to this engine and cluster: the third-party images it has
    (official online, home-built equivalents air-gapped; loaded, so never pulled), the UID the
    database image runs as, and what the provider needs (cluster.chart_values)."""
    values = images.chart_image_overrides(client)
    for section in values.values():
        section["image"]["pullPolicy"] = cluster.LOCAL_IMAGE_PULL_POLICY
    uid = image_uid(client, image_reference(values["postgresql"]["image"]))
    if uid:
        ids = {"runAsUser": uid, "runAsGroup": uid}
        values["postgresql"]["podSecurityContext"] = {**ids, "fsGroup": uid}
        values["postgresql"]["securityContext"] = dict(ids)
    return _deep_merge(values, cluster.chart_values())


def environment_values_file(client, cluster) -> Path:
    path = paths.ARTIFACTS / "values-environment.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(environment_values(client, cluster), sort_keys=False))
    return path


def third_party_images(values_file: Path) -> list[str]:
    values = yaml.safe_load(values_file.read_text())
    return [image_reference(values[key]["image"]) for key in ("postgresql", "tests")]


def release_exists(helm: Helm, release: str, namespace: str) -> bool:
    try:
        return bool(helm.history(release, namespace=namespace))
    except ChartError:  # helm answers "release: not found"
        return False


def install(cluster, helm: Helm, values: list[Path], release: str = RELEASE, namespace: str = NAMESPACE,
            set_values: dict | None = None) -> None:
    """helm upgrade --install --wait; a failed first install is uninstalled and a failed upgrade
    rolled back, so nothing is left half-deployed."""
    existed = release_exists(helm, release, namespace)
    try:
        helm.upgrade(paths.CHART, release, namespace=namespace, values=values, set_values=set_values,
                     install=True)
    except ChartError:
        logger.info("install failed; " + ("rolling back to the previous revision" if existed else "removing it"))
        if existed:
            helm.rollback(release, namespace=namespace)
        else:
            helm.uninstall(release, namespace=namespace)
        raise


def _port_forward_pidfile() -> Path:
    return paths.cache_dir("run") / "port-forward.pid"


def open_port_forward(cluster, release: str, namespace: str, port: int) -> str:
    """kubectl port-forward to the frontend Service on 127.0.0.1:port, in the background."""
    close_port_forward()
    kubectl = cluster.kubectl()
    service = kubectl("-n", namespace, "get", "service", "-o", "name", "-l",
                      f"app.kubernetes.io/instance={release},app.kubernetes.io/component=frontend").stdout.split()
    if not service:
        raise DeploykitError(f"release {release} has no frontend Service in namespace {namespace}")
    argv = kubectl.argv("-n", namespace, "port-forward", "--address", "127.0.0.1", service[0], f"{port}:80")
    log = daemons.start("port-forward", argv, _port_forward_pidfile())
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until(lambda: requests.get(f"{url}healthz", timeout=2).ok, what=f"{url} answering", timeout=30)
    except WaitTimeout as exc:
        raise DeploykitError(f"{exc}; see {log}") from None
    return url


def close_port_forward() -> None:
    daemons.stop(_port_forward_pidfile(), timeout=5)


def up(cluster_name: str | None = None) -> str:
    client = engine.ensure_engine()
    logger.info("building images ...")
    built = images.build_project_images(client)
    cluster = clusters.choose(cluster_name)
    logger.info(f"starting {cluster.describe()} ...")
    cluster.start()
    values_file = environment_values_file(client, cluster)
    cluster.load_images([*built.values(), *third_party_images(values_file)])
    helm = Helm(kubeconfig=cluster.kubeconfig, kube_context=cluster.context)
    logger.info(f"installing release {RELEASE} in namespace {NAMESPACE} (values-local.yaml) ...")
    install(cluster, helm, [paths.CHART / "values-local.yaml", values_file])
    return open_port_forward(cluster, RELEASE, NAMESPACE, LOCAL_PORT)


def down(cluster_name: str | None = None) -> None:
    close_port_forward()
    cluster = clusters.choose(cluster_name)
    if cluster.reachable():
        helm = Helm(kubeconfig=cluster.kubeconfig, kube_context=cluster.context)
        if release_exists(helm, RELEASE, NAMESPACE):
            helm.uninstall(RELEASE, namespace=NAMESPACE)
    cluster.stop()
