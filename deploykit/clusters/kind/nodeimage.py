"""kind's node image, built here the way kind's own `kind build node-image` does (pkg/build/
nodeimage), from pieces this machine can get:

1. the base (kind's images/base): a Debian trixie root filesystem from mmdebstrap with systemd,
   containerd, runc and the CNI plugins from Debian packages, kind's own base files (entrypoint,
   systemd units, containerd config, from the kind module at KIND_VERSION) laid out as kind lays
   them, and the Dockerfile's RUN steps redone in a customize hook;
2. a build container from it, into which the Kubernetes binaries go (/usr/bin/kubeadm, kubelet,
   kubectl: links to kubebuild's multi-call kube binary), and /kind/version and the default CNI
   and storage manifests are written;
3. every image the node runs, built here under honest local names (IMAGE_REPOSITORY) and imported
   into the node's containerd with `ctr images import --no-unpack`, as kind does, checked against
   `kubeadm config images list`; kind's config points kubeadm's imageRepository at them;
4. `docker commit` with kind's entrypoint.

kubeadm fixes the system images' names and tags (kube-apiserver:v1.34.4, coredns:v1.12.1...), so
a rebuilt binary cannot get a new tag: each image carries its inputs' digest in a label and is
rebuilt when they change. The node image, its base and the kindnet image are tagged by their
inputs; once a new node image is built, their superseded tags are removed unless a container
still uses them.

Differences from kind's images, all forced by what cannot be fetched here: Debian's containerd
1.7, runc 1.1 and CNI plugins 1.1 instead of kind's own builds; a CNI agent of this project's
(todo-kindnet) instead of kindnetd, whose module the proxy does not serve; local-path-provisioner
v0.0.30 (the newest served). On cgroup v1 hosts systemd (257 in trixie) refuses to boot unless
told SYSTEMD_CGROUP_ENABLE_LEGACY_FORCE=1 on its command line, which the entrypoint passes.
"""

import hashlib
import io
import json
import shlex
import subprocess
import tarfile
import time

import docker

from deploykit.bases import build as basebuild
from deploykit.bases import catalog
from deploykit.clusters.kind import build, kubebuild, unprivileged
from deploykit.clusters.kind import manifests as kind_manifests
from deploykit.foundation.errors import ImageBuildError
from deploykit.foundation.log import logger
from deploykit.foundation.paths import cache_dir
from deploykit.foundation.run import run
from deploykit.images.build import stream_build
from deploykit.tools import apt, engine

IMAGE_REPOSITORY = "localhost/todo-kind"
K8S = kubebuild.KUBERNETES_VERSION
PAUSE_VERSION = kubebuild.PAUSE_VERSION
ETCD_TAG = f"{build.ETCD_VERSION.lstrip('v')}-0"
COREDNS_TAG = kubebuild.COREDNS_VERSION
BUILDER_REVISION = 2  # bump when this file changes what it produces from the same inputs
INPUTS_LABEL = "org.todo-list-hackathon.inputs"
# Repositories whose tags name their inputs: an old tag is a superseded build.
SUPERSEDED = ("node", "base", "kindnet")

# kind's Dockerfile package list, less what only its own builds need; plus Debian's containerd,
# runc and CNI plugins (kind builds those from source), and jq for the cri-base.json step.
PACKAGES = (
    "systemd", "conntrack", "iptables", "nftables", "iproute2", "ethtool", "util-linux", "mount", "kmod",
    "libseccomp2", "pigz", "fuse-overlayfs", "e2fsprogs", "bash", "ca-certificates", "curl", "jq", "procps",
    "containerd", "runc", "containernetworking-plugins",
)

