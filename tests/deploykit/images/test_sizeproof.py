"""The online size proof: measured when the image was built on the official base or a faithful
stand-in, otherwise the official base's published size plus the own layers measured here."""

from types import SimpleNamespace

import pytest

from deploykit.bases import catalog as bases
from deploykit.bases.published import Published
from deploykit.foundation.errors import ImageBuildError
from deploykit.foundation.limits import MB
from deploykit.images import sizeproof


class FakeEngine:
    def __init__(self, images):
        self.images_attrs = images  # name -> (size in bytes, layers)
        self.api = SimpleNamespace(inspect_image=self._inspect)

    def _inspect(self, name):
        size, layers = self.images_attrs[name]
        return {"Size": size, "RootFS": {"Layers": list(layers)}}


NGINX, PYTHON = bases.BASES["nginx"], bases.BASES["python"]
PUBLISHED = {NGINX.official: Published(NGINX.official, 12.76, "repo-info", "2026-08-19"),
             PYTHON.official: Published(PYTHON.official, None, "not published", "2026-08-21")}


def _engine(base, base_mb, image_mb, on_base=True):
    base_layers = ("sha256:b1", "sha256:b2")
    image_layers = (base_layers if on_base else ("sha256:x",)) + ("sha256:own",)
    return FakeEngine({base: (int(base_mb * MB), base_layers), "img": (int(image_mb * MB), image_layers)})


def test_an_image_on_a_stand_in_that_is_not_faithful_is_estimated_from_the_published_size():
    proof = sizeproof.size_proof(_engine(NGINX.local, 16.92, 17.81), "frontend", "img", NGINX.local, PUBLISHED)
    assert proof.proof == sizeproof.ESTIMATE
    assert proof.online_mb == pytest.approx(12.76 + 0.89)
    assert "12.76 MB published for nginxinc/nginx-unprivileged" in proof.describe()
    assert proof.describe().startswith("frontend online: 13.65 MB, estimate")


def test_an_image_on_a_faithful_stand_in_is_measured():
    proof = sizeproof.size_proof(_engine(PYTHON.local, 59.55, 112.82), "backend", "img", PYTHON.local, PUBLISHED)
    assert (proof.proof, proof.online_mb) == (sizeproof.MEASURED_FAITHFUL, pytest.approx(112.82))
    assert proof.own_mb == pytest.approx(53.27)


def test_an_image_on_the_official_base_is_measured_whatever_the_stand_in():
    proof = sizeproof.size_proof(_engine(NGINX.official, 12.76, 13.65), "frontend", "img", NGINX.official, PUBLISHED)
    assert (proof.proof, proof.online_mb) == (sizeproof.MEASURED_OFFICIAL, pytest.approx(13.65))


def test_an_image_not_built_on_the_given_base_is_refused():
    with pytest.raises(ImageBuildError, match="not built on"):
        sizeproof.size_proof(_engine(NGINX.local, 16.92, 17.81, on_base=False), "frontend", "img", NGINX.local,
                             PUBLISHED)


def test_without_a_published_size_an_unfaithful_stand_in_proves_nothing():
    with pytest.raises(ImageBuildError, match="online size of img is unknown"):
        sizeproof.size_proof(_engine(NGINX.local, 16.92, 17.81), "frontend", "img", NGINX.local, {})


def test_an_online_size_at_the_limit_is_a_finding_that_shows_the_proof():
    proof = sizeproof.size_proof(_engine(NGINX.local, 16.92, 17.81), "frontend", "img", NGINX.local, PUBLISHED)
    assert sizeproof.online_size_findings(proof, 200) == []
    (finding,) = sizeproof.online_size_findings(proof, 13)
    assert "over its limit of 13 MB" in str(finding) and "estimate" in str(finding)
