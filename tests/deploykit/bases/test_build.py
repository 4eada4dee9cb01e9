"""deploykit.bases.build: mmdebstrap gets the slimming rules, hooks and the host's mirrors, and
the image's settings go through a metadata-only Dockerfile."""

from pathlib import Path

from deploykit.bases import build as basebuild
from deploykit.bases import catalog as bases


def test_mmdebstrap_gets_the_slimming_rules_hooks_and_mirrors(monkeypatch):
    monkeypatch.setenv("DEPLOYKIT_DEBIAN_MIRROR", "http://mirror.test/debian")
    argv = basebuild.mmdebstrap_argv(bases.BASES["postgres"], Path("/cache/postgres.tar"))
    assert argv[:3] == ["mmdebstrap", "--variant=essential", "--include=postgresql-17"]
    assert "--dpkgopt=path-exclude=/usr/share/doc/*" in argv
    assert "--dpkgopt=path-exclude=/usr/share/locale/*" in argv
    hooks = [arg.split("=", 1)[0] for arg in argv if "-hook=" in arg]
    assert hooks == ["--essential-hook", "--customize-hook"]
    assert "--skip=cleanup/run" in argv
    assert argv[argv.index("trixie") + 1] == "/cache/postgres.tar"
    assert "deb http://mirror.test/debian trixie main" in argv


def test_the_extract_variant_runs_its_hook_at_the_extract_step():
    argv = basebuild.mmdebstrap_argv(bases.BASES["busybox"], Path("/cache/busybox.tar"))
    assert [arg.split("=", 1)[0] for arg in argv if "-hook=" in arg] == ["--extract-hook"]


def test_image_settings_and_labels_go_through_a_metadata_only_dockerfile():
    dockerfile = basebuild.image_config("sha256:abc", bases.BASES["nginx"], {"b.label": "x y", "a.label": "1"})
    lines = dockerfile.splitlines()
    assert lines[0] == "FROM sha256:abc"
    assert "STOPSIGNAL SIGQUIT" in lines
    assert lines[-2:] == ['LABEL a.label="1"', 'LABEL b.label="x y"']
    assert not any(line.split()[0] in ("RUN", "COPY", "ADD") for line in lines), "adds no layer"