# kind's images/base Dockerfile RUN steps, for mmdebstrap's customize hook ($1 is the root
# filesystem); kind's files/ are copied in first, with the modes its COPY --chmod gives them.
CUSTOMIZE = r"""
set -eu
root="$1"; files="$2"
install -d -m 0755 "$root/kind" "$root/kind/bin" "$root/LICENSES" "$root/etc/containerd" \
  "$root/etc/systemd/system/kubelet.service.d" "$root/etc/kubernetes/manifests" "$root/opt/cni/bin"
install -m 0755 "$files"/usr/local/bin/* "$root/usr/local/bin/"
install -m 0644 "$files"/kind/README.txt "$root/kind/"
install -m 0755 "$files"/kind/bin/* "$root/kind/bin/"
install -m 0644 "$files"/LICENSES/* "$root/LICENSES/"
for f in "$files"/etc/*; do [ -f "$f" ] && install -m 0644 "$f" "$root/etc/"; done
install -m 0644 "$files"/etc/containerd/* "$root/etc/containerd/"
install -d "$root/etc/default" "$root/etc/sysctl.d"
install -m 0644 "$files"/etc/default/* "$root/etc/default/"
install -m 0644 "$files"/etc/sysctl.d/* "$root/etc/sysctl.d/"
for f in "$files"/etc/systemd/system/*; do [ -f "$f" ] && install -m 0644 "$f" "$root/etc/systemd/system/"; done
install -m 0644 "$files"/etc/systemd/system/kubelet.service.d/* "$root/etc/systemd/system/kubelet.service.d/"
# kind's units and scripts expect its own builds in /usr/local: point them at Debian's
for b in containerd containerd-shim-runc-v2 ctr; do ln -sf "/usr/bin/$b" "$root/usr/local/bin/$b"; done
for p in host-local loopback ptp portmap bridge; do ln -sf "/usr/lib/cni/$p" "$root/opt/cni/bin/$p"; done
# the sandbox image kind's config names is a registry's: use the one built here
sed -i 's#sandbox_image = .*#sandbox_image = "@PAUSE@"#' "$root/etc/containerd/config.toml"
# kind's containerd 2 runs NRI by default, and kindnetd's policy agent learns a new pod's IP from it
# before the API server publishes it (kubernetes issue 85966: until then a policy cannot match the
# pod, and its first connections are dropped); Debian's containerd 1.7 has NRI switched off
cat >> "$root/etc/containerd/config.toml" <<'NRI'

[plugins."io.containerd.nri.v1.nri"]
  disable = false
NRI
find "$root/lib/systemd/system/sysinit.target.wants/" -name "systemd-tmpfiles-setup.service" -delete
rm -f "$root"/lib/systemd/system/multi-user.target.wants/* "$root"/etc/systemd/system/*.wants/* \
  "$root"/lib/systemd/system/local-fs.target.wants/* "$root"/lib/systemd/system/sockets.target.wants/*udev* \
  "$root"/lib/systemd/system/sockets.target.wants/*initctl* "$root"/lib/systemd/system/basic.target.wants/*
echo "ReadKMsg=no" >> "$root/etc/systemd/journald.conf"
ln -sf /usr/lib/systemd/systemd "$root/sbin/init"
chroot "$root" systemctl enable kubelet.service containerd.service undo-mount-hacks.service
chroot "$root" systemctl mask systemd-binfmt.service
"""

# kind's entrypoint, then systemd; the two words are systemd's "kernel command line" in a container
# (it reads its own argv there) and let systemd 257 run on a cgroup v1 host.
# todo-kind-prelude (unprivileged.PRELUDE) first: a no-op in a privileged node.
ENTRYPOINT = ["/usr/local/bin/todo-kind-prelude", "/usr/local/bin/entrypoint", "/sbin/init",
              "systemd.unified_cgroup_hierarchy=0", "SYSTEMD_CGROUP_ENABLE_LEGACY_FORCE=1"]


def _digest(*parts) -> str:
    digest = hashlib.sha256(f"builder {BUILDER_REVISION}\n".encode())
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode())
    return digest.hexdigest()[:12]


