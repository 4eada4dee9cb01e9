"""deploykit.valuesdoc: which values a `# --` comment documents, and the README table."""

from deploykit import valuesdoc

VALUES = """\
# A file comment, not a value's.

image:
  # -- Image repository,
  # continued on a second line.
  repository: app
  tag: ""
# -- Resources, documented as a whole.
resources:
  requests:
    cpu: 10m
list:
  - a
"""


def test_documents_keys_with_comment_and_covers_their_children():
    docs = valuesdoc.read(VALUES)
    assert [(d.key, d.description) for d in docs] == [
        ("image.repository", "Image repository, continued on a second line."),
        ("image.tag", None),
        ("resources", "Resources, documented as a whole."),
        ("list", None),
    ]
    assert docs[2].default == {"requests": {"cpu": "10m"}}


def test_writes_markdown_table_escaping_pipes():
    table = valuesdoc.table([valuesdoc.ValueDoc("a.b", ["x"], "one | two")])
    assert table.splitlines()[-1] == '| `a.b` | `["x"]` | one \\| two |'
