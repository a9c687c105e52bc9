"""Template version 1 is frozen (issue 17): a case pinned to it renders byte for byte the PDFs
whose SHA-256 hashes `tests/frozen/version-1.json` has held since the commit that added version
2, with the dependencies of constraints.txt and the sipdocs version the PDFs record (R-G2).

What later work changes in the shared parts (`common/2/`), the version 2 templates or the code
must not reach these files. If this test fails, the change belongs in a new template version
(docs/templates.md), not in version 1. The hashes are written once, by
`python -m tests.test_freeze`, when a version is frozen; never to make this test pass.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from sipdocs.render import render_case

FROZEN = Path(__file__).parent / "frozen"
HASHES = FROZEN / "version-1.json"
CASES = (FROZEN / "adult-version-1.yaml", FROZEN / "child-version-1.yaml")


def rendered_hashes(out: Path) -> dict[str, str]:
    """Every PDF of both pinned cases, every document, recipient, language and variant."""
    hashes = {}
    for case in CASES:
        for output in render_case(case, out, formats=["pdf"]):
            name = output.path.relative_to(out).as_posix()
            hashes[name] = hashlib.sha256(output.path.read_bytes()).hexdigest()
    return hashes


@pytest.mark.req("R-G2")
def test_a_case_pinned_to_version_1_renders_the_frozen_pdfs_byte_for_byte(tmp_path: Path) -> None:
    frozen = json.loads(HASHES.read_text(encoding="utf-8"))
    rendered = rendered_hashes(tmp_path)
    assert sorted(rendered) == sorted(frozen)
    changed = sorted(name for name, digest in rendered.items() if frozen[name] != digest)
    assert changed == []


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        hashes = rendered_hashes(Path(scratch))
    HASHES.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {HASHES} ({len(hashes)} PDFs)\n")