def base_image(client: docker.DockerClient) -> str:
    """kind's base image, from Debian packages and kind's own base files."""
    files = build.kind_module() / "images" / "base" / "files"
    hook = CUSTOMIZE.replace("@PAUSE@", f"{IMAGE_REPOSITORY}/pause:{PAUSE_VERSION}")
    tag = f"{IMAGE_REPOSITORY}/base:{build.KIND_VERSION}-{_digest(hook, PACKAGES, build.KIND_VERSION)}"
    if client.images.list(name=tag):
        return tag
    apt.ensure_packages("mmdebstrap", why=f"building {tag}")
    work = cache_dir("kind", "base")
    script, tarball = work / "customize.sh", work / "base.tar"
    script.write_text(hook)
    started = time.monotonic()
    logger.info(f"{tag}: mmdebstrap trixie with systemd, containerd, runc, CNI plugins (a few minutes) ...")
    command = f"sh {shlex.quote(str(script))} \"$1\" {shlex.quote(str(files))}"
    try:
        run(["mmdebstrap", "--variant=essential", f"--include={','.join(PACKAGES)}",
             '--aptopt=Acquire::Languages "none"', *(f"--dpkgopt={rule}" for rule in basebuild.SLIM_DPKG),
             f"--customize-hook={command}", "--format=tar", "trixie", str(tarball),
             *basebuild.mirror_lines("trixie")])
        answer = client.api.import_image(src=str(tarball), repository=tag.rsplit(":", 1)[0],
                                         tag=tag.rsplit(":", 1)[1])
    finally:
        tarball.unlink(missing_ok=True)
    logger.info(f"{tag}: built in {time.monotonic() - started:.0f} s ({str(answer).strip()[-80:]})")
    return tag


def _context_image(client: docker.DockerClient, tag: str, dockerfile: str, entries: dict) -> str:
    """Build tag from a Dockerfile and a context of {path in context: file, or "->target" for a
    link}, unless an image of that tag was built from the same inputs (a file's inputs are its
    path: each binary's cache directory is named by its version, Go version and sources)."""
    inputs = _digest(dockerfile, *(f"{name}={source}" for name, source in sorted(entries.items())))
    existing = client.images.list(name=tag)
    if existing and existing[0].labels.get(INPUTS_LABEL) == inputs:
        return tag
    context = io.BytesIO()
    with tarfile.open(fileobj=context, mode="w") as tar:
        for name, source in entries.items():
            if isinstance(source, str) and source.startswith("->"):
                info = tarfile.TarInfo(name)
                info.type, info.linkname = tarfile.SYMTYPE, source[2:]
                tar.addfile(info)
            else:
                tar.add(source, arcname=name)
        data = dockerfile.encode()
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    context.seek(0)
    # nocache: the classic builder's COPY cache does not tell the component symlinks apart, and gave
    # kube-scheduler and kube-controller-manager kube-apiserver's layer
    stream_build(client, tag, context, tag=tag, rm=True, forcerm=True, pull=False, nocache=True,
                 labels={INPUTS_LABEL: inputs})
    if existing:
        _remove_unless_used(client, existing[0].id)
    return tag


def _remove_unless_used(client: docker.DockerClient, reference: str) -> None:
    """Remove an image or tag; the engine refuses while a container uses it, and that is kept."""
    try:
        client.images.remove(reference)
    except docker.errors.APIError as refused:
        logger.debug(f"kept {reference}: {refused.explanation}")


def superseded_tags(tags: list[str], current: set[str]) -> list[str]:
    """The tags of SUPERSEDED repositories under IMAGE_REPOSITORY that are not current."""
    repositories = {f"{IMAGE_REPOSITORY}/{name}" for name in SUPERSEDED}
    return sorted(tag for tag in tags if tag.rsplit(":", 1)[0] in repositories and tag not in current)


def remove_superseded(client: docker.DockerClient, current: set[str]) -> None:
    tags = [tag for image in client.images.list(name=f"{IMAGE_REPOSITORY}/*") for tag in image.tags]
    for tag in superseded_tags(tags, current):
        logger.info(f"removing the superseded {tag}")
        _remove_unless_used(client, tag)


