"""deploykit.chart.valuesdoc: which values a `# --` comment documents, the README table and the
schema's descriptions."""

import jsonschema
import pytest

from deploykit.chart import valuesdoc

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


SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {
        "image": {"$ref": "#/definitions/image"},
        "resources": {"$ref": "#/definitions/resources"},
        "list": {"type": "array"},
    },
    "definitions": {
        "image": {
            "description": "A definition's own description stays.",
            "type": "object",
            "additionalProperties": False,
            "properties": {"repository": {"type": "string", "minLength": 1}, "tag": {"type": "string"}},
        },
        "resources": {"type": "object"},
    },
}


def _described():
    return valuesdoc.with_descriptions(SCHEMA, valuesdoc.read(VALUES))


def test_describes_values_where_they_are_used_not_in_shared_definitions():
    schema = _described()
    assert schema["properties"]["list"] == {"type": "array"}, "an undocumented key gets no description"
    assert schema["properties"]["resources"] == {
        "description": "Resources, documented as a whole.",
        "allOf": [{"$ref": "#/definitions/resources"}],
    }
    assert schema["properties"]["image"] == {
        "allOf": [{"$ref": "#/definitions/image"}],
        "properties": {"repository": {"description": "Image repository, continued on a second line."}},
    }
    assert schema["definitions"] == SCHEMA["definitions"]
    assert valuesdoc.schema_descriptions(schema) == {
        "image.repository": "Image repository, continued on a second line.",
        "resources": "Resources, documented as a whole.",
    }


def test_described_schema_validates_as_before():
    schema = _described()
    jsonschema.Draft7Validator.check_schema(schema)
    cases = [
        ({"image": {"repository": "app"}}, True),
        ({"image": {"repository": ""}}, False),
        ({"image": {"repository": "app", "extra": 1}}, False),
    ]
    for instance, valid in cases:
        assert jsonschema.Draft7Validator(schema).is_valid(instance) is valid
        assert jsonschema.Draft7Validator(SCHEMA).is_valid(instance) is valid


def test_regenerating_drops_stale_descriptions_and_is_stable():
    schema = _described()
    assert valuesdoc.with_descriptions(schema, valuesdoc.read(VALUES)) == schema
    assert valuesdoc.with_descriptions(schema, []) == SCHEMA


def test_refuses_a_documented_key_the_schema_lacks():
    with pytest.raises(LookupError, match="documents image.digest, but the schema has no digest under image"):
        valuesdoc.with_descriptions(SCHEMA, [valuesdoc.ValueDoc("image.digest", "", "Pinned digest.")])
