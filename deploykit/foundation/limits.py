"""Every budget and timeout in one place: read by the tests, `make bench` and the docs.

`bound` is the limit the project plan sets (asserted by the suite); `target` is our own aim
(measured by `make bench`, never asserted as a timing). docs/LIMITS.md says where each comes
from and which test or bench figure checks it; keep it in step when a number here changes.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    name: str
    unit: str
    bound: float | None
    target: float

    def met_bound(self, value: float) -> bool:
        return self.bound is None or value < self.bound

    def met_target(self, value: float) -> bool:
        return value <= self.target


MB = 1_000_000  # `docker images` prints decimal megabytes

IMAGE_SIZE_MB = {
    "backend": Budget("backend image size", "MB", bound=150, target=120),
    "frontend": Budget("frontend image size", "MB", bound=200, target=40),
}
CONTAINER_START_S = {
    "backend": Budget("backend start to healthy", "s", bound=10, target=2),
    "frontend": Budget("frontend start to healthy", "s", bound=10, target=0.5),
}
POD_READY_S = Budget("pod created to Ready", "s", bound=10, target=5)
HELM_INSTALL_S = Budget("helm install --wait", "s", bound=120, target=45)
COLD_BUILD_S = Budget("cold image build", "s", bound=300, target=300)
WARM_REBUILD_S = Budget("rebuild after a code-only change", "s", bound=None, target=15)
RENDER_LAYER_S = Budget("tox -e render wall time", "s", bound=None, target=10)
ROLLOUT_FAILED_REQUESTS = Budget("failed requests during a rolling update", "requests", bound=1, target=0)
ROLLOUT_P99_RATIO = Budget("p99 latency during a rolling update over steady state", "x", bound=None, target=2)


def _bound(budget: Budget) -> float:
    """The bound of a budget that has one (to wait as long as it allows)."""
    if budget.bound is None:
        raise ValueError(f"{budget.name} has no bound")
    return budget.bound


# Timeouts (seconds) for waits; generous on a loaded 2-core machine, never asserted as figures.
ENGINE_START_TIMEOUT = 60
CONTAINER_HEALTHY_TIMEOUT = _bound(CONTAINER_START_S["backend"])
GRACEFUL_STOP_TIMEOUT = 30
HELM_TIMEOUT = "5m"