def system_images(client: docker.DockerClient, base: str) -> list[str]:
    """Every image the node needs, under IMAGE_REPOSITORY (kubeadm's imageRepository in kind's config)."""
    kube = kubebuild.kube_binary()
    images = []
    for component in ("kube-apiserver", "kube-controller-manager", "kube-scheduler"):
        images.append(_context_image(
            client, f"{IMAGE_REPOSITORY}/{component}:{K8S}",
            f"FROM scratch\nCOPY bin/ /usr/local/bin/\nENTRYPOINT [\"/usr/local/bin/{component}\"]\n",
            {"bin/kube": kube, f"bin/{component}": "->kube"}))
    # kube-proxy runs iptables and conntrack: on the node's own base, which has them
    images.append(_context_image(
        client, f"{IMAGE_REPOSITORY}/kube-proxy:{K8S}",
        f"FROM {base}\nCOPY bin/ /usr/local/bin/\nENTRYPOINT [\"/usr/local/bin/kube-proxy\"]\n",
        {"bin/kube": kube, "bin/kube-proxy": "->kube"}))
    images.append(_context_image(
        client, f"{IMAGE_REPOSITORY}/etcd:{ETCD_TAG}",
        "FROM scratch\nCOPY etcd /usr/local/bin/etcd\nENTRYPOINT [\"/usr/local/bin/etcd\"]\n",
        {"etcd": build.etcd_binary()}))
    # kubeadm's CoreDNS listens on 53 with only NET_BIND_SERVICE added: root inside the pod
    images.append(_context_image(
        client, f"{IMAGE_REPOSITORY}/coredns:{COREDNS_TAG}",
        "FROM scratch\nCOPY coredns /coredns\nENTRYPOINT [\"/coredns\"]\n",
        {"coredns": kubebuild.coredns_binary()}))
    images.append(_context_image(
        client, f"{IMAGE_REPOSITORY}/pause:{PAUSE_VERSION}",
        "FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT [\"/pause\"]\n",
        {"pause": kubebuild.pause_binary()}))
    # todo-kindnet runs `ip` and `iptables`: on the node's own base, as kube-proxy. Tagged by its
    # binaries' cache keys, so a changed agent or patch is a new image, never a stale one.
    kindnet, netpol = build.kindnet_binary(), build.netpol_binary()
    images.append(_context_image(
        client, f"{IMAGE_REPOSITORY}/kindnet:{build.NETPOL_VERSION}-{_digest(kindnet.parent.name, netpol.parent.name)}",
        f"FROM {base}\nCOPY kindnet netpol /bin/\nENTRYPOINT [\"/bin/kindnet\"]\n",
        {"kindnet": kindnet, "netpol": netpol}))
    images.append(_context_image(
        client, f"{IMAGE_REPOSITORY}/local-path-provisioner:{build.LOCAL_PATH_VERSION}",
        "FROM scratch\nCOPY local-path-provisioner /usr/local/bin/\nENV PATH=/usr/local/bin\n"
        "ENTRYPOINT [\"/usr/local/bin/local-path-provisioner\"]\n",
        {"local-path-provisioner": build.local_path_binary()}))
    images.append(catalog.ensure_base(client, catalog.BASES["busybox"]))  # the provisioner's helper pods
    return images


def _exec(container, *argv: str, stdin: bytes | None = None) -> str:
    result = subprocess.run(["docker", "exec", "-i", container, *argv], input=stdin, capture_output=True)
    if result.returncode != 0:
        raise ImageBuildError(f"node image build: {' '.join(argv)} exited {result.returncode}: "
                              f"{result.stderr.decode(errors='replace').strip()[-1500:]}")
    return result.stdout.decode(errors="replace")


