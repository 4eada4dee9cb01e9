"""The rehearsals' bookkeeping: verdicts read from JUnit, what counts as a change to the user's
state, the environment a fresh run sees (none of this machine's caches) and the one a loaded run
sees (CI's)."""

from pathlib import Path

from deploykit.cli import rehearsal
from deploykit.tools.privateengine import PrivateEngine

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="4" failures="1" errors="1" skipped="1">
<testcase classname="tests.cluster.test_rollout" name="test_a"/>
<testcase classname="tests.cluster.test_rollout" name="test_b"><failure message="boom"/></testcase>
<testcase classname="tests.cluster.test_rollout" name="test_c"><error message="setup"/></testcase>
<testcase classname="tests.cluster.test_rollout" name="test_d"><skipped message="no"/></testcase>
</testsuite></testsuites>"""


def test_reads_each_tests_verdict_from_junit(tmp_path):
    report = tmp_path / "r.xml"
    report.write_text(JUNIT)

    assert rehearsal.verdicts(report) == {
        "tests.cluster.test_rollout::test_a": "passed", "tests.cluster.test_rollout::test_b": "failed",
        "tests.cluster.test_rollout::test_c": "error", "tests.cluster.test_rollout::test_d": "skipped",
    }


def test_an_untouched_user_state_has_no_changes():
    state = {"cache files": {"bin/helm": (10, 1)}, "images": ["sha256:a"], "containers": []}

    assert rehearsal.state_changes(state, dict(state)) == []


def test_a_users_kind_node_stopped_by_the_rehearsal_is_a_change():
    before = {"cache files": {}, "images": [], "containers": ["todo-list-hackathon-control-plane (running)"]}
    after = {"cache files": {}, "images": [], "containers": ["todo-list-hackathon-control-plane (exited)"]}

    assert rehearsal.state_changes(before, after) == [
        "containers: added ['todo-list-hackathon-control-plane (exited)'], "
        "removed ['todo-list-hackathon-control-plane (running)']"]


def test_a_rewritten_cache_file_and_a_new_image_are_changes():
    before = {"cache files": {"bin/helm": (10, 1)}, "images": ["sha256:a"], "containers": []}
    after = {"cache files": {"bin/helm": (10, 2), "bin/new": (1, 1)}, "images": ["sha256:a", "sha256:b"],
             "containers": []}

    changes = rehearsal.state_changes(before, after)

    assert changes[0] == "cache files: ['bin/helm', 'bin/new']"
    assert changes[1] == "images: added ['sha256:b'], removed []"


def test_hundreds_of_new_images_are_summed_up_not_listed():
    before = {"cache files": {}, "images": [], "containers": []}
    after = {"cache files": {}, "images": [f"sha256:{n:03}" for n in range(300)], "containers": []}

    (change,) = rehearsal.state_changes(before, after)

    assert change.endswith("'sha256:004'] (+295 more), removed []")


def test_a_fresh_run_sees_an_empty_home_and_none_of_this_machines_state(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "/root/.cache")
    monkeypatch.setenv("GOCACHE", "/root/.cache/go-build")
    monkeypatch.setenv("DOCKER_HOST", "unix:///var/run/docker.sock")
    monkeypatch.setenv("DEPLOYKIT_KIND_CONFIG", "multi")

    env = rehearsal.fresh_environment(tmp_path)

    assert env["HOME"] == str(tmp_path / "home")
    assert not {"XDG_CACHE_HOME", "GOCACHE", "DOCKER_HOST", "DEPLOYKIT_KIND_CONFIG"} & set(env)
    assert env["CI"] == "true"
    assert not [p for p in Path(env["HOME"]).rglob("*") if p.is_file() and "cache" in str(p).lower()]


def test_the_loaded_layers_run_with_the_variables_ci_exports():
    repo = Path(__file__).resolve().parents[3]

    assert rehearsal.ci_exports(repo) == {"CI": "true", "CLUSTER": "kind"}


def test_the_private_engine_shares_no_path_socket_or_chain_with_the_users():
    argv = PrivateEngine(Path("/var/tmp/r/docker")).argv()

    assert "--host=unix:///var/tmp/r/docker/docker.sock" in argv
    assert "--data-root=/var/tmp/r/docker/data" in argv
    assert "--exec-root=/var/tmp/r/docker/exec" in argv
    assert "--iptables=false" in argv
    assert not [a for a in argv if "/var/lib/docker" in a or "/var/run/docker" in a]


def test_the_private_engine_forwards_frames_inside_its_bridges_as_docker_would():
    # kind's nodes exchange pod-addressed traffic on a bridge the engine names at creation
    from deploykit.tools import privateengine

    assert ("filter", "FORWARD", "-m", "physdev", "--physdev-is-bridged", "-j", "ACCEPT") in privateengine._rules()
