"""Write the default DOCX templates: `python -m tools.docxbuild [DOCUMENT...]`."""

from __future__ import annotations

import sys

from tools.docxbuild import TEMPLATES
from tools.docxbuild.build import build_all

for path in build_all(TEMPLATES, sys.argv[1:]):
    print(f"wrote {path}")
