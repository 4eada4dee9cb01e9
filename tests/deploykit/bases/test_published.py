"""The one table of the official bases' published sizes: every runtime base of a project image
whose stand-in is not faithful has a size there, and every row says where and when it was published."""

import re

import pytest

from deploykit.bases import catalog as bases
from deploykit.bases import published
from deploykit.images import build as images

SIZES = published.published_sizes()


def test_the_table_parses_sizes_and_unpublished_sizes(tmp_path):
    table = tmp_path / "sizes.md"
    table.write_text("| official image | published size (MB) | source | date |\n|---|---|---|---|\n"
                     "| `a:1` | 12.5 | repo-info a.md | 2026-01-02 |\n| `b:2` | — | not published | 2026-01-03 |\n")
    assert published.published_sizes(table) == {
        "a:1": published.Published("a:1", 12.5, "repo-info a.md", "2026-01-02"),
        "b:2": published.Published("b:2", None, "not published", "2026-01-03"),
    }


@pytest.mark.parametrize("component", images.COMPONENTS.values(), ids=images.COMPONENTS)
def test_every_runtime_base_has_a_row_and_an_unfaithful_stand_in_a_size(component):
    base = bases.BASES[component.runtime]
    assert base.official in SIZES, f"docs/BASE-SIZES.md has no row for {base.official}"
    if not base.faithful:
        assert SIZES[base.official].size_mb is not None, f"{base.official}: the estimate needs its published size"


@pytest.mark.parametrize("row", SIZES.values(), ids=SIZES)
def test_every_row_has_a_source_and_a_date(row):
    assert row.source and re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.date)
