"""traefikbuild prepares Traefik's module source with exactly its three documented changes, and
refuses a source that no longer reads as expected instead of building something else."""

import pytest

from deploykit.edge import traefikbuild
from deploykit.foundation.errors import ImageBuildError

PROVIDER = f'''package acme

import (
	"fmt"
{traefikbuild.DNS_IMPORT}	"time"
)

func f() {{
		{traefikbuild.DNS_CALL}
}}
'''


@pytest.fixture
def module(tmp_path, monkeypatch):
    source = tmp_path / "module"
    (source / "pkg" / "provider" / "acme").mkdir(parents=True)
    (source / "go.mod").write_text("module github.com/traefik/traefik/v3\n")
    (source / traefikbuild.ACME_PROVIDER).write_text(PROVIDER)
    source.chmod(0o555)
    edits = []
    monkeypatch.setattr(traefikbuild.golang, "module_dir", lambda *args: source)
    monkeypatch.setattr(traefikbuild.golang, "go", lambda why: "go")
    monkeypatch.setattr(traefikbuild, "run", lambda argv, **kwargs: edits.append(argv))
    return source, edits


def test_prepare_applies_the_three_changes(module, tmp_path):
    work = tmp_path / "work"
    traefikbuild._prepare(work)
    _, edits = module
    provider = (work / traefikbuild.ACME_PROVIDER).read_text()
    assert traefikbuild.DNS_IMPORT not in provider and traefikbuild.DNS_REFUSAL in provider
    assert (work / "pkg/config/dynamic/ext/ext.go").read_text().count("struct{}") == 2
    assert edits == [["go", "mod", "edit", "-replace=github.com/abbot/go-http-auth="
                      "github.com/containous/go-http-auth@v0.4.1-0.20200324110947-a37a7636d23e"]]


def test_prepare_refuses_a_provider_that_changed(module, tmp_path):
    source, _ = module
    source.chmod(0o755)
    (source / traefikbuild.ACME_PROVIDER).write_text("package acme\n")
    with pytest.raises(ImageBuildError, match="no longer reads as this build expects"):
        traefikbuild._prepare(tmp_path / "work")
