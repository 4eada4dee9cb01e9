"""Base images: official where the engine has or can pull them, else honest local equivalents
built from Debian packages, rebuilt only when their recipe changes."""

import contextlib
import dataclasses
from types import SimpleNamespace

import docker
import pytest

from deploykit.bases import build as basebuild
from deploykit.bases import catalog as bases
from deploykit.chart import crosslayer
from deploykit.images import build as images

CONTRACT_NAMES = {
    "python-build": "localhost/todo-base/debian:13-slim",
    "python": "localhost/todo-base/python:3.13-distroless",
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


@pytest.mark.parametrize("role", ["nginx", "postgres"])
def test_runtime_bases_shed_the_package_installers(role):
    cut = set(bases.BASES[role].selection.cut)
    assert {"dpkg", "debconf", "perl-base"} <= cut


def test_the_distroless_stand_in_unpacks_only_its_package_list_like_distroless():
    """No maintainer scripts, no dependency closure: what is not listed (dpkg, apt, a shell) is absent."""
    python = bases.BASES["python"]
    assert python.variant == "extract" and python.selection is None
    assert {"dpkg", "apt", "dash", "bash", "debconf", "perl-base", "python3-pip"}.isdisjoint(python.include)
    assert {"libc6", "python3.13-minimal", "libpython3.13-stdlib", "python3.13-venv"} <= set(python.include)
    assert (basebuild.RECIPES / "python" / "hook.sh").is_file()


def test_the_python_stand_in_runs_like_distroless_nonroot():
    changes = set(bases.BASES["python"].changes)
    assert {"USER 65532", 'ENTRYPOINT ["/usr/bin/python3.13"]', "WORKDIR /home/nonroot"} <= changes


def test_the_builder_and_the_runtime_are_the_same_debian_release():
    """The venv made in the builder runs unchanged on the runtime: same release, same python3.13."""
    assert bases.BASES["python-build"].suite == bases.BASES["python"].suite == "trixie"
    assert bases.BASES["python-build"].variant == "minbase"


@pytest.mark.parametrize(("role", "faithful"), [
    ("python", True), ("python-build", True), ("node", False), ("nginx", False), ("postgres", False),
    ("busybox", False),
])
def test_only_the_debian_stand_ins_of_debian_images_claim_to_be_faithful(role, faithful):
    """An Alpine image cannot be matched from Debian packages (other libc, other package set)."""
    assert bases.BASES[role].faithful is faithful


@pytest.mark.parametrize("component", images.COMPONENTS.values(), ids=images.COMPONENTS)
def test_the_dockerfiles_default_to_the_official_bases_of_the_catalog(component):
    defaults = crosslayer.global_arg_defaults(component.directory / "Dockerfile")
    assert {arg: defaults.get(arg) for arg in component.base_args} == {
        arg: bases.BASES[role].official for arg, role in component.base_args.items()
    }


def test_a_claim_of_faithfulness_does_not_change_the_recipe_hash():
    python = bases.BASES["python"]
    assert bases.recipe_hash(dataclasses.replace(python, faithful=False)) == bases.recipe_hash(python)


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

