"""The JSON Schema of the case format, for editors that autocomplete YAML."""

from __future__ import annotations

import json

from sipdocs.model import FORMAT, Case


def json_schema() -> str:
    """The schema of `Case` as indented JSON, with Swedish descriptions."""
    schema = Case.model_json_schema(mode="validation")
    schema["title"] = "SIP-ärende (sipdocs format 1)"
    schema["description"] = (
        "Ett ärende om samordnad individuell plan: underlaget för alla dokument."
    )
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:sipdocs:{FORMAT}",
        **schema,
    }
    return json.dumps(schema, ensure_ascii=False, indent=2)
