"""Hostile layer files are refused with a message that names the file, and change nothing.

Each test gives a municipality layer `testby` (in region mellanland) one hostile file, renders
the adult reference case through it with `sipdocs render`, and checks the exact message, exit
code 1, that no document was written, that nothing changed outside the output folder and that
no connection was attempted. `sipdocs templates check` names the same file and line.
"""

from __future__ import annotations

import socket
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sipdocs.cli import app
from sipdocs.guard import MAX_DOCX_UNPACKED, MAX_IMAGE_PIXELS, fetched_urls, template_refusals
from sipdocs.templates import TEMPLATES, sandbox
from tests.conftest import ADULT

CHAIN = "(default > mellanland > testby)"
ONLY_FILES = "a document reads only files in the template and layer folders"


@dataclass(frozen=True)
class Attempt:
    exit_code: int
    errors: list[str]  # the stderr lines that report an error
    written: list[str]  # files in the output folder afterwards
    changed: bool  # whether anything outside the output folder changed
    connections: list[Any]


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every address a socket tried to reach; the attempt fails."""
    attempts: list[Any] = []

    def connect(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(
        socket, "create_connection", lambda address, *a, **k: connect(None, address)
    )  # type: ignore[arg-type]
    return attempts


def make_layer(root: Path, files: dict[str, bytes | str], profile: str = "") -> Path:
    """`root/testby`: a municipality layer with `files` (paths inside the layer folder)."""
    folder = root / "layers" / "testby"
    folder.mkdir(parents=True)
    (folder / "layer.yaml").write_text(
        f"kind: municipality\nname: Testby kommun\nregion: mellanland\n{profile}", encoding="utf-8"
    )
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    return folder


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under `root` but the output folder, with its size and modification time."""
    return {
        str(path.relative_to(root)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file() and "out" not in path.relative_to(root).parts
    }


def attempt(root: Path, connections: list[Any], *options: str) -> Attempt:
    """`sipdocs render` of the adult reference case, for municipality testby."""
    case = root / "case.yaml"
    text = ADULT.read_text(encoding="utf-8")
    case.write_text(text.replace("municipality: lillan", "municipality: testby"), "utf-8")
    before = snapshot(root)
    out = root / "out"
    arguments = ["render", str(case), "--layers", str(root / "layers"), "--out", str(out)]
    result = CliRunner().invoke(app, [*arguments, "--doc", "plan", *options])
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    written = sorted(p.name for p in out.rglob("*") if p.is_file()) if out.exists() else []
    return Attempt(result.exit_code, errors, written, snapshot(root) != before, connections)


def refused(
    root: Path, connections: list[Any], message: str, *options: str, layer: bool = False
) -> None:
    """The render is refused with exactly `message`, and leaves no trace. A broken `layer`
    (its profile or logo) is refused once, before any case."""
    result = attempt(root, connections, *options)
    whose = "sipdocs" if layer else root / "case.yaml"
    assert result.errors == [f"{whose}: error: {message}"]
    assert result.exit_code == 1
    assert result.written == []
    assert not result.changed
    assert result.connections == []


def refused_and_checked(root: Path, connections: list[Any], message: str) -> None:
    """Refused at render as `refused` says, and `templates check` says the same of the file."""
    refused(root, connections, message)
    assert checked(root) == [message]


def checked(root: Path) -> list[str]:
    """The problems `sipdocs templates check` finds in the layers, line by line (not the
    warning that an override of the HTML has no DOCX beside it)."""
    result = CliRunner().invoke(app, ["templates", "check", "--layers", str(root / "layers")])
    assert result.exit_code == 1
    return [line for line in result.stdout.splitlines() if ": warning: " not in line]


def png(width: int, height: int, padding: int = 0) -> bytes:
    """A PNG header of `width` by `height` pixels with one row of data, padded by a text chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    text = chunk(b"tEXt", b"pad\x00" + b"x" * padding) if padding else b""
    pixels = chunk(b"IDAT", zlib.compress(b"\x00" * (1 + 3 * min(width, 1000))))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + text + pixels + chunk(b"IEND", b"")


# --- Python internals -------------------------------------------------------------------------


def test_an_override_that_reaches_for_python_internals_is_refused(
    tmp_path: Path, connections: list[Any]
) -> None:
    layer = make_layer(
        tmp_path,
        {"overrides/plan.html": "{% block own_words %}{{ ''.__class__.__mro__ }}{% endblock %}"},
    )
    path = layer / "overrides" / "plan.html"
    refused(tmp_path, connections, f"{path}:1: refused: '__class__' reaches for Python internals")
    assert checked(tmp_path) == [
        f"{path}:1: refused: '__class__' reaches for Python internals",
        f"{path}:1: refused: '__mro__' reaches for Python internals",
    ]


@pytest.mark.parametrize(
    "expression",
    ["''|attr('__class__')", "''['__class__']", "cycler.__init__.__globals__"],
)
def test_every_way_of_writing_an_internal_attribute_is_refused(expression: str) -> None:
    source = f"{{% block own_words %}}\n{{{{ {expression} }}}}\n{{% endblock %}}"
    refusals = template_refusals(source, "plan.html", sandbox_environment())
    assert refusals[0][0] == 2
    assert refusals[0][1].endswith("reaches for Python internals")


def sandbox_environment() -> Any:
    from gettext import NullTranslations

    return sandbox(NullTranslations())


def test_a_computed_internal_attribute_is_stopped_by_the_sandbox_at_its_line(
    tmp_path: Path, connections: list[Any]
) -> None:
    source = (
        "{% block own_words %}\n{% set name = '__cla' ~ 'ss__' %}\n{{ ''[name] }}\n{% endblock %}"
    )
    layer = make_layer(tmp_path, {"overrides/plan.html": source})
    refused(
        tmp_path,
        connections,
        f"{layer / 'overrides' / 'plan.html'}:3: template plan {CHAIN}: SecurityError: "
        "access to attribute '__class__' of 'str' object is unsafe.",
        "--format",
        "html",
    )


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("'x' * 10**10", "'*' would make more than 1000000 items"),
        ("[0] * 2000000", "'*' would make more than 1000000 items"),
        ("9 ** (10 ** 7)", "'**' would make a number of more than 100000 bits"),
    ],
)
def test_a_value_too_large_to_hold_is_a_security_error(
    tmp_path: Path, connections: list[Any], expression: str, reason: str
) -> None:
    source = f"{{% block own_words %}}\n\n{{{{ {expression} }}}}\n{{% endblock %}}"
    layer = make_layer(tmp_path, {"overrides/plan.html": source})
    refused(
        tmp_path,
        connections,
        f"{layer / 'overrides' / 'plan.html'}:3: template plan {CHAIN}: SecurityError: {reason}",
        "--format",
        "html",
    )


# --- Files outside the templates --------------------------------------------------------------


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../etc/passwd"])
def test_an_include_outside_the_templates_is_refused(
    tmp_path: Path, connections: list[Any], target: str
) -> None:
    source = f'{{% block own_words %}}\n{{% include "{target}" %}}\n{{% endblock %}}'
    layer = make_layer(tmp_path, {"overrides/plan.html": source})
    message = f"{layer / 'overrides' / 'plan.html'}:2: refused: '{target}' is outside the templates"
    refused_and_checked(tmp_path, connections, message)


def test_a_computed_include_outside_the_templates_is_not_found(
    tmp_path: Path, connections: list[Any]
) -> None:
    source = "{% block own_words %}\n{% include '/etc/' ~ 'passwd' %}\n{% endblock %}"
    layer = make_layer(tmp_path, {"overrides/plan.html": source})
    refused(
        tmp_path,
        connections,
        f"{layer / 'overrides' / 'plan.html'}:2: template plan {CHAIN}: TemplateNotFound: "
        "/etc/passwd",
        "--format",
        "html",
    )


def test_css_that_reads_a_local_file_is_refused(tmp_path: Path, connections: list[Any]) -> None:
    source = (
        "{% block styles %}{{ super() }}\n<style>\n"
        "body { background: url(file:///etc/passwd) }\n</style>\n{% endblock %}"
    )
    layer = make_layer(tmp_path, {"overrides/plan.html": source})
    message = (
        f"{layer / 'overrides' / 'plan.html'}:3: refused: 'file:///etc/passwd' would be fetched "
        "from outside the template folders"
    )
    refused_and_checked(tmp_path, connections, message)


@pytest.mark.parametrize(
    ("css", "url"),
    [
        ("url(file:///etc/{{ 'passwd' }})", "/etc/passwd"),
        ("url({{ '../../../../../../../../etc/passwd' }})", "/etc/passwd"),
        ("url(http://evil.example/{{ 'x.png' }})", "http://evil.example/x.png"),
    ],
)
def test_css_with_a_computed_url_outside_the_templates_is_refused_by_the_fetcher(
    tmp_path: Path, connections: list[Any], css: str, url: str
) -> None:
    source = f"{{% block styles %}}{{{{ super() }}}}<style>body {{ background: {css} }}</style>{{% endblock %}}"
    make_layer(tmp_path, {"overrides/plan.html": source})
    refused(
        tmp_path,
        connections,
        f"template plan {CHAIN}: refused {url}: {ONLY_FILES}",
        "--format",
        "pdf",
    )


def test_an_image_from_the_web_is_refused(tmp_path: Path, connections: list[Any]) -> None:
    source = '{% block own_words %}\n<img src="http://evil.example/a.png" alt="">\n{% endblock %}'
    layer = make_layer(tmp_path, {"overrides/plan.html": source})
    message = (
        f"{layer / 'overrides' / 'plan.html'}:2: refused: 'http://evil.example/a.png' would be "
        "fetched from outside the template folders"
    )
    refused_and_checked(tmp_path, connections, message)


@pytest.mark.parametrize(
    ("fmt", "reason"),
    [("pdf", ONLY_FILES), ("html", "a copy to read on screen fetches nothing")],
)
def test_a_computed_image_url_is_refused_in_pdf_and_in_html(
    tmp_path: Path, connections: list[Any], fmt: str, reason: str
) -> None:
    source = '{% block own_words %}<img src="{{ "http://evil.example/" ~ "a.png" }}" alt="">{% endblock %}'
    make_layer(tmp_path, {"overrides/plan.html": source})
    refused(
        tmp_path,
        connections,
        f"template plan {CHAIN}: refused http://evil.example/a.png: {reason}",
        "--format",
        fmt,
    )


def test_urls_in_escaped_case_text_are_not_fetches() -> None:
    html = "<p>url(http://a.example/) &lt;img src=&#34;http://b.example/&#34;&gt;</p>"
    assert fetched_urls(html) == []
    assert fetched_urls('<img src="data:image/png;base64,AA" alt=""><a href="#x">x</a>') == []
    assert fetched_urls(
        '<link rel="stylesheet" href="a.css"><style>@import "b.css";</style>'
        '<img srcset="c.png 1x, d.png 2x" alt=""><svg><image href="e.png"/></svg>'
    ) == ["a.css", "b.css", "c.png", "d.png", "e.png"]


# --- Files too large to read ------------------------------------------------------------------


def test_a_100_mb_logo_is_refused_without_reading_it(
    tmp_path: Path, connections: list[Any]
) -> None:
    layer = make_layer(
        tmp_path, {"logo.png": png(1, 1, 100 * 1024 * 1024)}, "logo: logo.png\nlogo_alt: Testby\n"
    )
    message = (
        f"{layer / 'logo.png'}: 100.0 MiB; a picture, stylesheet or font may be at most 5.0 MiB"
    )
    refused(tmp_path, connections, message, layer=True)


@pytest.mark.parametrize(
    ("size", "pixels"),
    [(6000, "6000 by 6000 pixels"), (50_000, "over 178 million pixels")],
)
def test_a_logo_of_too_many_pixels_is_refused(
    tmp_path: Path, connections: list[Any], size: int, pixels: str
) -> None:
    layer = make_layer(tmp_path, {"logo.png": png(size, size)}, "logo: logo.png\n")
    assert size * size > MAX_IMAGE_PIXELS
    message = f"{layer / 'logo.png'}: a picture of {pixels}; at most 25 million pixels are allowed"
    refused(tmp_path, connections, message, layer=True)


def test_a_100_mb_image_in_the_layer_folder_is_refused_by_the_fetcher(
    tmp_path: Path, connections: list[Any]
) -> None:
    image = tmp_path / "layers" / "testby" / "big.png"
    source = (
        f'{{% block own_words %}}<img src="{{{{ "{image.as_uri()}" }}}}" alt="">{{% endblock %}}'
    )
    make_layer(tmp_path, {"overrides/plan.html": source, "big.png": png(1, 1, 100 * 1024 * 1024)})
    refused(
        tmp_path,
        connections,
        f"template plan {CHAIN}: refused {image}: 100.0 MiB; a picture, stylesheet or font may "
        "be at most 5.0 MiB",
        "--format",
        "pdf",
    )


def zip_bomb(path: Path, unpacked: int) -> int:
    """A DOCX-shaped zip whose document part unpacks to `unpacked` bytes of zeros; its size."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"\0" * (1024 * 1024)
            for _ in range(unpacked // len(block)):
                part.write(block)
    return path.stat().st_size


def test_a_zip_bomb_docx_is_refused_before_it_is_unpacked(
    tmp_path: Path, connections: list[Any]
) -> None:
    layer = make_layer(tmp_path, {})
    template = layer / "overrides" / "plan.docx"
    template.parent.mkdir()
    stored = zip_bomb(template, 2 * MAX_DOCX_UNPACKED)
    assert stored < 1024 * 1024  # a few hundred kilobytes that unpack to 200 MiB
    message = f"{template}: unpacks to 200.0 MiB; a DOCX template may unpack to at most 100.0 MiB"
    refused(tmp_path, connections, message, "--format", "docx")
    assert checked(tmp_path) == [
        f"{template}: unpacks to 200.0 MiB; a DOCX template may unpack to at most 100.0 MiB"
    ]


def test_a_docx_that_is_not_a_zip_is_refused(tmp_path: Path, connections: list[Any]) -> None:
    layer = make_layer(tmp_path, {"overrides/plan.docx": b"PK\x03\x04 not really"})
    message = f"{layer / 'overrides' / 'plan.docx'}: not a DOCX file (not a zip archive)"
    refused(tmp_path, connections, message, "--format", "docx")


# --- Templates without end --------------------------------------------------------------------


def test_a_template_that_extends_itself_is_refused(tmp_path: Path, connections: list[Any]) -> None:
    layer = make_layer(tmp_path, {"overrides/plan.html": '{% extends "plan.html" %}'})
    message = (
        f"{layer / 'overrides' / 'plan.html'}:1: refused: {{% extends %}} in a layer override "
        "(it extends itself): sipdocs makes an override extend the layer below, so it only "
        "redefines blocks"
    )
    refused_and_checked(tmp_path, connections, message)


def test_a_template_that_includes_itself_is_refused(tmp_path: Path, connections: list[Any]) -> None:
    source = '{% block own_words %}\n{% include "@testby/plan.html" %}\n{% endblock %}'
    layer = make_layer(tmp_path, {"overrides/plan.html": source})
    message = f"{layer / 'overrides' / 'plan.html'}:2: refused: '@testby/plan.html' includes itself"
    refused(tmp_path, connections, message)


def test_a_computed_include_of_itself_ends_with_a_clear_error(
    tmp_path: Path, connections: list[Any]
) -> None:
    source = "{% block own_words %}{% include '@testby/' ~ 'plan.html' %}{% endblock %}"
    layer = make_layer(tmp_path, {"overrides/plan.html": source})
    refused(
        tmp_path,
        connections,
        f"{layer / 'overrides' / 'plan.html'}:1: template plan {CHAIN}: templates include or "
        "extend each other without end",
        "--format",
        "html",
    )


def test_a_layer_profile_with_an_alias_bomb_is_refused(
    tmp_path: Path, connections: list[Any]
) -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    layer = make_layer(tmp_path, {})
    (layer / "layer.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = f"{layer / 'layer.yaml'}:6:12: the file holds more than 100000 values"
    refused(tmp_path, connections, message, layer=True)


def test_the_built_in_layers_are_not_refused() -> None:
    environment = sandbox_environment()
    for path in TEMPLATES.glob("*/overrides/*.html"):
        assert template_refusals(path.read_text(encoding="utf-8"), path.name, environment) == []
