"""Each project image's metadata says it runs as the chart expects, fits its budget and carries
no secret: read from `docker image inspect` and `docker history`, so no shell is needed inside
the image and a shell-less image is covered as well."""

import pytest

from deploykit.foundation import artifacts, limits
from deploykit.images import checks as imagechecks
from deploykit.images import hostca, sizeproof
from deploykit.testing.asserts import assert_no_findings


def test_declares_the_chart_uid_as_a_numeric_non_root_user(component, image_metadata, run_specs):
    findings = imagechecks.user_findings(image_metadata[component], expected_uid=run_specs[component].uid)
    assert_no_findings(findings, f"{component} image USER")


def test_fits_the_image_size_limit(component, image_metadata):
    budget, meta = limits.IMAGE_SIZE_MB[component], image_metadata[component]
    size_mb = meta.size / limits.MB
    print(f"{component} image: {size_mb:.1f} MB (bound {budget.bound:g} MB, target {budget.target:g} MB)")
    artifacts.record("image-size", component, artifacts.measured(size_mb, budget, image=meta.name))
    assert_no_findings(imagechecks.size_findings(meta, budget.bound), f"{component} image size")


@pytest.fixture(scope="session")
def size_proofs(docker_client, project_images) -> dict:
    return sizeproof.project_size_proofs(docker_client, project_images)


def test_the_image_users_build_online_fits_the_image_size_limit(component, size_proofs):
    """Measured when built on the official base or a faithful stand-in; otherwise the official
    base's published size (docs/BASE-SIZES.md) plus this image's own layers measured over its stand-in."""
    budget, proof = limits.IMAGE_SIZE_MB[component], size_proofs[component]
    print(f"{proof.describe()}; bound {budget.bound:g} MB, target {budget.target:g} MB")
    artifacts.record("image-size-online", component,
                     artifacts.measured(proof.online_mb, budget, image=proof.image, proof=proof.proof))
    assert_no_findings(sizeproof.online_size_findings(proof, budget.bound), f"{component} image size online")


def test_exposes_exactly_the_chart_container_port(component, image_metadata, run_specs):
    findings = imagechecks.port_findings(image_metadata[component], {run_specs[component].port})
    assert_no_findings(findings, f"{component} image EXPOSE")


def test_starts_its_server_in_exec_form(component, image_metadata):
    assert_no_findings(imagechecks.exec_form_findings(image_metadata[component]), f"{component} image command")


def test_carries_oci_labels_with_the_chart_version(component, image_metadata, chart_version):
    findings = imagechecks.label_findings(image_metadata[component], chart_version)
    assert_no_findings(findings, f"{component} image labels")


def test_holds_no_secret_in_env_labels_or_history(component, image_metadata):
    assert_no_findings(imagechecks.secret_findings(image_metadata[component]), f"{component} image secrets")


def test_holds_no_extra_ca_certificate_in_config_or_history(component, image_metadata, extra_ca_markers):
    if not extra_ca_markers:
        pytest.skip(f"no *.crt under {hostca.EXTRA_CA_DIR} on this host: no extra CA could leak")
    findings = imagechecks.extra_ca_findings(image_metadata[component], extra_ca_markers)
    assert_no_findings(findings, f"{component} image config and history")
