"""The bench's image figures carry the online size, with its proof, beside the size measured here."""

from types import SimpleNamespace

from deploykit.bench.measures import imagesize
from deploykit.foundation.limits import IMAGE_SIZE_MB, MB

LAYERS = {"base": ["sha256:b"], "frontend:1": ["sha256:b", "sha256:own"]}
SIZES = {"base": 16.92, "frontend:1": 17.81}


def test_the_online_size_is_reported_against_the_target(monkeypatch):
    client = SimpleNamespace(api=SimpleNamespace(
        inspect_image=lambda name: {"Size": int(SIZES[name] * MB), "RootFS": {"Layers": LAYERS[name]}}))
    monkeypatch.setattr(imagesize, "gzipped_size", lambda client, name: 7 * MB)
    monkeypatch.setattr(imagesize, "largest_files", lambda client, name: [])
    found, _ = imagesize.figures(client, {"frontend": "frontend:1"}, {"nginx": "base", "node": "node"})
    online = next(f for f in found if f.key == "image.frontend.online")
    assert online.budget == IMAGE_SIZE_MB["frontend"]
    assert round(online.value, 2) == 13.65  # 12.76 published (docs/BASE-SIZES.md) + 0.89 own
    assert online.how.startswith("estimate") and "12.76 MB published" in online.note
