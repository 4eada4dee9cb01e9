"""The node image's /kind/manifests/default-cni.yaml and default-storage.yaml, as kind's own
`build node-image` writes them, taken from kind's source at KIND_VERSION (pkg/build/nodeimage/
const_cni.go, const_storage.go) with only the image names changed to the ones built here, and,
for the CNI, the one thing todo-kindnet needs that kindnetd finds by itself: NODE_NAME.

kind templates default-cni.yaml at create time ({{ .PodSubnet }}), because it says
"would you kindly template this file"; that text is kept.
"""

import re

from deploykit.clusters.kind import build


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


def default_cni(kindnet_image: str) -> str:
    text = _go_constant("const_cni.go", "defaultCNIManifest", {"kindnetdImage": kindnet_image})
    env = "        env:\n"
    node_name = ("        - name: NODE_NAME\n          valueFrom:\n            fieldRef:\n"
                 "              fieldPath: spec.nodeName\n")
    image = f"        image: {kindnet_image}\n"
    if env not in text or image not in text:
        raise RuntimeError(f"kind {build.KIND_VERSION}: kindnet's DaemonSet changed shape")
    return text.replace(env, env + node_name, 1)


def default_storage(provisioner_image: str, helper_image: str) -> str:
    return _go_constant("const_storage.go", "defaultStorageManifest",
                        {"storageProvisionerImage": provisioner_image, "storageHelperImage": helper_image})
