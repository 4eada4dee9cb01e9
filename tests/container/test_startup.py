"""Each project image starts and answers its health path under the container start limit: from
`docker run` (hardened as the chart runs it) to the first 200, measured STARTS times. The figures
are printed and saved to build/artifacts/container-startup.json for the bench."""

import statistics

from deploykit.containers import running as containers
from deploykit.foundation import artifacts, limits
from deploykit.testing.asserts import assert_within, failing_on_container_errors

STARTS = 3


def test_starts_healthy_within_the_start_limit(docker_client, project_images, run_specs, component):
    budget, runs = limits.CONTAINER_START_S[component], []
    with failing_on_container_errors():
        for _ in range(STARTS):
            with containers.running(docker_client, project_images[component], run_specs[component]) as started:
                runs.append(containers.wait_healthy(started))
    slowest, median = max(runs), statistics.median(runs)
    print(f"{component}: docker run to healthy in {median:.2f} s (median of {STARTS}, slowest {slowest:.2f} s; "
          f"bound {budget.bound:g} s, target {budget.target:g} s)")
    artifacts.record("container-startup", component, artifacts.measured(
        slowest, budget, median=round(median, 3), runs=[round(s, 3) for s in runs],
        image=project_images[component], health_path=run_specs[component].health_path))
    assert_within(slowest, budget.bound, f"{component} docker run to healthy (slowest of {STARTS})", "s")
