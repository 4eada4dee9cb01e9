"""The kind provider on stand-ins (no engine, no kind binary, no cluster): the command lines it
gives kind, the PATH it gives kind, and that stop() deletes only a cluster it created."""

from pathlib import Path

import pytest
import yaml

from deploykit import clusters
from deploykit.clusters import kind
from deploykit.foundation.errors import ClusterUnavailable, CommandFailed
from deploykit.foundation.run import CommandResult

NODE_IMAGE = "localhost/todo-kind/node:v1.34.4-0123456789ab"
KIND = Path("/cache/kind/kind")


class FakeHost:
    """Stands in for kind and docker: records every command, answers from `clusters` (the kind
    clusters that exist) and `control_plane` (the id of the control-plane container)."""

    def __init__(self, clusters=(), control_plane="c0ffee"):
        self.clusters, self.control_plane, self.calls, self.fail = list(clusters), control_plane, [], {}

    def __call__(self, argv, *, check=True, env=None, timeout=None, **_):
        argv = [str(a) for a in argv]
        self.calls.append((argv, env))
        verb = " ".join(argv[1:3])
        stdout, code = "", 0
        if verb in self.fail:
            stdout, code = "", 1
        elif argv[0] == "docker":
            stdout, code = (self.control_plane, 0) if self.clusters else ("", 1)
        elif verb == "get clusters":
            stdout = "\n".join(self.clusters)
        elif verb == "get kubeconfig":
            stdout = "apiVersion: v1\nkind: Config\n"
        elif verb == "create cluster":
            self.clusters.append(argv[argv.index("--name") + 1])
        elif verb == "delete cluster":
            self.clusters.remove(argv[argv.index("--name") + 1])
        result = CommandResult(argv, code, stdout, self.fail.get(verb, ""))
        if check and code:
            raise CommandFailed(argv, code, stdout, result.stderr)
        return result

    def kind_calls(self, verb):
        return [argv for argv, _ in self.calls if argv[0] == str(KIND) and " ".join(argv[1:3]) == verb]


@pytest.fixture
def host(monkeypatch, tmp_path):
    fake = FakeHost()
    monkeypatch.setattr(kind, "run", fake)
    monkeypatch.setattr(kind.build, "kind_binary", lambda: KIND)
    monkeypatch.setattr(kind.unprivileged, "docker_shim_dir", lambda: None)
    monkeypatch.setattr(kind.KindCluster, "_require_engine", lambda self: None)
    monkeypatch.setattr(kind.KindCluster, "node_image", lambda self: NODE_IMAGE)
    monkeypatch.setattr(kind.KindCluster, "_wait_nodes_ready", lambda self: None)
    monkeypatch.setattr(kind.KindCluster, "reachable", lambda self: bool(fake.clusters))
    monkeypatch.setattr(kind.Cluster, "reachable", lambda self: bool(fake.clusters))
    monkeypatch.delenv("DEPLOYKIT_KIND_CONFIG", raising=False)
    fake.state = tmp_path
    return fake


def provider(host, **kwargs) -> kind.KindCluster:
    return kind.KindCluster(state=host.state, **kwargs)


def test_kind_is_a_registered_provider():
    assert clusters.provider("kind").NAME == "kind"


def test_start_creates_the_cluster_with_the_node_image_built_here(host):
    cluster = provider(host)
    cluster.start()
    [argv] = host.kind_calls("create cluster")
    config = Path(argv[argv.index("--config") + 1])
    assert argv[argv.index("--name") + 1] == "todo-list-hackathon"
    assert argv[argv.index("--image") + 1] == NODE_IMAGE
    assert argv[argv.index("--kubeconfig") + 1] == cluster.kubeconfig  # not the user's ~/.kube/config
    written = yaml.safe_load(config.read_text())
    assert [node["role"] for node in written["nodes"]] == ["control-plane"]
    assert yaml.safe_load(written["kubeadmConfigPatches"][0])["imageRepository"] == "localhost/todo-kind"


def test_three_node_config_chosen_by_environment(host, monkeypatch):
    monkeypatch.setenv("DEPLOYKIT_KIND_CONFIG", "multi")
    provider(host).start()
    [argv] = host.kind_calls("create cluster")
    written = yaml.safe_load(Path(argv[argv.index("--config") + 1]).read_text())
    assert [node["role"] for node in written["nodes"]] == ["control-plane", "worker", "worker"]


def test_tests_wanting_three_nodes_get_a_multi_node_cluster_of_its_own_name(host):
    cluster = provider(host)
    cluster.want_nodes(3)
    cluster.start()
    [argv] = host.kind_calls("create cluster")
    written = yaml.safe_load(Path(argv[argv.index("--config") + 1]).read_text())
    assert [node["role"] for node in written["nodes"]] == ["control-plane", "worker", "worker"]
    # beside, not instead of, the single-node cluster `make up` starts
    assert argv[argv.index("--name") + 1] == "todo-list-hackathon-multi"


