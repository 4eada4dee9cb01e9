"""The one wrapper around the helm CLI: every helm command deploykit runs goes through `Helm`.

Rendering and linting need no cluster. The release verbs (install, upgrade, rollback, uninstall,
test, history) stay thin: waiting beyond `--wait`, diagnosis and timing belong to their callers.
Only flags that Helm 3 (>= 3.14) and Helm 4 share are used, and values given in Python are passed
with `--set-json`, so their types survive and commas in strings are not taken as separators.
"""

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from deploykit.foundation.errors import ChartError, CommandFailed
from deploykit.foundation.limits import HELM_TIMEOUT
from deploykit.foundation.run import CommandResult, run
from deploykit.tools import toolchain

# The Kubernetes version this project deploys to. Renders and lints assume it, so a chart change
# that needs a newer API fails here rather than in the cluster.
TARGET_KUBE_VERSION = "1.34.0"

# Renders are local and take well under a second; anything slower is stuck.
_RENDER_TIMEOUT_S = 60
# A render or lint lives ~50 ms, and Go's collector spends a quarter of that CPU on garbage the
# exit frees anyway (the render layer runs a hundred of them on two cores): no collection below
# the limit, which a render of this chart (70 MB resident) stays far under. The caller's own Go
# settings win. Release verbs live for minutes and keep the default.
_SHORT_LIVED_VERBS = ("template", "lint")
_SHORT_LIVED_GO = {"GOGC": "off", "GOMEMLIMIT": "512MiB"}


class Helm:
    """helm bound to one binary, one target Kubernetes version and (for release verbs) one cluster."""

    def __init__(
        self,
        binary: str | None = None,
        *,
        kube_version: str = TARGET_KUBE_VERSION,
        kubeconfig: str | Path | None = None,
        kube_context: str | None = None,
    ):
        self.binary = binary or toolchain.helm()
        self.kube_version = kube_version
        self.kubeconfig = kubeconfig
        self.kube_context = kube_context

    def version(self) -> str:
        """helm's version, e.g. "v3.17.3"."""
        return run([self.binary, "version", "--template", "{{.Version}}"], timeout=30).stdout.strip()

    # -- rendering (no cluster) ----------------------------------------------------------------

    def template(
        self,
        chart: Path,
        release: str,
        *,
        namespace: str = "default",
        values: Sequence[Path] = (),
        set_values: Mapping[str, object] | None = None,
        show_only: Sequence[str] = (),
    ) -> str:
        """The manifests `helm template` renders, test hooks included; raises ChartError."""
        argv = ["template", release, chart, "--namespace", namespace, "--kube-version", self.kube_version]
        argv += _values_args(values, set_values)
        for template in show_only:
            argv += ["--show-only", template]
        return self._helm(argv, timeout=_RENDER_TIMEOUT_S).stdout

    def lint(
        self,
        chart: Path,
        *,
        values: Sequence[Path] = (),
        set_values: Mapping[str, object] | None = None,
        strict: bool = True,
    ) -> CommandResult:
        """`helm lint` (with --strict, warnings fail too); raises ChartError on any finding."""
        argv = ["lint", chart, "--kube-version", self.kube_version]
        argv += ["--strict"] if strict else []
        argv += _values_args(values, set_values)
        return self._helm(argv, timeout=_RENDER_TIMEOUT_S)

    def notes(
        self,
        chart: Path,
        release: str,
        *,
        namespace: str = "default",
        values: Sequence[Path] = (),
        set_values: Mapping[str, object] | None = None,
    ) -> str:
        """NOTES.txt as an install would print it, rendered without a cluster.

        helm prints the notes only after a real install (even `--dry-run=client` needs a
        cluster), so a throwaway copy of the chart defines them as a template and renders that
        into a ConfigMap.
        """
        with tempfile.TemporaryDirectory(prefix="deploykit-notes-") as tmp:
            copy = Path(tmp) / Path(chart).name
            shutil.copytree(chart, copy)
            templates = copy / "templates"
            notes = (templates / "NOTES.txt").read_text()
            (templates / "NOTES.txt").unlink()
            (templates / "_deploykit_notes.tpl").write_text(
                '{{- define "deploykit.notes" -}}\n' + notes + "\n{{- end -}}\n"
            )
            (templates / "deploykit-notes.yaml").write_text(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deploykit-notes\n"
                'data:\n  notes: {{ include "deploykit.notes" . | quote }}\n'
            )
            rendered = self.template(
                copy,
                release,
                namespace=namespace,
                values=values,
                set_values=set_values,
                show_only=["templates/deploykit-notes.yaml"],
            )
        return yaml.safe_load(rendered)["data"]["notes"]

    # -- release verbs (need a cluster) --------------------------------------------------------

    def upgrade(
        self,
        chart: Path,
        release: str,
        *,
        namespace: str,
        values: Sequence[Path] = (),
        set_values: Mapping[str, object] | None = None,
        wait: bool = True,
        timeout: str = HELM_TIMEOUT,
        install: bool = False,
    ) -> CommandResult:
        argv = ["upgrade", release, chart]
        argv += ["--install", "--create-namespace"] if install else []
        argv += _values_args(values, set_values) + _wait_args(wait, timeout)
        return self._helm(argv + self._cluster_args(namespace))

    def rollback(
        self,
        release: str,
        revision: int | None = None,
        *,
        namespace: str,
        wait: bool = True,
        timeout: str = HELM_TIMEOUT,
    ) -> CommandResult:
        """Roll back to `revision`, or to the previous one when None."""
        argv = ["rollback", release] + ([str(revision)] if revision is not None else [])
        return self._helm(argv + _wait_args(wait, timeout) + self._cluster_args(namespace))

    def uninstall(
        self, release: str, *, namespace: str, wait: bool = True, timeout: str = HELM_TIMEOUT
    ) -> CommandResult:
        argv = ["uninstall", release] + _wait_args(wait, timeout)
        return self._helm(argv + self._cluster_args(namespace))

    def test(self, release: str, *, namespace: str, logs: bool = True, timeout: str = HELM_TIMEOUT) -> CommandResult:
        """`helm test`; with logs, the test pods' output is in the result (and in a failure)."""
        argv = ["test", release, "--timeout", timeout] + (["--logs"] if logs else [])
        return self._helm(argv + self._cluster_args(namespace))

    def history(self, release: str, *, namespace: str) -> list[dict]:
        """Revisions, oldest first: dicts with revision, status, chart, app_version, description."""
        argv = ["history", release, "--output", "json"] + self._cluster_args(namespace)
        return json.loads(self._helm(argv).stdout)

    def status(self, release: str, *, namespace: str) -> dict:
        """The release as helm records it: info, and hooks each with last_run (phase, times)."""
        argv = ["status", release, "--output", "json"] + self._cluster_args(namespace)
        return json.loads(self._helm(argv).stdout)

    # -- plumbing ------------------------------------------------------------------------------

    def _cluster_args(self, namespace: str) -> list:
        argv: list[str | Path] = ["--namespace", namespace]
        if self.kubeconfig:
            argv += ["--kubeconfig", self.kubeconfig]
        if self.kube_context:
            argv += ["--kube-context", self.kube_context]
        return argv

    def _helm(self, argv: list, *, timeout: float | None = None) -> CommandResult:
        """Run helm; a failure becomes ChartError carrying all of helm's error output, because
        its key line (which value, which template) is often not the last one."""
        env = {**_SHORT_LIVED_GO, **os.environ} if argv[0] in _SHORT_LIVED_VERBS else None
        try:
            return run([self.binary, *argv], timeout=timeout, env=env)
        except CommandFailed as failed:
            # lint reports on stdout and sums up on stderr; template reports on stderr only.
            output = "\n".join(text for text in (failed.stdout.strip(), failed.stderr.strip()) if text)
            raise ChartError(f"helm {argv[0]} failed (exit {failed.returncode}):\n{output}") from failed


