"""`python -m deploykit <verb>`: the entry points behind the Makefile targets."""

import argparse
import sys
from collections.abc import Callable
from typing import NamedTuple

from deploykit.foundation import log
from deploykit.foundation.errors import DeploykitError


def _engine(_args):
    from deploykit.tools import engine
    print(f"Docker engine {engine.ensure_engine().version()['Version']} is answering")


def _tools(_args):
    from deploykit.tools import toolchain
    print(f"helm: {toolchain.helm()}\nkubectl: {toolchain.kubectl()}")


def _bases(_args):
    from deploykit.bases import catalog as bases
    for role, name in bases.ensure_all_bases().items():
        print(f"{role}: {name}")


def _images_arguments(parser):
    parser.add_argument("--version", help="the images' tag (default: the chart's appVersion)")


def _images(args):
    from deploykit.images import build as images
    for component, name in images.build_project_images(version=args.version).items():
        print(f"{component}: {name}")


def _postgres(_args):
    import glob
    import shutil

    from deploykit.tools import apt
    if not (shutil.which("pg_ctl") or glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")):
        apt.ensure_packages("postgresql", why="the backend's PostgreSQL tests")
    print("PostgreSQL server binaries are installed")


def _cluster_up(args):
    from deploykit import clusters
    cluster = clusters.choose(args.cluster)
    cluster.start()
    print(f"{cluster.describe()} is up; export KUBECONFIG={cluster.kubeconfig or '~/.kube/config'}")


def _cluster_down(args):
    from deploykit import clusters
    clusters.choose(args.cluster).stop()


def _up(args):
    from deploykit.cli import up
    url = up.up(args.cluster)
    print(f"The Todo Chatbot is up: open {url}  (make down stops it)")


def _down(args):
    from deploykit.cli import up
    up.down(args.cluster)


def _bench(args):
    from deploykit.bench import runner
    runner.main(args.cluster)


def _test(_args):
    from deploykit.cli import layerrun
    if not layerrun.run_layers():
        raise SystemExit(1)


def _summary_arguments(parser):
    parser.add_argument("--reports-url", help="link every report (build/reports/...) to this URL, e.g. its upload")
    parser.add_argument("--artifacts-url", help="link every artifact (build/artifacts/...) to this URL")
    parser.add_argument("--output", help="write here instead of build/reports/summary.md")


def _summary(args):
    from pathlib import Path

    from deploykit.cli import summary
    written = summary.write(links=summary.Links(args.reports_url, args.artifacts_url),
                            output=Path(args.output) if args.output else None)
    print(f"summary: {written}")


def _lint(_args):
    from deploykit.cli import lintrun
    if not lintrun.run_checks():
        raise SystemExit(1)


def _rehearse_arguments(parser):
    parser.add_argument("kind", choices=("fresh", "loaded"),
                        help="fresh: .ci/run from a clean clone with empty caches, a private Docker engine and "
                             "cluster state of its own; loaded: the container and cluster layers idle, then beside "
                             "a CPU hog, comparing every verdict")
    parser.add_argument("--runs", type=int, default=3, help="loaded: how many runs under load (default: 3)")
    parser.add_argument("--keep", action="store_true", help="fresh: keep the rehearsal's directory")


def _rehearse(args):
    from deploykit.cli import rehearsal
    passed = rehearsal.fresh(args.keep) if args.kind == "fresh" else rehearsal.loaded(args.runs)
    if not passed:
        raise SystemExit(1)


def _release_arguments(parser):
    from deploykit.foundation import constants
    parser.add_argument("--namespace", default=constants.NAMESPACE, help="Namespace of the release (default: todo)")
    parser.add_argument("--release", default=constants.RELEASE,
                        help="Helm release to diagnose (default: todo); empty for every pod in the namespace")


def _diagnose(args):
    from deploykit import clusters
    from deploykit.diagnose import report
    print(report.report(clusters.choose(args.cluster).kubectl(), args.namespace, args.release or None), end="")


def _ai_arguments(parser):
    from deploykit.ops import aiops
    aiops.add_arguments(parser)


def _ai(args):
    from deploykit.ops import aiops
    aiops.main(args)


class Verb(NamedTuple):
    run: Callable[[argparse.Namespace], None]
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None  # the verb's own arguments


VERBS = {
    "up": Verb(_up, "build the images, start a cluster, install the chart, open the app on 127.0.0.1:8080"),
    "down": Verb(_down, "uninstall the release and stop the cluster this project started"),
    "engine": Verb(_engine, "make sure a Docker engine answers (starting dockerd when root)"),
    "tools": Verb(_tools, "locate or extract helm and kubectl"),
    "bases": Verb(_bases, "use the official base images, or build their air-gapped equivalents"),
    "images": Verb(_images, "build the backend and frontend images (reused when unchanged)", _images_arguments),
    "postgres": Verb(_postgres, "install PostgreSQL's server binaries for the backend tests (root on Debian)"),
    "cluster-up": Verb(_cluster_up, "start (or reuse) a cluster"),
    "cluster-down": Verb(_cluster_down, "stop the cluster this project started"),
    "lint": Verb(_lint, "the lint layer: ruff, import-linter, mypy and actionlint, each a JUnit record in "
                        "build/reports/junit-lint.xml"),
    "test": Verb(_test, "every test layer in order of cost, each timed; the first failing layer stops the run"),
    "summary": Verb(_summary, "rewrite build/reports/summary.md from the last run's JUnit files, layers.json and "
                              "artifacts (optionally linking to where CI uploaded them)", _summary_arguments),
    "rehearse": Verb(_rehearse, "rehearse the gate on a fresh runner or a busy one (see the README)",
                     _rehearse_arguments),
    "bench": Verb(_bench,
                  "measure sizes, builds, startup, layers, install, rollouts and load; write docs/BENCHMARKS.md"),
    "diagnose": Verb(_diagnose,
                     "report a release's failing pods, naming the cause: states, events, probes, logs (no AI)",
                     _release_arguments),
    "ai": Verb(_ai, "an AI-assisted operation (generate, review, diagnose, limits, health), done by hand when no AI "
                    "helper is ready", _ai_arguments),
}


def main(argv=None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--cluster", default=None,
                        help="existing, kind or minikube (default: $CLUSTER, else detected)")
    parser = argparse.ArgumentParser(prog="python -m deploykit")
    sub = parser.add_subparsers(dest="verb", required=True)
    for name, verb in VERBS.items():
        verb_parser = sub.add_parser(name, help=verb.help, parents=[common])
        if verb.add_arguments:
            verb.add_arguments(verb_parser)
    args = parser.parse_args(argv)
    log.attach()
    try:
        VERBS[args.verb].run(args)
    except DeploykitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
