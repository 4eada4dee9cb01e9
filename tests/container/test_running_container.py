"""A running container of each project image, hardened as the chart runs it, inspected from the
inside with testinfra (docker backend).

testinfra needs a shell in the container plus the tools its modules call (`uname`, `cat`, `stat`,
`ls`...). The images ship none of them (the backend has not even /bin/sh), so the suite lends them
a read-only busybox appended to PATH and runs testinfra's commands with its shell
(deploykit/containers/toolbox.py): the image itself is unchanged and stays hardened, and no check
depends on the image's shell, user or paths beyond what the chart promises.
"""

import pytest

from deploykit.containers import procfs, toolbox
from deploykit.containers import running as containers
from deploykit.images import shipping
from deploykit.testing.asserts import assert_no_findings, failing_on_container_errors

SHELLS = ("sh", "dash", "bash", "ash")


@pytest.fixture(scope="module")
def hardened(docker_client, project_images, run_specs, component):
    image = project_images[component]
    lent = toolbox.mount(docker_client, image)
    with failing_on_container_errors(), containers.running(
        docker_client, image, run_specs[component], environment=lent.environment, volumes=lent.volumes
    ) as running:
        containers.wait_healthy(running)
        yield running


@pytest.fixture(scope="module")
def host(hardened):
    return toolbox.host(hardened.container.id)


def test_runs_every_process_as_the_chart_uid(host, run_specs, component):
    spec = run_specs[component]
    statuses = procfs.processes(host.run("cat /proc/[0-9]*/status").stdout)
    assert statuses, "no process status could be read"
    wrong = [f"{p.name} (PID {p.pid}) runs as UIDs {p.uids}, GIDs {p.gids}" for p in statuses
             if set(p.uids) != {spec.uid} or set(p.gids) != {spec.gid}]
    assert_no_findings(wrong, f"{component} processes not running as the chart's {spec.user}")


def test_runs_its_server_as_pid_1_so_the_stop_signal_reaches_it(host, component):
    init = next(p for p in procfs.processes(host.file("/proc/1/status").content_string) if p.pid == 1)
    assert init.name not in SHELLS, f"{component}: PID 1 is the shell {init.name!r}, which does not pass SIGTERM on"


def test_listens_only_on_the_chart_container_port(host, run_specs, component):
    tables = [host.file(table).content_string for table in ("/proc/net/tcp", "/proc/net/tcp6")
              if host.file(table).exists]
    assert procfs.listening_ports(*tables) == {run_specs[component].port}


def test_can_write_only_its_writable_dirs(host, run_specs, component):
    spec = run_specs[component]
    not_writable = [d for d in spec.writable_dirs if host.run_test("test -w %s", d).rc != 0]
    writable = [root for root in ("/", *(f"/{r}" for r in shipping.APP_ROOTS[component]))
                if host.run_test("test -w %s", root).rc == 0]
    assert not not_writable, f"{component}: the chart's writable dirs are not writable: {not_writable}"
    assert not writable, f"{component}: writable outside the chart's writable dirs: {writable}"


def test_keeps_app_roots_owned_by_root_and_unwritable_by_the_app(host, run_specs, component):
    spec, findings = run_specs[component], []
    for root in shipping.APP_ROOTS[component]:
        target = host.file(f"/{root}")
        if target.uid != 0 or target.mode & 0o002 or (target.mode & 0o020 and target.gid == spec.gid):
            findings.append(f"/{root}: owner {target.uid}:{target.gid}, mode {target.mode:o}")
    assert_no_findings(findings, f"{component} app roots the app could rewrite")
