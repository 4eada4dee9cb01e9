"""Checks on an image's metadata (its config and `docker history`), which need no running
container and no shell: a shell-less image is covered as well as any other.

Each check returns findings, data a test asserts to be empty; every finding says what is wrong
and what was measured, so a failing test is its own bug report.
"""

import re
from dataclasses import dataclass

import docker

from deploykit.foundation.findings import Finding
from deploykit.foundation.limits import MB
from deploykit.images.hostca import Marker

LARGEST_LAYERS = 3
REQUIRED_LABELS = ("org.opencontainers.image.title", "org.opencontainers.image.source")
VERSION_LABEL = "org.opencontainers.image.version"
SHELLS = ("/bin/sh", "sh", "/bin/bash", "bash")

# Variable names that announce a secret, and values that are one whatever their name.
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL", re.I)
SECRET_VALUES = {
    "a private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "credentials in a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.I),
    "an AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "an OpenAI-style API key": re.compile(r"\bsk-[A-Za-z0-9_-]{20,}"),
    "a GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}"),
}
# NAME=value in history steps: ENV and LABEL lines, and build args (`|2 NAME=value ...`).
ASSIGNMENT = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)=(\S+)")


@dataclass(frozen=True)
class ImageMetadata:
    name: str
    config: dict
    size: int  # bytes, uncompressed, as `docker image inspect .Size`
    history: tuple  # ({"CreatedBy": ..., "Size": ...}, ...), newest first

    @classmethod
    def of(cls, client: docker.DockerClient, name: str) -> "ImageMetadata":
        attrs = client.api.inspect_image(name)
        return cls(name, attrs["Config"] or {}, attrs["Size"], tuple(client.api.history(name)))


def user_findings(meta: ImageMetadata, expected_uid: int | None = None) -> list[Finding]:
    """USER is set, numeric (runAsNonRoot can only verify a number), not root, and the chart's."""
    user = meta.config.get("User") or ""
    uid = user.split(":")[0]
    if not user:
        return [Finding(meta.name, "user", "has no USER: it runs as root; add `USER <uid>:<gid>` (numeric)")]
    if uid in ("0", "root"):
        return [Finding(meta.name, "user", f"runs as root (USER {user}); use a numeric non-zero UID")]
    if not uid.isdigit():
        return [Finding(meta.name, "user", f"USER {user} is a name; Kubernetes runAsNonRoot can only "
                                "verify a numeric UID")]
    if expected_uid is not None and int(uid) != expected_uid:
        return [Finding(meta.name, "user", f"USER {user}, but the chart runs it as UID {expected_uid}")]
    return []


def _largest_layers(meta: ImageMetadata) -> str:
    layers = sorted(meta.history, key=lambda step: step["Size"], reverse=True)[:LARGEST_LAYERS]
    return "; ".join(f"{step['Size'] / MB:.1f} MB `{_step_text(step)[:90]}`" for step in layers)


def _step_text(step: dict) -> str:
    """A history step as its Dockerfile line, e.g. `RUN dd ...` or `COPY file:... in /app`.

    The legacy builder records instructions as `/bin/sh -c #(nop) <instruction>`, RUN steps as
    `[|<n> <build args>] /bin/sh -c <command>`, and `docker import` layers as nothing.
    """
    created = (step.get("CreatedBy") or "").strip()
    if not created:
        return "(imported base layer)"
    if nop := re.search(r"/bin/sh -c #\(nop\)\s*(.*)", created, re.S):
        return nop.group(1).strip()
    if shell := re.search(r"/bin/sh -c (.*)", created, re.S):
        return f"RUN {shell.group(1).strip()}"
    return created


def size_findings(meta: ImageMetadata, budget_mb: float) -> list[Finding]:
    """The uncompressed size is under budget_mb; over it, the finding lists the largest layers."""
    measured = meta.size / MB
    if measured < budget_mb:
        return []
    return [Finding(meta.name, "size", f"is {measured:.1f} MB, over its budget of {budget_mb:g} MB; "
                            f"largest layers: {_largest_layers(meta)}")]


def port_findings(meta: ImageMetadata, expected_ports: set[int]) -> list[Finding]:
    """EXPOSE declares exactly the ports the chart sends traffic to."""
    exposed = {int(port.split("/")[0]) for port in meta.config.get("ExposedPorts") or {}}
    if exposed == expected_ports:
        return []
    return [Finding(meta.name, "ports", f"exposes {sorted(exposed)}, the chart expects {sorted(expected_ports)}")]


def exec_form_findings(meta: ImageMetadata) -> list[Finding]:
    """ENTRYPOINT/CMD in exec form: a shell-form command makes `sh -c` PID 1, which does not pass
    the stop signal on, so the server never drains and is killed at the end of the grace period."""
    command = (meta.config.get("Entrypoint") or []) + (meta.config.get("Cmd") or [])
    if not command:
        return [Finding(meta.name, "exec-form", "has neither ENTRYPOINT nor CMD")]
    if len(command) >= 2 and command[0] in SHELLS and command[1] == "-c":
        return [Finding(meta.name, "exec-form", f"starts in shell form ({' '.join(command)[:100]}); "
                                     'write ENTRYPOINT/CMD as a JSON list, e.g. CMD ["python", "-m", "app"]')]
    return []


def label_findings(meta: ImageMetadata, version: str) -> list[Finding]:
    """The OCI labels are present and carry the version the chart deploys."""
    labels = meta.config.get("Labels") or {}
    findings = [Finding(meta.name, "labels", f"has no {label} label") for label in REQUIRED_LABELS
                if not labels.get(label)]
    if labels.get(VERSION_LABEL) != version:
        findings.append(Finding(meta.name, "labels", f"{VERSION_LABEL}={labels.get(VERSION_LABEL)!r}, "
                                          f"the chart deploys {version!r}"))
    return findings


def _redacted(value: str) -> str:
    return f"{value[:3]}... ({len(value)} characters)"


def _secrets_in_text(text: str) -> list[str]:
    found = [f"{name}={_redacted(value)}" for name, value in ASSIGNMENT.findall(text)
             if SECRET_NAME.search(name) and not value.startswith("$")]
    found += [kind for kind, pattern in SECRET_VALUES.items() if pattern.search(text)]
    return found


def secret_findings(meta: ImageMetadata) -> list[Finding]:
    """No secret in Env, in labels or in any history step (build args show up there too):
    anyone who can pull the image can read them. Secrets are given at run time."""
    findings = []
    for entry in meta.config.get("Env") or []:
        findings += [Finding(meta.name, "secrets", f"Env holds {what}") for what in _secrets_in_text(entry)]
    for name, value in (meta.config.get("Labels") or {}).items():
        findings += [Finding(meta.name, "secrets", f"label {name} holds {what}")
                     for what in _secrets_in_text(f"{name}={value}")]
    for step in meta.history:
        findings += [Finding(meta.name, "secrets", f"history step `{_step_text(step)[:80]}` holds {what}")
                     for what in _secrets_in_text(step.get("CreatedBy") or "")]
    return findings


def extra_ca_findings(meta: ImageMetadata, markers: list[Marker]) -> list[Finding]:
    """No certificate of the host's extra CAs in the image config or its history."""
    texts = {"the image config": repr(meta.config)}
    texts |= {f"history step `{_step_text(step)[:80]}`": step.get("CreatedBy") or "" for step in meta.history}
    return [Finding(meta.name, "extra-ca", f"{where} holds the certificate of {marker.source}")
            for marker in markers for where, text in texts.items() if marker.pem.decode() in text]
