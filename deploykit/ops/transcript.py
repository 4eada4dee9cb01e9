"""The commands a manual procedure ran, kept so they can be shown to the person who asked: the
fallbacks of `ai-deploy` teach the kubectl and helm a person would type. The recording wrappers
are the project's Kubectl and Helm, so nothing is run differently from the rest of deploykit."""

import os
import shlex
from dataclasses import dataclass, field

from deploykit.foundation.run import CommandResult
from deploykit.tools.helm import Helm
from deploykit.tools.kubectl import Kubectl


class Transcript:
    def __init__(self, kubeconfig: str | None = None):
        self.kubeconfig = kubeconfig
        self.commands: list[str] = []

    def record(self, argv: list, stdin: str | None = None) -> None:
        """Keep argv as a person would type it: the tool by name, the kubeconfig left to KUBECONFIG,
        and a note when the command read something on stdin (which a transcript cannot show)."""
        words = [os.path.basename(str(argv[0]))]
        rest = [str(a) for a in argv[1:]]
        while rest:
            word = rest.pop(0)
            if word == "--kubeconfig" and rest:
                rest.pop(0)
            else:
                words.append(word)
        note = f"  # {len(stdin.splitlines())} lines on stdin" if stdin else ""
        self.commands.append(shlex.join(words) + note)

    def text(self) -> str:
        header = f"# with KUBECONFIG={self.kubeconfig}\n" if self.kubeconfig else ""
        return header + "".join(f"$ {command}\n" for command in self.commands)


@dataclass(frozen=True)
class RecordedKubectl(Kubectl):
    transcript: Transcript = field(default_factory=Transcript, compare=False)

    def __call__(self, *args, **kwargs) -> CommandResult:
        self.transcript.record(self.argv(*args), kwargs.get("input"))
        return super().__call__(*args, **kwargs)


class RecordedHelm(Helm):
    def __init__(self, transcript: Transcript, **kwargs):
        super().__init__(**kwargs)
        self.transcript = transcript

    def _helm(self, argv: list, *, timeout: float | None = None) -> CommandResult:
        self.transcript.record([self.binary, *argv])
        return super()._helm(argv, timeout=timeout)


def recording(cluster) -> tuple[RecordedKubectl, RecordedHelm, Transcript]:
    """kubectl and helm bound to a cluster provider, both writing to one new transcript."""
    transcript = Transcript(cluster.kubeconfig)
    kubectl = RecordedKubectl(kubeconfig=cluster.kubeconfig, context=cluster.context, transcript=transcript)
    helm = RecordedHelm(transcript, kubeconfig=cluster.kubeconfig, kube_context=cluster.context)
    return kubectl, helm, transcript
