"""The extra CA reaches `docker build` inside the context only: chosen from the environment or
the host bundle, added as build-ca/extra-ca.pem, never written to the source tree."""

import tarfile

import pytest

from deploykit.foundation.errors import ImageBuildError
from deploykit.images import buildca

PROXY_CA = b"-----BEGIN CERTIFICATE-----\nUFJPWFlDQQ==\n-----END CERTIFICATE-----\n"
ROOT_CA = b"-----BEGIN CERTIFICATE-----\nUk9PVA==\n-----END CERTIFICATE-----\n"


@pytest.fixture
def host_bundle(tmp_path):
    bundle = tmp_path / "ca-certificates.crt"
    bundle.write_bytes(ROOT_CA + PROXY_CA)
    return bundle


def test_without_a_setting_the_host_bundle_is_the_extra_ca(host_bundle):
    assert buildca.extra_ca({}, host_bundle) == ROOT_CA + PROXY_CA


def test_without_a_setting_or_a_host_bundle_there_is_no_extra_ca(tmp_path):
    assert buildca.extra_ca({}, tmp_path / "missing.crt") == b""


def test_deploykit_build_ca_names_the_bundle(tmp_path, host_bundle):
    proxy = tmp_path / "proxy.pem"
    proxy.write_bytes(PROXY_CA)
    assert buildca.extra_ca({"DEPLOYKIT_BUILD_CA": str(proxy)}, host_bundle) == PROXY_CA


def test_an_empty_deploykit_build_ca_means_none(host_bundle):
    assert buildca.extra_ca({"DEPLOYKIT_BUILD_CA": ""}, host_bundle) == b""


def test_a_missing_ca_file_is_a_clear_error(tmp_path, host_bundle):
    with pytest.raises(ImageBuildError, match="DEPLOYKIT_BUILD_CA=.*missing.pem: cannot read it"):
        buildca.extra_ca({"DEPLOYKIT_BUILD_CA": str(tmp_path / "missing.pem")}, host_bundle)


def test_a_file_without_certificates_is_a_clear_error(tmp_path, host_bundle):
    (tmp_path / "key.pem").write_text("-----BEGIN PRIVATE KEY-----\n")
    with pytest.raises(ImageBuildError, match="holds no PEM certificate"):
        buildca.extra_ca({"DEPLOYKIT_BUILD_CA": str(tmp_path / "key.pem")}, host_bundle)


@pytest.fixture
def component(tmp_path):
    """A component with ignored files and a build-ca/ folder of its own in the source tree."""
    root = tmp_path / "frontend"
    (root / "src").mkdir(parents=True)
    (root / "build-ca").mkdir()
    (root / "node_modules").mkdir()
    (root / "Dockerfile").write_text("FROM scratch\n")
    (root / ".dockerignore").write_text("# only sources\n\n*\n!src/\n!build-ca/\nsrc/*.test.ts\n")
    (root / "src" / "page.tsx").write_text("page")
    (root / "src" / "page.test.ts").write_text("test")
    (root / "node_modules" / "left-pad.js").write_text("pad")
    (root / "build-ca" / "extra-ca.pem").write_bytes(ROOT_CA)  # a stale one a person left there
    (root / "build-ca" / "README.md").write_text("readme")
    return root


def _members(context) -> dict:
    with tarfile.open(fileobj=context) as tar:
        return {m.name: (tar.extractfile(m).read() if m.isreg() else None) for m in tar}


def test_dockerignore_patterns_skip_comments_and_blank_lines(component):
    assert buildca.dockerignore_patterns(component) == ["*", "!src/", "!build-ca/", "src/*.test.ts"]


def test_the_context_honours_dockerignore_and_always_sends_the_dockerfile(component):
    members = _members(buildca.build_context(component, PROXY_CA))
    assert "src/page.tsx" in members and "Dockerfile" in members
    assert "src/page.test.ts" not in members and "node_modules/left-pad.js" not in members


def test_the_context_carries_exactly_the_chosen_ca(component):
    members = _members(buildca.build_context(component, PROXY_CA))
    assert members["build-ca/extra-ca.pem"] == PROXY_CA
    assert "build-ca/README.md" not in members, "build-ca/ in the context is deploykit's alone"


def test_without_an_extra_ca_the_context_holds_an_empty_pem(component):
    assert _members(buildca.build_context(component, b""))["build-ca/extra-ca.pem"] == b""


def test_building_a_context_writes_nothing_to_the_source_tree(component):
    before = {path: path.read_bytes() for path in component.rglob("*") if path.is_file()}
    buildca.build_context(component, PROXY_CA)
    assert {path: path.read_bytes() for path in component.rglob("*") if path.is_file()} == before


def test_a_component_without_a_dockerfile_is_a_clear_error(tmp_path):
    with pytest.raises(ImageBuildError, match="Dockerfile does not exist"):
        buildca.build_context(tmp_path, PROXY_CA)


def test_certificates_are_compared_by_their_base64_body():
    assert buildca.certificates(ROOT_CA + PROXY_CA) == {b"Uk9PVA==", b"UFJPWFlDQQ=="}
    assert buildca.certificates(b"no certificate here") == set()
