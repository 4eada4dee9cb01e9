"""One process at a time for work that parallel sessions share: a cold download, extraction or
build that two pytest processes (or two layers' runs) would otherwise both start, racing on the
same files."""

import contextlib
import fcntl
from collections.abc import Iterator

from deploykit.foundation.paths import cache_dir


@contextlib.contextmanager
def exclusive(name: str) -> Iterator[None]:
    """Hold the lock called name (a file under the cache's locks/ folder) for the block; whoever
    waited re-checks what the holder may have made meanwhile."""
    with open(cache_dir("locks") / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
