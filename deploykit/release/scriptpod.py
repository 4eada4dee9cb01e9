"""A pod that runs one of deploykit's scripts (a load generator, a throughput client, a connection
probe) inside the cluster with the backend image's Python, so it reaches the release as in-cluster
clients do on any provider: the script in a ConfigMap, the pod hardened like the chart's own."""

from pathlib import Path

import yaml

from deploykit.release.helmrelease import Release


def documents(name: str, image: str, pull_policy: str, script: Path, env: dict, labels: dict) -> list[dict]:
    """The ConfigMap holding script and the pod running it once, wearing labels, with a writable /tmp."""
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name},
                  "data": {script.name: script.read_text()}}
    pod = {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "restartPolicy": "Never", "automountServiceAccountToken": False, "enableServiceLinks": False,
            "securityContext": {"runAsNonRoot": True, "runAsUser": 10001, "runAsGroup": 10001,
                                "seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [{
                "name": "script", "image": image, "imagePullPolicy": pull_policy,
                "command": ["python", f"/script/{script.name}"],
                "env": [{"name": key, "value": str(value)} for key, value in env.items()],
                "resources": {"requests": {"cpu": "100m", "memory": "64Mi"},
                              "limits": {"cpu": "1", "memory": "256Mi"}},
                "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                    "capabilities": {"drop": ["ALL"]}},
                "volumeMounts": [{"name": "script", "mountPath": "/script"}, {"name": "tmp", "mountPath": "/tmp"}],
            }],
            "volumes": [{"name": "script", "configMap": {"name": name}}, {"name": "tmp", "emptyDir": {}}],
        },
    }
    return [config_map, pod]


def manifest(name: str, release: Release, script: Path, env: dict) -> str:
    """documents() with the release's backend image, the pod wearing the labels the release's
    NetworkPolicies admit to the frontend and the backend (its helm test pods')."""
    image, pull_policy = release.container_image("backend")
    return yaml.safe_dump_all(documents(name, image, pull_policy, script, env, release.test_pod_labels()),
                              sort_keys=False)
