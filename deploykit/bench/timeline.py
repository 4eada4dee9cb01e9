"""The rollout timeline picture: what steady traffic saw while the pods changed, second by second.

Three panels on one time axis (seconds since the load generator started): answers and failures
per second; latency p50 and p99 per second; and one bar per serving pod (starting, Ready, stopping).
Dotted lines across the traffic panels mark each new pod becoming Ready and each old pod being
told to stop; dashed ones the caller's marks. `make bench` writes it to docs/img/, and the cluster
layer's rollout tests can write the same picture as an artifact with write_picture.

The SVG is reproducible (fixed ids, no date), so an unchanged run does not churn the repository.
"""

from dataclasses import dataclass
from pathlib import Path

from matplotlib import rc_context
from matplotlib.figure import Figure as Canvas
from matplotlib.patches import Patch
from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter

from deploykit.bench.recording import PodLife, Recording
from deploykit.foundation.percentiles import percentile

BIN_S = 1.0
LEGEND = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0), "fontsize": 8}  # beside the panel, never over data
OK, FAILED, READY, STOPPING, MARK = "#2a9d4b", "#d62728", "#2a9d4b", "#f28e2b", "#333333"
STATE_COLOURS = {"starting": "#b0b0b0", "Ready": READY, "stopping": STOPPING}


def answered(result: dict) -> bool:
    return 200 <= result["status"] < 300  # traffic.TrafficReport's definition of success


@dataclass(frozen=True)
class Bins:
    starts: list[float]  # seconds
    ok_per_s: list[float]
    failed_per_s: list[float]
    p50_ms: list[float | None]  # None where no request succeeded
    p99_ms: list[float | None]


def per_bin(results: list[dict], bin_s: float = BIN_S) -> Bins:
    """Answers, failures and latency percentiles per bin of answer time. The bin of the last
    answer is left out: the generator stopped part way through it, so its rate would look low."""
    count = max(1, int(max((r["t"] for r in results), default=0) // bin_s))
    ok, failed = [0] * count, [0] * count
    latencies: list[list[float]] = [[] for _ in range(count)]
    for result in results:
        index = int(result["t"] // bin_s)
        if index >= count:
            continue
        if answered(result):
            ok[index] += 1
            latencies[index].append(result["latency_ms"])
        else:
            failed[index] += 1
    return Bins([i * bin_s for i in range(count)], [n / bin_s for n in ok], [n / bin_s for n in failed],
                [percentile(values, 0.5) if values else None for values in latencies],
                [percentile(values, 0.99) if values else None for values in latencies])


def pod_spans(life: PodLife, recording: Recording, end: float) -> list[tuple[float, float, str]]:
    """(start, stop, state) on the traffic's axis: starting until Ready, Ready until told to stop,
    stopping until gone (or until end); a pod stopped before it was Ready skips Ready."""
    edges = [(state, recording.seconds(wall)) for state, wall in
             (("starting", life.created), ("Ready", life.ready), ("stopping", life.stopping)) if wall is not None]
    stops = [start for _, start in edges[1:]] + [recording.seconds(life.gone) if life.gone else end]
    spans = [(max(0.0, start), stop, state) for (state, start), stop in zip(edges, stops, strict=True)]
    return [(start, stop, state) for start, stop, state in spans if stop > start]


def _pod_bars(axes, recording: Recording, end: float) -> None:
    pods = sorted(recording.pods, key=lambda life: life.created)
    for row, life in enumerate(pods):
        for start, stop, state in pod_spans(life, recording, end):
            axes.broken_barh([(start, stop - start)], (row - 0.35, 0.7), color=STATE_COLOURS[state])
    # component and the name's last part (the pod's own suffix), oldest pod at the top
    axes.set_yticks(range(len(pods)), [f"{life.component} {life.name.rsplit('-', 1)[-1]}" for life in pods],
                    fontsize=8)
    axes.set_ylim(len(pods) - 0.4, -0.6)
    axes.set_ylabel("pods")
    axes.legend(handles=[Patch(color=colour, label=state) for state, colour in STATE_COLOURS.items()], **LEGEND)


def _moments(axes_list, recording: Recording) -> None:
    """Each new pod becoming Ready and each pod told to stop, as dotted lines; the caller's marks, dashed."""
    lines = []
    for life in recording.pods:
        if life.ready and life.created >= recording.traffic_start:
            lines.append((life.ready, READY, "a new pod Ready"))
        if life.stopping:
            lines.append((life.stopping, STOPPING, "a pod told to stop"))
    for wall, colour, label in lines:
        for axes in axes_list:
            axes.axvline(recording.seconds(wall), color=colour, linestyle=":", linewidth=1.2, label=label)
    for wall, label in recording.marks:
        for axes in axes_list:
            axes.axvline(recording.seconds(wall), color=MARK, linestyle="--", linewidth=0.9)
        axes_list[0].annotate(label, (recording.seconds(wall), 1), xycoords=("data", "axes fraction"),
                              xytext=(3, -10), textcoords="offset points", fontsize=8, color=MARK)


def write_picture(recording: Recording, path: Path, title: str | None = None) -> Path:
    """Draw the recording as an SVG (or PNG, by path's suffix) at path; returns path."""
    bins = per_bin(recording.results)
    end = bins.starts[-1] + BIN_S
    canvas = Canvas(figsize=(11, 7.5), layout="constrained")
    rate_axes, latency_axes, pod_axes = canvas.subplots(3, 1, sharex=True, height_ratios=[3, 3, 2])
    rate_axes.step(bins.starts, bins.ok_per_s, where="post", color=OK, label="answered")
    rate_axes.bar(bins.starts, bins.failed_per_s, width=BIN_S, align="edge", color=FAILED, label="failed")
    rate_axes.set_ylabel("requests per second")
    for values, style, label in ((bins.p50_ms, "-", "p50"), (bins.p99_ms, "--", "p99")):
        points = [(start, value) for start, value in zip(bins.starts, values, strict=True) if value is not None]
        latency_axes.plot([p[0] for p in points], [p[1] for p in points], style, color="#1f77b4", label=label)
    latency_axes.set_yscale("log")
    latency_axes.yaxis.set_major_locator(LogLocator(subs=(1, 2, 5)))
    latency_axes.yaxis.set_major_formatter(ScalarFormatter())  # 20, 50, 100 rather than 2x10^1
    latency_axes.yaxis.set_minor_formatter(NullFormatter())
    latency_axes.set_ylabel("latency (ms)")
    _pod_bars(pod_axes, recording, end)
    pod_axes.set_xlabel("seconds since the traffic started")
    pod_axes.set_xlim(0, end)
    _moments([rate_axes, latency_axes], recording)
    for axes in (rate_axes, latency_axes):
        handles, labels = axes.get_legend_handles_labels()
        unique = dict(zip(labels, handles, strict=True))
        axes.legend(unique.values(), unique.keys(), **LEGEND)
    failed = sum(not answered(r) for r in recording.results)
    canvas.suptitle(title or f"{recording.what}: {len(recording.results)} requests at {recording.rate:g}/s, "
                    f"{failed} failed")
    path.parent.mkdir(parents=True, exist_ok=True)
    with rc_context({"svg.hashsalt": "deploykit-bench", "svg.fonttype": "none"}):
        canvas.savefig(path, metadata={"Date": None} if path.suffix == ".svg" else None)
    return path
