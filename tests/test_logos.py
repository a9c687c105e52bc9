"""A layer's logo keeps its proportions within its box, in PDF, HTML and DOCX, whatever its
format (SVG, PNG, JPEG) and the letter case of its suffix."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx.shared import Mm
from PIL import Image, ImageChops

from sipdocs import load_case
from sipdocs.errors import TemplateError
from sipdocs.render import document_contexts
from sipdocs.renderers.docx import DocxRenderer
from sipdocs.renderers.html import HtmlRenderer
from sipdocs.renderers.pdf import PdfRenderer
from sipdocs.templates import Registry
from tests.conftest import write_case
from tests.test_docx import part_xml_bytes

RED = (220, 0, 0)


def picture(width: int, height: int, kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), RED).save(buffer, kind)
    return buffer.getvalue()


def layer_with_logo(tmp_path: Path, name: str, data: bytes) -> Registry:
    folder = tmp_path / "layers" / "testby"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(data)
    (folder / "layer.yaml").write_text(
        f"kind: municipality\nname: Testby kommun\nregion: mellanland\nlogo: {name}\n"
        "logo_alt: Testbys logotyp\n",
        encoding="utf-8",
    )
    return Registry([tmp_path / "layers"])


def context_of(registry: Registry, case: Path) -> Any:
    return next(
        c
        for c in document_contexts(load_case(case), registry, ["kallelse"])
        if c.recipient.id == "individ" and c.language == "sv" and not c.easy_read
    )


def red_box_mm(pdf: bytes, tmp_path: Path) -> tuple[float, float]:
    """Width and height of the red pixels on page 1, in millimetres."""
    (tmp_path / "page.pdf").write_bytes(pdf)
    dpi = 150
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
         str(tmp_path / "page.pdf"), str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    with Image.open(tmp_path / "page.png") as page:
        r, g, b = page.convert("RGB").split()
        red = ImageChops.multiply(
            r.point(lambda v: 255 if v > 180 else 0),
            ImageChops.lighter(g, b).point(lambda v: 255 if v < 80 else 0),
        )
        box = red.getbbox()
    assert box is not None
    return ((box[2] - box[0]) * 25.4 / dpi, (box[3] - box[1]) * 25.4 / dpi)


@pytest.mark.parametrize(
    ("name", "kind", "size", "in_pdf", "in_docx"),
    [  # the PDF's letterhead has a box of 20 by 16 mm, the DOCX's logo paragraph 40 by 16
        ("LOGO.PNG", "PNG", (400, 100), (20, 5), (40, 10)),  # wide: as wide as the box
        ("logo.jpg", "JPEG", (100, 200), (8, 16), (8, 16)),  # tall: as high as the box
        ("Logo.JPEG", "JPEG", (300, 300), (16, 16), (16, 16)),  # square, as before
    ],
)
def test_a_logo_keeps_its_proportions_in_pdf_and_docx(
    adult: dict[str, Any],
    tmp_path: Path,
    name: str,
    kind: str,
    size: tuple[int, int],
    in_pdf: tuple[float, float],
    in_docx: tuple[float, float],
) -> None:
    registry = layer_with_logo(tmp_path, name, picture(*size, kind))
    adult["case"]["municipality"] = "testby"
    context = context_of(registry, write_case(tmp_path, adult))
    width, height = red_box_mm(PdfRenderer(registry).render(context), tmp_path)
    assert (width, height) == pytest.approx(in_pdf, abs=0.6)
    extent = next(part_xml_bytes(DocxRenderer(registry).render(context)).iter("{*}extent"))
    docx_size = (int(extent.get("cx")) / Mm(1), int(extent.get("cy")) / Mm(1))
    assert docx_size == pytest.approx(in_docx, abs=0.1)
    html = HtmlRenderer(registry).render(context).decode()
    assert f"data:image/{'png' if kind == 'PNG' else 'jpeg'};base64," in html


def test_a_logo_in_another_format_is_refused(tmp_path: Path) -> None:
    registry = layer_with_logo(tmp_path, "logo.gif", picture(10, 10, "GIF"))
    with pytest.raises(TemplateError, match=r"logo: 'logo\.gif' is not an \.svg, \.png or \.jpg"):
        registry.layers  # noqa: B018
