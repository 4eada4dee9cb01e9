"""`make bench`: every measurement group in turn on this machine, then the report.

Order: what needs only Docker first (sizes, builds, starts, the render and container layers),
then the bench's own release on the cluster (install, rolling update, rollback, load), then the
cluster layer, whose releases must not share the node with the bench's. A group that fails is
listed under "Not measured" with its error, the others still run, and the command exits non-zero,
so a partial report is never mistaken for a whole one. Build and test output goes to
build/artifacts/bench-logs/, not the console.
"""

import datetime
import functools
import shutil
import sys
import time
import traceback
from collections.abc import Callable

from deploykit import clusters
from deploykit.bench import machine
from deploykit.bench.document import BenchRun, write
from deploykit.bench.measures import builds, imagesize, install, layers, rollout, startup, throughput
from deploykit.foundation import paths
from deploykit.foundation.errors import DeploykitError
from deploykit.images import build as images
from deploykit.tools import engine

REPORT = paths.REPO / "docs" / "BENCHMARKS.md"
PICTURES = paths.REPO / "docs" / "img"
JSON = paths.ARTIFACTS / "bench.json"
LOGS = paths.ARTIFACTS / "bench-logs"
ROLLED_VERSION_SUFFIX = "-bench.2"  # what the rolling update's backend reports, so traffic sees the switch


class Bench:
    def __init__(self, cluster_name: str | None):
        self.cluster_name = cluster_name
        self.started = time.perf_counter()
        self.run = BenchRun(started=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"), wall_s=0.0,
                            load_average={"start": machine.load_average()}, machine={}, figures=[])

    def say(self, message: str) -> None:
        elapsed = time.perf_counter() - self.started
        print(f"deploykit: bench [{elapsed / 60:4.1f} min] {message}", file=sys.stderr, flush=True)

    def measure(self, what: str, measurement: Callable[[], list | None]) -> None:
        """Run one measurement; its figures join the run, or its failure is recorded and the run goes on."""
        self.say(f"{what} ...")
        try:
            self.run.figures += measurement() or []
        except Exception as error:  # noqa: BLE001 - any failure of one group must not lose the others
            why = (str(error).strip().splitlines() or [type(error).__name__])[0]
            self.run.not_measured[what] = f"{type(error).__name__}: {why}"
            with open(LOGS / "errors.log", "a") as log:
                log.write(f"=== {what}\n{traceback.format_exc()}\n")
            self.say(f"{what} not measured: {why} (traceback in {LOGS / 'errors.log'})")

    def docker_groups(self, client) -> dict:
        built = images.build_project_images(client)
        chosen = builds.chosen_bases(client)

        def sizes():
            found, self.run.largest_files = imagesize.figures(client, built, chosen)
            return found

        self.measure("image sizes", sizes)
        self.measure("image builds",
                     lambda: builds.figures(client, chosen, images.chart_version(), LOGS / "builds.log"))
        self.measure("container start", lambda: startup.figures(client, built))
        self.measure("render layer", lambda: layers.render_figures(LOGS))
        self.measure("container layer", lambda: [layers.layer_figure(layers.run_layer("container", LOGS))])
        return built

    def cluster_groups(self, client, built: dict) -> None:
        """The bench release, then the cluster layer; a cluster the bench started is stopped again."""
        cluster = clusters.choose(self.cluster_name)
        was_running = cluster.reachable()
        cluster.start()
        try:
            self.run.machine["cluster"] = machine.cluster(cluster.kubectl(), cluster.describe())
            self.measure("the bench release", lambda: self.release_groups(client, cluster, built))
            self.measure("cluster layer", lambda: [layers.layer_figure(
                layers.run_layer("cluster", LOGS, ("--cluster", cluster.NAME)))])
        finally:
            if not was_running:
                cluster.stop()

    def release_groups(self, client, cluster, built: dict) -> None:
        with install.installed_release(client, cluster, built) as (release, install_figures):
            self.run.figures += install_figures
            # a new backend version and a new frontend pod template: both Deployments roll
            rolled = {**install.backend_version(images.chart_version() + ROLLED_VERSION_SUFFIX),
                      "frontend.podAnnotations": {"bench/rolled": "yes"}}
            changes = (
                ("rolling update", "helm upgrade", lambda: release.upgrade(rolled),
                 "`helm upgrade` to a new pod template in both Deployments (the backend's APP_VERSION, a "
                 "frontend pod annotation), same images"),
                ("rollback", "helm rollback", lambda: release.rollback(1),
                 "`helm rollback` to the installed revision"),
            )
            for what, command, change, description in changes:
                self.measure(what, functools.partial(self.change, release, what, command, change, description))
            self.measure("backend under load", lambda: throughput.figures(release))

    def change(self, release, what: str, command: str, change: Callable[[], None], description: str) -> list:
        picture = PICTURES / f"{what.replace(' ', '-')}-timeline.svg"
        result = rollout.measure_change(release, what, command, change, picture)
        group = result.figures[0].group
        self.run.changes[group] = {"change": description, "phases": result.phases, "versions": result.versions,
                                   "picture": result.picture}
        return result.figures

    def execute(self) -> BenchRun:
        shutil.rmtree(LOGS, ignore_errors=True)
        LOGS.mkdir(parents=True)
        client = engine.ensure_engine()
        self.run.machine = machine.host(client)
        built = self.docker_groups(client)
        self.measure("the cluster", lambda: self.cluster_groups(client, built))
        self.run.load_average["end"] = machine.load_average()
        self.run.wall_s = time.perf_counter() - self.started
        write(self.run, REPORT, JSON)
        self.say(f"wrote {REPORT.relative_to(paths.REPO)} and {JSON.relative_to(paths.REPO)}")
        return self.run


def main(cluster_name: str | None = None) -> None:
    """Run the bench; raise DeploykitError (the verb's exit 1) when a measurement failed."""
    run = Bench(cluster_name).execute()
    if run.not_measured:
        listed = "; ".join(f"{what}: {why}" for what, why in run.not_measured.items())
        raise DeploykitError(f"{len(run.not_measured)} measurement(s) failed ({listed}); "
                             f"{REPORT.relative_to(paths.REPO)} lists them under Not measured")
