"""The official bases' published uncompressed sizes, read from the one table that records them
(docs/BASE-SIZES.md) with the source and date of each figure."""

import re
from dataclasses import dataclass
from pathlib import Path

from deploykit.foundation import paths

TABLE = paths.REPO / "docs" / "BASE-SIZES.md"
_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|\s*$")


@dataclass(frozen=True)
class Published:
    image: str
    size_mb: float | None  # None: the publisher gives no size in bytes
    source: str
    date: str


def published_sizes(table: Path = TABLE) -> dict[str, Published]:
    """{official image: Published} for every row of the table."""
    found = {}
    for line in Path(table).read_text().splitlines():
        if match := _ROW.match(line):
            image, size, source, date = match.groups()
            found[image] = Published(image, float(size) if re.fullmatch(r"\d+(\.\d+)?", size) else None,
                                     source, date)
    return found
