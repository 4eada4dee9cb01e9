"""How big the image a user builds online is, proven here without the official bases.

The image's own layers are measured over the base it was built on (its size minus the base's;
the base's layers must be the image's first). Then, by the base it was built on:

* the official base itself: the measured size is the online size;
* a faithful stand-in (bases.catalog.Base.faithful): the same, since the stand-in matches the
  official image;
* any other stand-in: an estimate, the official base's published size (docs/BASE-SIZES.md) plus
  the own layers measured here.
"""

from dataclasses import dataclass

import docker

from deploykit.bases import catalog as bases
from deploykit.bases.published import Published, published_sizes
from deploykit.foundation.errors import ImageBuildError
from deploykit.foundation.findings import Finding
from deploykit.foundation.limits import MB
from deploykit.images.build import COMPONENTS

MEASURED_OFFICIAL = "measured on the official base"
MEASURED_FAITHFUL = "measured on a faithful stand-in"
ESTIMATE = "estimate: the official base's published size + own layers measured over its stand-in"


@dataclass(frozen=True)
class SizeProof:
    component: str
    image: str
    image_mb: float  # the image as built here
    base: str  # the image its final stage was built FROM
    base_mb: float
    official: str  # the base a user gets online
    proof: str  # MEASURED_OFFICIAL, MEASURED_FAITHFUL or ESTIMATE
    online_mb: float  # the size of the image a user builds online
    published: Published | None  # the official base's published size, if the table has it

    @property
    def own_mb(self) -> float:
        return self.image_mb - self.base_mb

    def describe(self) -> str:
        """One line: the online size, which proof gives it, and its parts."""
        if self.proof == ESTIMATE and self.published and self.published.size_mb is not None:
            parts = (f"{self.published.size_mb:.2f} MB published for {self.official} ({self.published.date}) "
                     f"+ {self.own_mb:.2f} MB own layers measured over {self.base}")
        else:
            parts = f"{self.base_mb:.2f} MB base {self.base} + {self.own_mb:.2f} MB own layers"
        return f"{self.component} online: {self.online_mb:.2f} MB, {self.proof} ({parts})"


def _own_layers_sit_on(attrs: dict, base_attrs: dict) -> bool:
    layers, base_layers = attrs["RootFS"]["Layers"], base_attrs["RootFS"]["Layers"]
    return layers[: len(base_layers)] == base_layers


def size_proof(client: docker.DockerClient, component: str, image: str, base: str,
               published: dict | None = None) -> SizeProof:
    """The online size of one project image, built here on `base` (a name bases.ensure_base gave)."""
    catalog_base = bases.BASES[COMPONENTS[component].runtime]
    attrs, base_attrs = client.api.inspect_image(image), client.api.inspect_image(base)
    if not _own_layers_sit_on(attrs, base_attrs):
        raise ImageBuildError(f"{image} was not built on {base}: its layers do not start with the base's")
    image_mb, base_mb = attrs["Size"] / MB, base_attrs["Size"] / MB
    row = (published if published is not None else published_sizes()).get(catalog_base.official)
    if base == catalog_base.official:
        proof, online_mb = MEASURED_OFFICIAL, image_mb
    elif catalog_base.faithful:
        proof, online_mb = MEASURED_FAITHFUL, image_mb
    elif row is None or row.size_mb is None:
        raise ImageBuildError(f"no published size of {catalog_base.official} in docs/BASE-SIZES.md, and "
                              f"{base} is not a faithful stand-in: the online size of {image} is unknown")
    else:
        proof, online_mb = ESTIMATE, row.size_mb + image_mb - base_mb
    return SizeProof(component, image, image_mb, base, base_mb, catalog_base.official, proof, online_mb, row)


def online_size_findings(proof: SizeProof, bound_mb: float) -> list[Finding]:
    """The image users build online is under bound_mb."""
    if proof.online_mb < bound_mb:
        return []
    return [Finding(proof.image, "online size", f"{proof.describe()}: over its limit of {bound_mb:g} MB")]


def project_size_proofs(client: docker.DockerClient, built: dict) -> dict[str, SizeProof]:
    """{component: SizeProof} for the project images in `built` ({component: image name})."""
    return {component: size_proof(client, component, image,
                                  bases.ensure_base(client, bases.BASES[COMPONENTS[component].runtime]))
            for component, image in built.items()}
