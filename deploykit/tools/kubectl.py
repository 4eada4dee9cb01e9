"""The one wrapper around the kubectl CLI, bound to a kubeconfig."""

import json
from dataclasses import dataclass

from deploykit.foundation.run import CommandResult, run
from deploykit.tools import toolchain


@dataclass(frozen=True)
class Kubectl:
    kubeconfig: str | None = None
    binary: str | None = None
    context: str | None = None

    def argv(self, *args) -> list:
        argv = [self.binary or toolchain.kubectl()]
        if self.kubeconfig:
            argv += ["--kubeconfig", self.kubeconfig]
        if self.context:
            argv += ["--context", self.context]
        return argv + [str(a) for a in args]

    def __call__(self, *args, check=True, input=None, timeout=120) -> CommandResult:
        return run(self.argv(*args), check=check, input=input, timeout=timeout)

    def apply(self, manifest: str, namespace: str | None = None) -> CommandResult:
        ns = ["-n", namespace] if namespace else []
        return self("apply", *ns, "-f", "-", input=manifest)

    def get_json(self, *args) -> dict:
        return json.loads(self("get", *args, "-o", "json").stdout)

    def reachable(self) -> bool:
        return self("get", "--raw", "/readyz", check=False, timeout=15).succeeded
