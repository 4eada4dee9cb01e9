"""A code-only change is made in a copy of the build context, never in the repository."""

import io
import tarfile

import pytest

from deploykit.bench.measures.builds import with_comment_line
from deploykit.foundation.errors import ImageBuildError


def context(files: dict) -> io.BytesIO:
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    data.seek(0)
    return data


def members(tar_bytes: io.BytesIO) -> dict:
    with tarfile.open(fileobj=tar_bytes) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isreg()}


def test_with_comment_line_adds_one_line_to_the_named_file_only():
    changed = with_comment_line(context({"main.py": b"app = 1\n", "Dockerfile": b"FROM x\n"}), "main.py",
                                "# a code-only change")
    assert members(changed) == {"main.py": b"app = 1\n# a code-only change\n", "Dockerfile": b"FROM x\n"}


def test_with_comment_line_refuses_a_context_without_the_file():
    with pytest.raises(ImageBuildError, match="no main.py"):
        with_comment_line(context({"Dockerfile": b"FROM x\n"}), "main.py", "# change")
