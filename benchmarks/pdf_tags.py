"""Print what the PDF's tag-tree work costs beside the whole PDF: joining what page breaks cut
in two (`pdf._join_continued`) and the /IDTree (`pdf._add_id_tree`), for the adult
reference's kallelse and plan, in Swedish and Arabic, standard and large print.

Run: .venv/bin/python benchmarks/pdf_tags.py [ROUNDS]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sipdocs.renderers.pdf as pdf
from sipdocs import load_case
from sipdocs.render import document_contexts
from sipdocs.renderers.pdf import PdfRenderer
from sipdocs.templates import Registry

ADULT = Path(__file__).resolve().parents[1] / "samples" / "adult-reference.yaml"


def main(rounds: int) -> None:
    registry = Registry()
    contexts = [
        context
        for context in document_contexts(load_case(ADULT), registry, ["kallelse", "plan"])
        if context.recipient.id == "individ" and not context.easy_read
    ]
    spent = {"join": 0.0, "id tree": 0.0}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*arguments: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*arguments)
            finally:
                spent[name] += time.perf_counter() - start

        return run

    pdf._join_continued = timed("join", pdf._join_continued)  # type: ignore[assignment]
    pdf._add_id_tree = timed("id tree", pdf._add_id_tree)  # type: ignore[assignment]
    renderer = PdfRenderer(registry)
    renderer.render(contexts[0])  # fonts and stylesheets loaded once
    spent.update(dict.fromkeys(spent, 0.0))
    start = time.perf_counter()
    for _ in range(rounds):
        for context in contexts:
            renderer.render(context)
    count = rounds * len(contexts)
    total = (time.perf_counter() - start) / count * 1000
    join, tree = (spent[name] / count * 1000 for name in ("join", "id tree"))
    print(f"{count} PDFs ({len(contexts)} copies x {rounds})")
    print(f"  whole PDF         {total:8.1f} ms")
    print(f"  joining elements  {join:8.2f} ms  ({join / total:.2%})")
    print(f"  /IDTree           {tree:8.2f} ms  ({tree / total:.2%})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
