"""Schemathesis hooks for Scripts/schemathesis (loaded through SCHEMATHESIS_HOOKS).

openapi.json states every rule of a pipeline document that JSON Schema can express. Two it
cannot, so generated bodies that break them are dropped here rather than reported as "valid
data rejected" (both rules are covered by the Swift tests and stated in the document's prose):

- Stage names are unique within a pipeline, canonically equivalent spellings counting as the
  same name (422 `Stage names must be unique.`). `uniqueItems` states only part of it.
- A `timeout` is a JSON integer literal: `600.0` and `6e2` are refused. JSON Schema compares
  values, and to it `600.0` is the integer 600, so its `integer` type cannot say this.
"""
import unicodedata

import schemathesis


def _unique_names(stages):
    names = [
        unicodedata.normalize("NFC", stage["name"])
        for stage in stages
        if isinstance(stage, dict) and isinstance(stage.get("name"), str)
    ]
    return len(names) == len(set(names))


def _integer_literal_timeouts(stages):
    return not any(
        isinstance(stage, dict) and isinstance(stage.get("timeout"), float) and stage["timeout"].is_integer()
        for stage in stages
    )


@schemathesis.hook
def filter_body(ctx, body):
    stages = body.get("stages") if isinstance(body, dict) else None
    if not isinstance(stages, list):
        return True
    return _unique_names(stages) and _integer_literal_timeouts(stages)