def names_field(message: str, field: str) -> bool:
    """Whether a helm error names a values field (`backend.replicaCount`), in any of the forms helm
    uses: dotted (helm <= 3.17), a JSON pointer (helm >= 3.18), or the parent plus the key (an
    unknown key)."""
    parent, _, key = field.rpartition(".")
    pointer = "/" + field.replace(".", "/")
    parent_named = not parent or parent in message or "/" + parent.replace(".", "/") in message
    return field in message or pointer in message or bool(parent_named and re.search(rf"\b{re.escape(key)}\b", message))


def _values_args(values: Sequence[Path], set_values: Mapping[str, object] | None) -> list:
    argv = []
    for path in values:
        argv += ["--values", path]
    for key, value in (set_values or {}).items():
        argv += ["--set-json", f"{key}={json.dumps(value)}"]
    return argv


def _wait_args(wait: bool, timeout: str) -> list:
    return ["--wait", "--timeout", timeout] if wait else []


def concurrently(calls: Mapping[str, Callable[[], object]], workers: int = 8) -> dict[str, object]:
    """Run independent helm calls side by side; each result, or the exception it raised, by key.

    Each call waits on a helm subprocess, so threads overlap them: a render layer that needs
    dozens of renders finishes in the time of a few.
    """

    def attempt(call):
        try:
            return call()
        except Exception as error:  # noqa: BLE001 - any failure is handed back, for the caller to assert on
            return error

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {key: pool.submit(attempt, call) for key, call in calls.items()}
    return {key: future.result() for key, future in futures.items()}
