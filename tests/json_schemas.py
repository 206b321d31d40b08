"""The shipped JSON Schemas, validated as any offline validator would read them.

The root schema is named by its file's own ``file:`` address, and the only way a
reference can be fetched is from the file system: a ``$ref`` that leaves the
schemas' folder for the network (or for a name given here by hand) fails, so a
test that passes proves the schemas refer to each other relatively.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jsonschema
import referencing
import referencing.exceptions
import referencing.jsonschema
from helpers import ROOT

SCHEMAS = ROOT / "foracheck" / "schemas"


def _from_disk(uri: str) -> referencing.Resource[Any]:
    """A referenced schema, read from a ``file:`` address only (never the network)."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        raise referencing.exceptions.NoSuchResource(ref=uri)
    contents = json.loads(Path(url2pathname(parts.path)).read_text("utf-8"))
    return referencing.jsonschema.DRAFT202012.create_resource(contents)


@functools.cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    """A validator of the shipped schema ``name`` that resolves references from disk
    (made once: a validator keeps nothing of the documents it checks)."""
    uri = (SCHEMAS / name).as_uri()
    registry: referencing.Registry[Any] = referencing.Registry(retrieve=_from_disk)
    return jsonschema.Draft202012Validator(
        {"$ref": uri},
        registry=registry,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
