"""The node image's /kind/manifests/default-cni.yaml and default-storage.yaml, as kind's own
`build node-image` writes them, taken from kind's source at KIND_VERSION (pkg/build/nodeimage/
const_cni.go, const_storage.go) with only the image names changed to the ones built here, and,
for the CNI, what todo-kindnet needs that kindnetd finds by itself: NODE_NAME, and the pods'
network namespaces (EDITS).

kind templates default-cni.yaml at create time ({{ .PodSubnet }}), because it says
"would you kindly template this file"; that text is kept.
"""

import re

from deploykit.clusters.kind import build
from deploykit.clusters.kind.sourceedits import edit_exactly_once


def _go_constant(file: str, name: str, images: dict[str, str]) -> str:
    source = (build.kind_module() / "pkg" / "build" / "nodeimage" / file).read_text()
    match = re.search(rf"const {name} = `(.*?)`\n", source.replace("` + ", "@@").replace(" + `", "@@"), re.S)
    if not match:
        raise RuntimeError(f"kind {build.KIND_VERSION}: no {name} in {file}")
    text = match.group(1)
    for constant, image in images.items():
        text = text.replace(f"@@{constant}@@", image)
    leftover = re.findall(r"@@\w+@@", text)
    if leftover:
        raise RuntimeError(f"kind {build.KIND_VERSION}: {name} names images this build does not map: {leftover}")
    return text


# The policy agent learns a new local pod's address from containerd's NRI events, before the API
# server has it (kubernetes issue 85966). containerd 2.1+ sends the address; the node image's
# containerd 1.7 does not, so the agent reads it from the pod's network namespace, as
# kube-network-policies' own DaemonSet lets it: the host's /var/run/netns and CAP_SYS_ADMIN (setns).
EDITS = (
    ("        env:\n",
     "        env:\n        - name: NODE_NAME\n          valueFrom:\n            fieldRef:\n"
     "              fieldPath: spec.nodeName\n"),
    ("        - name: nri-plugin\n          mountPath: /var/run/nri\n",
     "        - name: nri-plugin\n          mountPath: /var/run/nri\n        - name: netns\n"
     "          mountPath: /var/run/netns\n          mountPropagation: HostToContainer\n"),
    ('            add: ["NET_RAW", "NET_ADMIN"]\n', '            add: ["NET_RAW", "NET_ADMIN", "SYS_ADMIN"]\n'),
    ("      - name: nri-plugin\n        hostPath:\n          path: /var/run/nri\n",
     "      - name: nri-plugin\n        hostPath:\n          path: /var/run/nri\n      - name: netns\n"
     "        hostPath:\n          path: /var/run/netns\n"),
)


def default_cni(kindnet_image: str) -> str:
    text = _go_constant("const_cni.go", "defaultCNIManifest", {"kindnetdImage": kindnet_image})
    return edit_exactly_once(text, EDITS, f"kind {build.KIND_VERSION}'s kindnet DaemonSet")


def default_storage(provisioner_image: str, helper_image: str) -> str:
    return _go_constant("const_storage.go", "defaultStorageManifest",
                        {"storageProvisionerImage": provisioner_image, "storageHelperImage": helper_image})