def test_a_config_the_user_named_wins_over_the_node_count_tests_want(host, monkeypatch):
    monkeypatch.setenv("DEPLOYKIT_KIND_CONFIG", "single")
    cluster = provider(host)
    cluster.want_nodes(3)
    assert (cluster.config, cluster.name) == ("single", "todo-list-hackathon")


def test_another_instance_under_its_selection_env_names_the_same_cluster(host, monkeypatch):
    # a test's `deploykit diagnose --cluster kind` must reach the multi-node cluster the session started
    session = provider(host)
    session.want_nodes(3)
    for key, value in session.selection_env().items():
        monkeypatch.setenv(key, value)
    assert kind.KindCluster().name == session.name == "todo-list-hackathon-multi"


def test_unknown_config_is_named_with_the_choices(host):
    with pytest.raises(ClusterUnavailable, match="DEPLOYKIT_KIND_CONFIG is one of: multi, single"):
        provider(host, config="huge")


def test_with_kinds_own_node_image_the_config_is_used_as_it_is(host, monkeypatch):
    monkeypatch.setattr(kind.KindCluster, "node_image", lambda self: None)
    provider(host).start()
    [argv] = host.kind_calls("create cluster")
    assert "--image" not in argv
    written = yaml.safe_load(Path(argv[argv.index("--config") + 1]).read_text())
    assert written == yaml.safe_load((kind.CONFIGS / "single.yaml").read_text())


def test_start_reuses_a_cluster_that_exists(host):
    host.clusters.append("todo-list-hackathon")
    provider(host).start()
    assert host.kind_calls("create cluster") == []
    assert host.kind_calls("get kubeconfig")


def test_stop_deletes_the_cluster_start_created(host):
    cluster = provider(host)
    cluster.start()
    cluster.stop()
    [argv] = host.kind_calls("delete cluster")
    assert argv[argv.index("--name") + 1] == "todo-list-hackathon"
    assert host.clusters == []


def test_stop_deletes_it_from_another_process_too(host):
    provider(host).start()
    provider(host).stop()  # `deploykit cluster-down` after `cluster-up`
    assert host.kind_calls("delete cluster")


def test_stop_leaves_a_cluster_the_user_already_had(host):
    host.clusters.append("todo-list-hackathon")
    cluster = provider(host)
    cluster.start()
    cluster.stop()
    assert host.kind_calls("delete cluster") == []
    assert host.clusters == ["todo-list-hackathon"]


def test_stop_leaves_a_cluster_the_user_made_again_under_the_same_name(host):
    provider(host).start()
    host.control_plane = "a-new-container"  # deleted and created again by hand since
    provider(host).stop()
    assert host.kind_calls("delete cluster") == []


def test_stop_with_no_cluster_says_there_is_nothing_to_stop(host, caplog):
    provider(host).stop()  # `make down` on a machine where nothing was started
    assert host.kind_calls("delete cluster") == []
    assert "no kind cluster todo-list-hackathon runs; nothing to stop" in caplog.text


def test_the_docker_shim_goes_first_on_kinds_path(host, monkeypatch):
    monkeypatch.setattr(kind.unprivileged, "docker_shim_dir", lambda: Path("/cache/kind/docker-shim"))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    provider(host).start()
    kind_envs = [env for argv, env in host.calls if argv[0] == str(KIND)]
    assert kind_envs and all(env["PATH"] == "/cache/kind/docker-shim:/usr/bin:/bin" for env in kind_envs)


def test_no_shim_where_privileged_works(host, monkeypatch):
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    provider(host).start()
    assert all(env["PATH"] == "/usr/bin:/bin" for argv, env in host.calls if argv[0] == str(KIND))


def test_load_images_hands_every_image_to_kind_load(host):
    provider(host).load_images(["todo-list-hackathon/backend:0.3.0", "localhost/todo-base/postgres:17"])
    [argv] = host.kind_calls("load docker-image")
    assert argv[3:] == ["--name", "todo-list-hackathon", "todo-list-hackathon/backend:0.3.0",
                        "localhost/todo-base/postgres:17"]


def test_failed_create_says_so_in_one_line_with_kinds_last_lines(host):
    host.fail["create cluster"] = ("Creating cluster ...\n ✗ Starting control-plane\n"
                                   "ERROR: failed to create cluster: could not find a log line\n")
    with pytest.raises(ClusterUnavailable) as raised:
        provider(host).start()
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("kind create cluster todo-list-hackathon failed:")
    assert "ERROR: failed to create cluster: could not find a log line" in message


def test_kind_that_cannot_be_built_says_so(host, monkeypatch):
    def refused():
        raise CommandFailed(["go", "install", "sigs.k8s.io/kind@v0.33.0"], 1, "", "403 Forbidden")
    monkeypatch.setattr(kind.build, "kind_binary", refused)
    with pytest.raises(ClusterUnavailable, match="kind v0.33.0 cannot be built through the Go module proxy: .*403"):
        provider(host).start()


def test_the_database_claims_kinds_default_storage_class(host):
    assert provider(host).chart_values() == {"postgresql": {"persistence": {"storageClass": "standard"}}}
    assert provider(host).LOCAL_IMAGE_PULL_POLICY == "Never"  # loaded with kind load, never pulled
