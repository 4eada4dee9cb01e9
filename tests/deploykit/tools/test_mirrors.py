"""deploykit.tools.mirrors: packages come from the host's own configured mirrors, read from its
apt sources in either format, an explicit DEPLOYKIT_DEBIAN_* setting winning; no mirror, one line
that says what to set."""

import pytest

from deploykit.foundation.errors import ToolMissing
from deploykit.tools import mirrors


@pytest.fixture
def sources(tmp_path, monkeypatch):
    for name in ("DEPLOYKIT_DEBIAN_MIRROR", "DEPLOYKIT_DEBIAN_SECURITY_MIRROR"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "sources.list.d").mkdir()
    return tmp_path


def test_one_line_and_deb822_sources_give_the_archive_and_security_mirrors(sources):
    (sources / "sources.list").write_text("# deb http://old.example/debian buster main\n"
                                          "deb [arch=amd64] http://mirror.example/debian/ bookworm main\n")
    (sources / "sources.list.d" / "security.sources").write_text(
        "Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\nComponents: main\n")

    found = mirrors.debian((sources / "sources.list", sources / "sources.list.d"))

    assert found == mirrors.DebianMirrors("http://mirror.example/debian", "http://mirror.example/debian-security")


def test_a_disabled_stanza_is_not_a_mirror_and_an_explicit_setting_wins(sources, monkeypatch):
    (sources / "sources.list.d" / "debian.sources").write_text(
        "Types: deb\nURIs: http://off.example/debian\nSuites: bookworm\nEnabled: no\n\n"
        "Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\n")
    monkeypatch.setenv("DEPLOYKIT_DEBIAN_MIRROR", "http://set.example/debian")

    found = mirrors.debian((sources / "sources.list", sources / "sources.list.d"))

    assert found.archive == "http://set.example/debian"


def test_no_mirror_says_what_to_set(sources):
    with pytest.raises(ToolMissing, match="no Debian archive mirror in this host's apt sources .*; "
                                          "set DEPLOYKIT_DEBIAN_MIRROR"):
        mirrors.debian((sources / "sources.list", sources / "sources.list.d"))
