"""Base images: official where the engine has or can pull them, else honest local equivalents
built from Debian packages, rebuilt only when their recipe changes."""

import contextlib
import dataclasses
from types import SimpleNamespace

import docker
import pytest

from deploykit.bases import build as basebuild
from deploykit.bases import catalog as bases

CONTRACT_NAMES = {
    "python-build": "localhost/todo-base/python:3.13-slim-build",
    "python": "localhost/todo-base/python:3.13-slim",
    "node": "localhost/todo-base/node:20",
}


class FakeEngine:
    """The parts of docker.DockerClient the policy uses: local images, a registry, pulls."""

    def __init__(self, local=None, registry=()):
        self.local = dict(local or {})  # name -> labels
        self.registry = set(registry)
        self.probes, self.pulls, self.builds = [], [], []
        self.images = SimpleNamespace(get=self._get, pull=self._pull)
        self.api = SimpleNamespace(timeout=60, inspect_distribution=self._probe)

    def _get(self, name):
        if name not in self.local:
            raise docker.errors.ImageNotFound(name)
        return SimpleNamespace(labels=self.local[name])

    def _probe(self, name):
        self.probes.append((name, self.api.timeout))
        if name not in self.registry:
            raise docker.errors.APIError("dial tcp: lookup registry-1.docker.io: no such host")

    def _pull(self, name):
        self.pulls.append(name)
        self.local[name] = {}


@pytest.fixture
def policy(monkeypatch, tmp_path):
    """A fresh per-process registry memory, a private cache, and builds recorded instead of run."""
    monkeypatch.setattr(bases, "_registry_answers", {})
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("DEPLOYKIT_BASES", raising=False)

    def fake_build(client, base, labels):
        client.builds.append(base.role)
        client.local[base.local] = labels

    monkeypatch.setattr(basebuild, "build", fake_build)


BUSYBOX = bases.BASES["busybox"]


def test_the_contract_names_are_the_local_names():
    assert {role: bases.BASES[role].local for role in CONTRACT_NAMES} == CONTRACT_NAMES


@pytest.mark.parametrize("base", bases.BASES.values(), ids=bases.BASES)
def test_a_local_base_has_an_honest_name_of_its_own(base):
    assert base.local.startswith("localhost/todo-base/")
    assert base.local != base.official
    assert ":" in base.local.rsplit("/", 1)[1], "local bases are pinned by tag"


def test_local_names_are_unique():
    assert len({base.local for base in bases.BASES.values()}) == len(bases.BASES)


def test_every_recipe_folder_belongs_to_a_base():
    folders = {path.name for path in basebuild.RECIPES.iterdir() if path.is_dir()}
    assert folders <= set(bases.BASES)


@pytest.mark.parametrize("role", ["python", "nginx", "postgres"])
def test_runtime_bases_shed_the_package_installers(role):
    cut = set(bases.BASES[role].selection.cut)
    assert {"dpkg", "debconf", "perl-base"} <= cut


def test_the_python_runtime_keeps_the_interpreter_links_the_build_image_has():
    """A venv made in the build image points at /usr/bin/python3; both images must have it."""
    runtime = bases.BASES["python"].selection
    assert {"python3.13", "python3-minimal", "python-is-python3"} <= set(runtime.packages)
    assert "python-is-python3" in bases.BASES["python-build"].include
    assert "usr/lib/python3.13/ensurepip*" in runtime.drop


def test_nginx_behaves_like_nginx_unprivileged():
    changes = bases.BASES["nginx"].changes
    assert {"USER 101", "EXPOSE 8080", "STOPSIGNAL SIGQUIT"} <= set(changes)


def test_postgres_runs_its_entrypoint_as_a_fixed_non_root_uid():
    postgres = bases.BASES["postgres"]
    assert "USER 999:999" in postgres.changes
    assert 'ENTRYPOINT ["docker-entrypoint.sh"]' in postgres.changes
    assert (basebuild.RECIPES / "postgres" / "docker-entrypoint.sh").is_file()


def test_recipe_hash_is_stable_and_follows_every_field():
    python = bases.BASES["python"]
    assert bases.recipe_hash(python) == bases.recipe_hash(python)
    changed = dataclasses.replace(python, include=(*python.include, "curl"))
    assert bases.recipe_hash(changed) != bases.recipe_hash(python)


def test_recipe_hash_follows_the_recipe_files(tmp_path, monkeypatch):
    monkeypatch.setattr(basebuild, "RECIPES", tmp_path)
    (tmp_path / "nginx").mkdir()
    hook = tmp_path / "nginx" / "hook.sh"
    hook.write_text("echo one\n")
    before = bases.recipe_hash(bases.BASES["nginx"])
    hook.write_text("echo two\n")
    assert bases.recipe_hash(bases.BASES["nginx"]) != before


def test_an_official_image_already_present_is_used(policy):
    engine = FakeEngine(local={BUSYBOX.official: {}})
    assert bases.ensure_base(engine, BUSYBOX) == BUSYBOX.official
    assert engine.probes == [] and engine.builds == []


def test_a_pullable_official_image_is_pulled_and_used(policy):
    engine = FakeEngine(registry={BUSYBOX.official})
    assert bases.ensure_base(engine, BUSYBOX) == BUSYBOX.official
    assert engine.pulls == [BUSYBOX.official]


def test_without_a_registry_the_local_equivalent_is_built_once(policy):
    engine = FakeEngine()
    assert bases.ensure_base(engine, BUSYBOX) == BUSYBOX.local
    assert bases.ensure_base(engine, BUSYBOX) == BUSYBOX.local
    assert engine.builds == ["busybox"]
    assert engine.probes == [(BUSYBOX.official, bases.REGISTRY_PROBE_TIMEOUT)], "one short probe per process"
    assert engine.api.timeout == 60, "the client's own timeout is restored"


def test_a_local_equivalent_from_another_recipe_is_rebuilt(policy):
    engine = FakeEngine(local={BUSYBOX.local: {bases.LABEL: "an-older-recipe"}})
    bases.ensure_base(engine, BUSYBOX)
    assert engine.builds == ["busybox"]
    assert engine.local[BUSYBOX.local][bases.LABEL] == bases.recipe_hash(BUSYBOX)
    assert engine.local[BUSYBOX.local][basebuild.EQUIVALENT_LABEL] == BUSYBOX.official


def test_a_base_another_process_built_while_this_one_waited_is_not_built_again(policy, monkeypatch):
    engine = FakeEngine()

    @contextlib.contextmanager
    def lock_released_after_the_other_build(base):
        engine.local[base.local] = {bases.LABEL: bases.recipe_hash(base)}
        yield

    monkeypatch.setattr(bases, "_exclusive", lock_released_after_the_other_build)
    assert bases.ensure_base(engine, BUSYBOX) == BUSYBOX.local
    assert engine.builds == []


def test_deploykit_bases_local_uses_the_local_equivalent_even_where_official_ones_exist(policy, monkeypatch):
    monkeypatch.setenv("DEPLOYKIT_BASES", "local")
    engine = FakeEngine(local={BUSYBOX.official: {}}, registry={BUSYBOX.official})
    assert bases.ensure_base(engine, BUSYBOX) == BUSYBOX.local
    assert engine.probes == [] and engine.pulls == []

