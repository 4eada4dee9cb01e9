"""`make up` / `make down`: build the images, start a cluster, load the images, install the chart
with values-local.yaml and open the app on a loopback port; and take all of it down again."""

import os
from pathlib import Path

import requests

from deploykit import clusters
from deploykit.foundation import paths
from deploykit.foundation.constants import LOCAL_PORT, NAMESPACE, RELEASE, selector
from deploykit.foundation.errors import DeploykitError
from deploykit.foundation.log import logger
from deploykit.foundation.waits import WaitTimeout, wait_until
from deploykit.images import build as images
from deploykit.release import appsecret
from deploykit.release.install import environment_values_file, release_exists, third_party_images, upgrade_install
from deploykit.tools import daemons, engine
from deploykit.tools.helm import Helm


def _port_forward_pidfile() -> Path:
    return paths.cache_dir("run") / "port-forward.pid"


def open_port_forward(cluster, release: str, namespace: str, port: int) -> str:
    """kubectl port-forward to the frontend Service on 127.0.0.1:port, in the background."""
    close_port_forward()
    kubectl = cluster.kubectl()
    service = kubectl("-n", namespace, "get", "service", "-o", "name", "-l",
                      selector(release, "frontend")).stdout.split()
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
    kubectl = cluster.kubectl()
    existed = release_exists(helm, RELEASE, NAMESPACE)
    secret_changed = appsecret.apply(kubectl, RELEASE, NAMESPACE, os.environ)
    logger.info(f"installing release {RELEASE} in namespace {NAMESPACE} (values-local.yaml) ...")
    upgrade_install(cluster, helm, [paths.CHART / "values-local.yaml", values_file],
                    set_values={"secrets.existingSecret": appsecret.secret_name(RELEASE)})
    if existed and secret_changed:
        # Pods read the Secret at start, and a Secret the chart does not render rolls nothing itself.
        restart_backend(kubectl, RELEASE, NAMESPACE)
    report_chat(os.environ)
    return open_port_forward(cluster, RELEASE, NAMESPACE, LOCAL_PORT)


def restart_backend(kubectl, release: str, namespace: str) -> None:
    logger.info("the app Secret changed: restarting the backend ...")
    deployments = kubectl("-n", namespace, "get", "deployment", "-o", "name", "-l",
                          selector(release, "backend")).stdout.split()
    for deployment in deployments:
        kubectl("-n", namespace, "rollout", "restart", deployment)
        kubectl("-n", namespace, "rollout", "status", deployment, "--timeout=300s", timeout=320)


def report_chat(environ) -> None:
    settings = appsecret.openai_settings(environ)
    if "OPENAI_API_KEY" in settings:
        logger.info("chat: on, with OPENAI_API_KEY" + "".join(f", {name}" for name in sorted(settings)
                                                               if name != "OPENAI_API_KEY") + " from your environment")
    else:
        logger.info("chat: off; export OPENAI_API_KEY (and OPENAI_BASE_URL, OPENAI_MODEL if you need them) "
                    "and run `make up` again")


def down(cluster_name: str | None = None) -> None:
    close_port_forward()
    cluster = clusters.choose(cluster_name)
    if cluster.reachable():
        helm = Helm(kubeconfig=cluster.kubeconfig, kube_context=cluster.context)
        if release_exists(helm, RELEASE, NAMESPACE):
            helm.uninstall(RELEASE, namespace=NAMESPACE)
    cluster.stop()
