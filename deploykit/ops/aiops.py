"""`python -m deploykit ai <operation>` (scripts/ai-deploy.sh): the AI-assisted operations the
project plan asks for, each answered by kubectl-ai or kagent when one is installed and
configured, and otherwise by the equivalent manual procedure, whose kubectl and helm commands are
printed so the person learns them. Answers go to stdout; which helper answered, why others could
not, and the commands run go to stderr, so `ai-deploy.sh generate > app.yaml` keeps a clean
manifest."""

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deploykit import clusters
from deploykit.diagnose import clusterhealth, report
from deploykit.foundation import constants
from deploykit.foundation.errors import AiHelperUnavailable
from deploykit.images import build as images
from deploykit.ops import aitools, manifestreview, resourcefit
from deploykit.ops.transcript import recording
from deploykit.tools.helm import Helm
from deploykit.tools.kubectl import Kubectl

COMPONENTS = (*constants.COMPONENTS, "postgresql")


@dataclass(frozen=True)
class Operation:
    help: str
    helpers: tuple[str, ...]  # the AI helpers that can answer it, preferred first
    question: Callable[[argparse.Namespace], str]
    manual: Callable[[argparse.Namespace, Kubectl, Helm], str]  # the answer, found by hand
    # What the question is about, sent along with it (the manifests to review).
    attachment: Callable[[argparse.Namespace, Helm], str | None] = lambda args, helm: None


def _scope(args) -> str:
    return (f"Helm release {args.release} in namespace {args.namespace} "
            f"(label {constants.selector(args.release)})")


def _generate_question(args) -> str:
    components = [args.component] if args.component else ["backend", "frontend"]
    return (f"Write Kubernetes YAML for the Todo Chatbot {' and '.join(components)}: for each, a Deployment of image "
            f"todo-list-hackathon/<component>:{images.chart_version()} with 2 replicas, a rolling update with "
            "maxSurge 1 and maxUnavailable 0, startup, liveness and readiness HTTP probes, CPU and memory requests "
            "and limits, a non-root read-only securityContext, and a ClusterIP Service. Print the YAML only; "
            "do not apply it.")


def _generate(args, kubectl, helm) -> str:
    return manifestreview.generate(helm, args.release, args.namespace, args.values, args.component)


def _review_question(args) -> str:
    return ("Review these Kubernetes manifests for security context, resource requests and limits, probes, rollout "
            "strategy and labels; list each problem with its object and field. Do not apply them.")


def _review_attachment(args, helm) -> str:
    if args.target:
        return manifestreview.read(Path(args.target))
    return manifestreview.render(helm, args.release, args.namespace, args.values)


def _review(args, kubectl, helm) -> str:
    manifest_file = Path(args.target) if args.target else None
    return manifestreview.review(helm, kubectl, args.release, args.namespace, args.values, manifest_file)


def _diagnose_question(args) -> str:
    subject = f"pod {args.target} in namespace {args.namespace}" if args.target else f"the pods of {_scope(args)}"
    return (f"Why are {subject} failing (CrashLoopBackOff, not Ready, pending)? Read their status, events and "
            "previous logs; name the cause and the fix. Do not change anything.")


def _diagnose(args, kubectl, helm) -> str:
    if args.target:
        return report.report(kubectl, args.namespace, pod=args.target)
    return report.report(kubectl, args.namespace, args.release)


def _limits_question(args) -> str:
    return (f"Suggest CPU and memory requests and limits for the pods of {_scope(args)} from their current usage "
            "compared with what they declare. Do not change anything.")


def _limits(args, kubectl, helm) -> str:
    pods, summaries = resourcefit.collect(kubectl, args.namespace, f"{constants.INSTANCE_LABEL}={args.release}")
    return resourcefit.render(resourcefit.fits(pods, summaries))


def _health_question(args) -> str:
    return ("Summarise the health of this Kubernetes cluster: API server, nodes, failing pods with their causes, "
            "and the warning events of the last hour. Do not change anything.")


def _health(args, kubectl, helm) -> str:
    return clusterhealth.summarise(clusterhealth.collect(kubectl))


OPERATIONS = {
    "generate": Operation("print a component's manifests (the chart rendered with --values)",
                          (aitools.KUBECTL_AI,), _generate_question, _generate),
    "review": Operation("review a manifest file (TARGET) or the chart: policy checks, then a server-side dry run",
                        (aitools.KUBECTL_AI,), _review_question, _review, _review_attachment),
    "diagnose": Operation("name why a pod (TARGET) or the release's pods are failing",
                          (aitools.KUBECTL_AI, aitools.KAGENT), _diagnose_question, _diagnose),
    "limits": Operation("suggest requests and limits from the release's observed usage",
                        (aitools.KUBECTL_AI, aitools.KAGENT), _limits_question, _limits),
    "health": Operation("summarise the cluster's health: API server, nodes, failing pods, warning events",
                        (aitools.KAGENT, aitools.KUBECTL_AI), _health_question, _health),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("operation", choices=OPERATIONS,
                        help="; ".join(f"{name}: {op.help}" for name, op in OPERATIONS.items()))
    parser.add_argument("target", nargs="?", help="diagnose: a pod name; review: a manifest file")
    parser.add_argument("--namespace", default=constants.NAMESPACE, help="Namespace of the release (default: todo)")
    parser.add_argument("--release", default=constants.RELEASE, help="Helm release name (default: todo)")
    parser.add_argument("--component", choices=COMPONENTS, help="generate: only this component's objects")
    parser.add_argument("--values", choices=manifestreview.VALUES_FILES, default="local",
                        help="generate/review: the chart's values file (default: local)")
    parser.add_argument("--ai", choices=("auto", *aitools.HELPERS, "off"), default="auto",
                        help="Which AI helper to ask: auto (the first one ready), one by name, or off (manual only)")


def _say(args, message: str) -> None:
    print(f"ai-deploy {args.operation}: {message}", file=sys.stderr, flush=True)


def _helpers_to_try(args, operation: Operation) -> tuple[str, ...]:
    return {"auto": operation.helpers, "off": ()}.get(args.ai, (args.ai,))


def main(args: argparse.Namespace) -> None:
    operation = OPERATIONS[args.operation]
    cluster = clusters.choose(args.cluster)
    for name in _helpers_to_try(args, operation):
        try:
            helper = aitools.detect(name, cluster.kubectl())
        except AiHelperUnavailable as unavailable:
            _say(args, str(unavailable))
            continue
        attachment = operation.attachment(args, Helm())
        answer = aitools.ask(helper, operation.question(args), cluster.kubeconfig, attachment)
        if answer.succeeded:
            _say(args, f"answered by {name}")
            print(answer.stdout, end="")
            return
        last = (answer.stderr or answer.stdout).strip().splitlines()[-1:] or [""]
        _say(args, f"{name} exited {answer.returncode}: {last[0]}")
    _say(args, "manual procedure" + ("" if args.ai == "off" else " (no AI helper answered)"))
    kubectl, helm, transcript = recording(cluster)
    try:
        found_by_hand = operation.manual(args, kubectl, helm)
    finally:
        if transcript.commands:
            _say(args, "it ran these commands, for you to run yourself:")
            print(transcript.text(), end="", file=sys.stderr, flush=True)
    print(found_by_hand, end="" if found_by_hand.endswith("\n") else "\n")
