"""What each project image ships, read from its exported filesystem (no shell needed inside):
nothing that must not ship, app files the app cannot rewrite, only its own bytecode, and no
certificate of the host's extra CAs. What may ship and why: deploykit/images/shipping.py."""

import pytest

from deploykit.images import files as imagefiles
from deploykit.images import hostca, shipping
from deploykit.testing.asserts import assert_no_findings


@pytest.fixture(scope="module")
def image_files(docker_client, project_images, component, extra_ca_markers):
    return imagefiles.scan(docker_client, project_images[component], extra_ca_markers)


def test_ships_nothing_that_must_not_ship(component, image_files):
    findings = imagefiles.forbidden_findings(image_files, shipping.RULES[component])
    assert_no_findings(findings, f"{component} image contents")


def test_keeps_app_files_owned_by_root_and_read_only_to_the_app(component, image_files, run_specs):
    spec = run_specs[component]
    findings = imagefiles.ownership_findings(image_files, shipping.APP_ROOTS[component], spec.uid, spec.gid)
    assert_no_findings(findings, f"{component} app file ownership")


def test_ships_only_bytecode_compiled_from_its_own_sources(component, image_files):
    findings = imagefiles.bytecode_findings(image_files, shipping.BYTECODE_ROOTS[component])
    assert_no_findings(findings, f"{component} image bytecode")


def test_holds_no_certificate_of_the_host_extra_cas(component, image_files, extra_ca_markers):
    if not extra_ca_markers:
        pytest.skip(f"no *.crt under {hostca.EXTRA_CA_DIR} on this host: no extra CA could leak")
    assert_no_findings(imagefiles.extra_ca_findings(image_files), f"{component} image files")
