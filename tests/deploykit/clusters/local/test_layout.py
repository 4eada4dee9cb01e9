"""The local cluster's daemon configurations: the kubelet never garbage-collects imported
images, and containerd uses the locally built pause image."""

import yaml

from deploykit.clusters.local import build, layout


def test_kubelet_config_never_garbage_collects_imported_images(tmp_path):
    paths = layout.Layout(state=tmp_path / "state", run=tmp_path / "run")
    paths.create()
    config = yaml.safe_load(layout.write_kubelet_config(paths).read_text())
    assert config["imageGCHighThresholdPercent"] == 100
    assert config["cgroupDriver"] == "cgroupfs"
    assert config["clusterDNS"] == [layout.DNS_SERVICE_IP]
    assert config["containerRuntimeEndpoint"] == f"unix://{paths.containerd_socket}"


def test_containerd_config_uses_honest_local_pause_image(tmp_path):
    paths = layout.Layout(state=tmp_path / "state", run=tmp_path / "run")
    paths.create()
    text = layout.write_containerd_config(paths).read_text()
    assert f'sandbox_image = "{build.PAUSE_IMAGE}"' in text
    assert build.PAUSE_IMAGE.startswith("localhost/")
    assert "SystemdCgroup = false" in text

