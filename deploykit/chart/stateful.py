"""What breaks a database on a real volume but never on the emptyDir of a test install: where its
data directory sits on the volume, who may write there, and the directories the server writes
outside it under a read-only root filesystem.
"""

from deploykit.chart.manifests import Manifest
from deploykit.foundation.findings import Finding

# What the official postgres image (and the images following its contract) does unless told otherwise.
POSTGRES_DEFAULT_PGDATA = "/var/lib/postgresql/data"
# The server's socket and lock file; with a read-only root it must be a volume of its own.
POSTGRES_RUNTIME_DIRS = ("/var/run/postgresql",)


def _postgres_container(manifest: Manifest) -> dict | None:
    """The container that runs the server: the one given PGDATA, else one named postgres*."""
    containers = manifest.owner_pod_spec.get("containers", [])
    given = [c for c in containers if any(e.get("name") == "PGDATA" for e in c.get("env") or [])]
    return next(iter(given or [c for c in containers if c["name"].startswith("postgres")]), None)


def _pgdata(container: dict) -> str:
    entry = next((e for e in container.get("env") or [] if e.get("name") == "PGDATA"), None)
    return str(entry.get("value", "")) if entry else POSTGRES_DEFAULT_PGDATA


def _inside(path: str, directory: str) -> bool:
    return path.startswith(directory.rstrip("/") + "/")


def _claim_names(manifest: Manifest) -> set[str]:
    return {t["metadata"]["name"] for t in manifest.get("spec.volumeClaimTemplates") or []}


def _volume_names(manifest: Manifest) -> set[str]:
    return {v["name"] for v in manifest.owner_pod_spec.get("volumes") or []} | _claim_names(manifest)


def pgdata_findings(manifest: Manifest) -> list[Finding]:
    """PGDATA is a subdirectory of the data volume's mount, never the mount itself: a fresh ext4
    (or xfs) volume holds lost+found at its root, and initdb refuses a directory that is not
    empty. The mount that holds it is the claim's, when the StatefulSet has one."""
    container = _postgres_container(manifest)
    if container is None:
        return []
    path = f"{manifest.pod_spec_path}.containers[{container['name']}]"
    pgdata = _pgdata(container)
    mounts = container.get("volumeMounts") or []
    at_root = [m for m in mounts if m["mountPath"].rstrip("/") == pgdata.rstrip("/")]
    if at_root:
        return [
            Finding(
                manifest.ref,
                f"{path}.env.PGDATA",
                f"{pgdata} is the root of volume {at_root[0]['name']}: "
                "initdb refuses it once the filesystem puts lost+found there; use a subdirectory",
            )
        ]
    holding = sorted((m for m in mounts if _inside(pgdata, m["mountPath"])), key=lambda m: len(m["mountPath"]))
    if not holding:
        return [
            Finding(
                manifest.ref,
                f"{path}.env.PGDATA",
                f"{pgdata} is on no volume: the data goes to the "
                "container's own filesystem (read-only here, and lost with the container)",
            )
        ]
    claims = _claim_names(manifest)
    if claims and holding[-1]["name"] not in claims:
        return [
            Finding(
                manifest.ref,
                f"{path}.env.PGDATA",
                f"{pgdata} is on volume {holding[-1]['name']}, not on "
                f"the claim {sorted(claims)}: the data does not outlive the pod",
            )
        ]
    return []


def data_volume_group_findings(manifest: Manifest) -> list[Finding]:
    """A pod fsGroup, so the kubelet hands a freshly provisioned volume (owned by root) to the
    server's group and a non-root server can create PGDATA on it."""
    if not _claim_names(manifest) or _postgres_container(manifest) is None:
        return []
    security = manifest.owner_pod_spec.get("securityContext") or {}
    if security.get("fsGroup") is None:
        return [
            Finding(
                manifest.ref,
                f"{manifest.pod_spec_path}.securityContext.fsGroup",
                "unset: a new volume's root belongs to root, and the non-root server cannot create its data directory",
            )
        ]
    return []


def runtime_dir_findings(manifest: Manifest) -> list[Finding]:
    """Under a read-only root filesystem, the server's socket directory is a volume of its own."""
    container = _postgres_container(manifest)
    if container is None or not (container.get("securityContext") or {}).get("readOnlyRootFilesystem"):
        return []
    mounted = {m["mountPath"] for m in container.get("volumeMounts") or [] if m["name"] in _volume_names(manifest)}
    path = f"{manifest.pod_spec_path}.containers[{container['name']}].volumeMounts"
    return [
        Finding(
            manifest.ref,
            path,
            f"nothing mounted at {directory}: the server cannot create its socket and lock file there",
        )
        for directory in POSTGRES_RUNTIME_DIRS
        if directory not in mounted
    ]
