"""Installing the chart on a cluster: the values that fit it to this engine and cluster (which
third-party images it has, the UID the database image runs as), and a `helm upgrade --install`
that leaves nothing half-deployed when it fails."""

from pathlib import Path

import yaml

from deploykit.foundation import paths
from deploykit.foundation.constants import NAMESPACE, RELEASE
from deploykit.foundation.errors import ChartError
from deploykit.foundation.log import logger
from deploykit.images import build as images
from deploykit.tools.helm import Helm


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


def upgrade_install(cluster, helm: Helm, values: list[Path], release: str = RELEASE, namespace: str = NAMESPACE,
                   set_values: dict | None = None, chart: Path = paths.CHART) -> None:
    """helm upgrade --install --wait; a failed first install is uninstalled and a failed upgrade
    rolled back, so nothing is left half-deployed."""
    existed = release_exists(helm, release, namespace)
    try:
        helm.upgrade(chart, release, namespace=namespace, values=values, set_values=set_values,
                     install=True)
    except ChartError:
        logger.info("install failed; " + ("rolling back to the previous revision" if existed else "removing it"))
        if existed:
            helm.rollback(release, namespace=namespace)
        else:
            helm.uninstall(release, namespace=namespace)
        raise