def node_image() -> str:
    """The node image for `kind create cluster --image`, built once per set of inputs."""
    client = engine.ensure_engine()
    base = base_image(client)
    images = system_images(client, base)
    kindnet = next(name for name in images if name.startswith(f"{IMAGE_REPOSITORY}/kindnet:"))
    provisioner = next(name for name in images if name.startswith(f"{IMAGE_REPOSITORY}/local-path-provisioner:"))
    manifests = {"default-cni.yaml": kind_manifests.default_cni(kindnet),
                 "default-storage.yaml": kind_manifests.default_storage(provisioner, images[-1])}
    kube = kubebuild.kube_binary()
    inputs = [client.images.get(name).id for name in [base, *images]]
    tag = f"{IMAGE_REPOSITORY}/node:{K8S}-{_digest(kube.parent.name, *inputs, json.dumps(manifests, sort_keys=True))}"
    if client.images.list(name=tag):
        return tag
    started = time.monotonic()
    container = f"kind-build-{int(time.time())}"
    run(["docker", "run", "-d", "--entrypoint=sleep", f"--name={container}", "--security-opt", "seccomp=unconfined",
         base, "infinity"])
    try:
        run(["docker", "cp", str(kube), f"{container}:/usr/bin/kube"])
        run(["docker", "cp", str(build.crictl_binary()), f"{container}:/usr/local/bin/crictl"])
        _exec(container, "sh", "-c", "cd /usr/bin && chown root:root kube && chmod 0755 kube && "
              "for b in kubeadm kubelet kubectl; do ln -sf kube $b; done")
        _exec(container, "sh", "-c",
              "cat > /usr/local/bin/todo-kind-prelude && chmod 0755 /usr/local/bin/todo-kind-prelude",
              stdin=unprivileged.PRELUDE.encode())
        # pods ask for an oom_score_adj below containerd's, which needs CAP_SYS_RESOURCE; where the
        # engine lacks it (unprivileged.py) runc cannot start any pod: clamp it, as kind does rootless
        if unprivileged.missing_capabilities():
            _exec(container, "sed", "-i", "s/restrict_oom_score_adj = false/restrict_oom_score_adj = true/",
                  "/etc/containerd/config.toml")
        _exec(container, "sh", "-c", f"printf %s {K8S} > /kind/version && mkdir -p /kind/manifests")
        for name, text in manifests.items():
            _exec(container, "sh", "-c", f"cat > /kind/manifests/{name}", stdin=text.encode())
        # as kind's base Dockerfile: the OCI spec containerd starts containers from, with kind's hook
        _exec(container, "sh", "-c", "ctr oci spec | jq '.hooks.createContainer[.hooks.createContainer| length]"
              " |= . + {\"path\": \"/kind/bin/mount-product-files.sh\"}' | jq 'del(.process.rlimits)'"
              " > /etc/containerd/cri-base.json")
        required = _exec(container, "kubeadm", "config", "images", "list", "--kubernetes-version", K8S,
                         "--image-repository", IMAGE_REPOSITORY).split()
        missing = sorted(set(required) - set(images))
        if missing:
            raise ImageBuildError(f"kubeadm {K8S} needs images this build does not make: {missing}")
        _exec(container, "sh", "-c", "nohup containerd > /var/log/containerd-build.log 2>&1 &")
        _exec(container, "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do [ -S /run/containerd/containerd.sock ] "
              "&& break; sleep 1; done; ctr version")
        for name in images:
            logger.info(f"{tag}: importing {name} into the node's containerd ...")
            saved = b"".join(client.api.get_image(name))
            _exec(container, "ctr", "--namespace=k8s.io", "images", "import", "--label=io.cri-containerd.pinned=pinned",
                  "--all-platforms", "--no-unpack", "--digests", "-", stdin=saved)
        _exec(container, "sh", "-c", "pkill containerd; sleep 2; rm -f /var/log/containerd-build.log")
        run(["docker", "commit", "--change", f"ENTRYPOINT {json.dumps(ENTRYPOINT)}",
             "--change", 'ENV HTTP_PROXY="" HTTPS_PROXY="" NO_PROXY=""', container, tag])
    finally:
        run(["docker", "rm", "-f", "-v", container], check=False)
    logger.info(f"{tag}: built in {time.monotonic() - started:.0f} s")
    remove_superseded(client, {tag, base, *images})
    return tag
