"""The node image's images in the engine: a system image whose tag kubeadm fixes is rebuilt when
its inputs change (never kept stale under the same tag), and once a new node image exists the
builds it superseded are removed, unless a container still uses them."""

import docker.errors
import pytest

from deploykit.clusters.kind import nodeimage

REPO = nodeimage.IMAGE_REPOSITORY
DOCKERFILE = "FROM scratch\nCOPY coredns /coredns\n"


class FakeImage:
    def __init__(self, image_id: str, tags: list[str], labels: dict):
        self.id, self.tags, self.labels = image_id, tags, labels


class FakeImages:
    def __init__(self, images: list[FakeImage], in_use: set[str] = frozenset()):
        self.images, self.in_use, self.removed = images, in_use, []

    def list(self, name: str):
        prefix = name.rstrip("*")
        return [i for i in self.images if any(t == name or (name.endswith("*") and t.startswith(prefix))
                                              for t in i.tags)]

    def remove(self, reference: str):
        if reference in self.in_use:
            raise docker.errors.APIError("conflict", explanation=f"{reference} is used by a container")
        self.removed.append(reference)


class FakeClient:
    def __init__(self, images: FakeImages):
        self.images = images


@pytest.fixture
def builds(monkeypatch):
    """The tags built, instead of building them."""
    built = []
    monkeypatch.setattr(nodeimage, "stream_build", lambda client, what, context, **options: built.append(
        (options["tag"], options["labels"][nodeimage.INPUTS_LABEL])))
    return built


def coredns_image(client, binary: str) -> str:
    return nodeimage._context_image(client, f"{REPO}/coredns:v1.12.1", DOCKERFILE, {"coredns": binary})


def test_a_system_image_built_from_the_same_inputs_is_reused(builds, tmp_path):
    binary = tmp_path / "coredns-v1.12.1-go1.26.8-aaa" / "coredns"
    binary.parent.mkdir()
    binary.write_bytes(b"\x7fELF")
    images = FakeImages([])
    coredns_image(FakeClient(images), binary)
    (tag, inputs), = builds
    images.images.append(FakeImage("sha256:old", [tag], {nodeimage.INPUTS_LABEL: inputs}))

    coredns_image(FakeClient(images), binary)

    assert len(builds) == 1
    assert images.removed == []


def test_a_system_image_whose_binary_changed_is_rebuilt_under_its_fixed_tag_and_the_old_one_removed(builds,
                                                                                                      tmp_path):
    rebuilt = tmp_path / "coredns-v1.12.1-go1.26.8-bbb" / "coredns"
    rebuilt.parent.mkdir()
    rebuilt.write_bytes(b"\x7fELF")
    images = FakeImages([FakeImage("sha256:old", [f"{REPO}/coredns:v1.12.1"], {nodeimage.INPUTS_LABEL: "stale"})])

    coredns_image(FakeClient(images), rebuilt)

    assert [tag for tag, _ in builds] == [f"{REPO}/coredns:v1.12.1"]
    assert images.removed == ["sha256:old"]


def test_only_superseded_node_base_and_kindnet_tags_are_named():
    tags = [f"{REPO}/node:v1.34.4-new", f"{REPO}/node:v1.34.4-old", f"{REPO}/kindnet:v0.8.0",
            f"{REPO}/kindnet:v0.8.0-new", f"{REPO}/coredns:v1.12.1", f"{REPO}/base:v0.33.0-new"]
    current = {f"{REPO}/node:v1.34.4-new", f"{REPO}/kindnet:v0.8.0-new", f"{REPO}/coredns:v1.12.1",
               f"{REPO}/base:v0.33.0-new"}

    assert nodeimage.superseded_tags(tags, current) == [f"{REPO}/kindnet:v0.8.0", f"{REPO}/node:v1.34.4-old"]


def test_a_superseded_node_image_a_cluster_still_runs_on_is_kept():
    images = FakeImages([FakeImage("sha256:a", [f"{REPO}/node:v1.34.4-old"], {}),
                         FakeImage("sha256:b", [f"{REPO}/node:v1.34.4-older"], {}),
                         FakeImage("sha256:c", [f"{REPO}/node:v1.34.4-new"], {})],
                        in_use={f"{REPO}/node:v1.34.4-old"})

    nodeimage.remove_superseded(FakeClient(images), {f"{REPO}/node:v1.34.4-new"})

    assert images.removed == [f"{REPO}/node:v1.34.4-older"]
