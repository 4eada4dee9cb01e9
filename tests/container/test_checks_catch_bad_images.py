"""Each check catches the property it guards when an image breaks it on purpose, and fails with
what a person needs to fix it: the offending file, the measured size against the budget, the
container's last log lines. The images are tiny (tests/container/fixtures/bad/), built FROM the
busybox or python base; budgets and grace periods are small fakes, so this module stays fast."""

import pytest

from deploykit.bases import catalog as bases
from deploykit.chart.runspec import RunSpec
from deploykit.containers import running as containers
from deploykit.images import checks as imagechecks
from deploykit.images import files as imagefiles
from deploykit.images import shipping
from deploykit.images.checks import ImageMetadata
from deploykit.testing.asserts import assert_graceful, assert_no_findings, failing_on_container_errors

FAKE_BUDGET_MB = 5
SHORT_GRACE_S = 3
SIGTERM_IGNORED = RunSpec("sigterm-ignored", uid=65534, gid=65534, port=8000, writable_dirs=("/tmp",),
                          health_path="/")


def failure_message(assertion, *args) -> str:
    """The message an assert helper fails with: what a person reads in the test report."""
    with pytest.raises(pytest.fail.Exception) as failure:
        assertion(*args)
    print(failure.value)
    return str(failure.value)


def test_user_check_fails_an_image_whose_user_is_root(docker_client, build_bad_image):
    meta = ImageMetadata.of(docker_client, build_bad_image("root-user", "busybox"))
    message = failure_message(assert_no_findings, imagechecks.user_findings(meta), "USER")
    assert "runs as root (USER root)" in message


def test_user_check_fails_an_image_without_a_user_instruction(docker_client):
    meta = ImageMetadata.of(docker_client, bases.ensure_base(docker_client, bases.BASES["busybox"]))
    message = failure_message(assert_no_findings, imagechecks.user_findings(meta), "USER")
    assert "has no USER: it runs as root" in message


def test_size_check_fails_an_image_over_budget_naming_its_fat_layer(docker_client, build_bad_image):
    meta = ImageMetadata.of(docker_client, build_bad_image("fat-layer", "busybox"))
    message = failure_message(assert_no_findings, imagechecks.size_findings(meta, FAKE_BUDGET_MB), "size")
    assert f"over its budget of {FAKE_BUDGET_MB} MB" in message
    assert "RUN dd if=/dev/zero" in message.split("largest layers:")[1].split(";")[0]


def test_must_not_ship_check_fails_an_image_with_a_leaked_env_file(docker_client, build_bad_image):
    image = build_bad_image("leaked-env", "busybox", extra_files={".env": b"JWT_SECRET=leaked-on-purpose\n"})
    files = imagefiles.scan(docker_client, image, markers=[])
    message = failure_message(assert_no_findings, imagefiles.forbidden_findings(files, shipping.COMMON), "contents")
    assert "an environment file" in message and "/app/.env" in message


def test_graceful_stop_check_fails_a_server_that_ignores_sigterm(docker_client, build_bad_image):
    image = build_bad_image("sigterm-ignored", "python")
    with failing_on_container_errors(), containers.running(docker_client, image, SIGTERM_IGNORED) as server:
        containers.wait_healthy(server)
        outcome = containers.stop_with_request_in_flight(server, server.url("/slow?seconds=2"), timeout=SHORT_GRACE_S)
    message = failure_message(assert_graceful, outcome, "stop")
    assert "exited 137 (SIGKILL" in message
    assert "ignoring SIGTERM" in message.split("last log lines")[1]
