"""`sipdocs templates check`: one exact line per template problem, and the exit codes."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from sipdocs.cli import app
from sipdocs.templatecheck import TemplateProblem, check_templates, template_files
from sipdocs.templates import Registry

runner = CliRunner()
SHIPPED = re.compile(r"(\d+) template\(s\) checked: 0 problem\(s\)\n")

Runs = str | Sequence[str]  # a paragraph: its text, or the texts of its runs


@pytest.fixture(autouse=True)
def _no_layers_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SIPDOCS_LAYERS", raising=False)


@pytest.fixture
def layers(tmp_path: Path) -> Path:
    """A folder of layers with one municipality, `lillby`, in the built-in region."""
    layer = tmp_path / "lillby"
    (layer / "overrides").mkdir(parents=True)
    (layer / "layer.yaml").write_text(
        "kind: municipality\nname: Lillby kommun\nregion: mellanland\n", encoding="utf-8"
    )
    return tmp_path


def write_docx(
    path: Path, paragraphs: Sequence[Runs], *, footer: str = "", rows: Sequence[str] = ()
) -> None:
    """A DOCX with one paragraph per item, a footer, and a one-column table of `rows`."""
    document = docx.Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text in [runs] if isinstance(runs, str) else runs:
            paragraph.add_run(text)
    if rows:
        table = document.add_table(rows=len(rows), cols=1)
        for row, text in zip(table.rows, rows, strict=True):
            row.cells[0].text = text
    document.sections[0].footer.paragraphs[0].text = footer
    document.save(str(path))


def check(layers: Path) -> tuple[int, list[str], str]:
    """The exit code, the lines on stdout and stderr of `templates check --layers`."""
    result = runner.invoke(app, ["templates", "check", "--layers", str(layers)])
    return result.exit_code, result.stdout.splitlines(), result.stderr


def summary(problems: int, added: int = 1, warnings: int = 0) -> str:
    checked = len(template_files(Registry())) + added
    warned = f", {warnings} warning(s)" if warnings else ""
    return f"{checked} template(s) checked: {problems} problem(s){warned}\n"


def no_docx(html: Path) -> str:
    """The warning for a layer's kallelse.html without a kallelse.docx."""
    return (
        f"{html}: warning: the layer overrides kallelse.html but not kallelse.docx, so its DOCX "
        "copies lack these changes; add overrides/kallelse.docx (see docs/docx-templates.md)"
    )


@pytest.fixture
def kallelse(layers: Path) -> Callable[..., list[str]]:
    """Write lillby's overrides/kallelse.docx, check, expect exit 1; the lines for it."""
    path = layers / "lillby" / "overrides" / "kallelse.docx"

    def run(paragraphs: Sequence[Runs], footer: str = "") -> list[str]:
        write_docx(path, paragraphs, footer=footer)
        code, lines, stderr = check(layers)
        assert code == 1
        assert stderr == summary(len(lines))
        prefix = f"{path}: "
        assert all(line.startswith(prefix) for line in lines)
        return [line.removeprefix(prefix) for line in lines]

    return run


def test_shipped_templates_pass() -> None:
    result = runner.invoke(app, ["templates", "check"])
    assert result.exit_code == 0
    assert result.stdout == ""
    counted = SHIPPED.fullmatch(result.stderr)
    assert counted is not None
    # 5 documents' HTML, base.html, parts.html, style.css, two layers' kallelse.html, a DOCX
    assert int(counted.group(1)) >= 11


def test_a_clean_layer_docx_passes(layers: Path) -> None:
    write_docx(
        layers / "lillby" / "overrides" / "kallelse.docx",
        [
            "{{ _(’Kallelse’) }} {{ case.case.id }}",  # Word's quotes, as docxtpl reads them
            "{%p if recipient.is_principal %}",
            "{% if doc %}{% set who = sender.name %}{{ who }}{% endif %}{{ logo_image }}",
            "{%p endif %}",
        ],
        rows=["{%tr for p in everyone %}", "{{ p.name }}", "{%tr endfor %}"],
        footer="{{ profile.footer }}",
    )
    code, lines, stderr = check(layers)
    assert (code, lines, stderr) == (0, [], summary(0))


def test_tag_split_across_runs(kallelse: Callable[..., list[str]]) -> None:
    lines = kallelse(["Hej", ["Ärende: ", "{{ case.", "case.id }}"], "{{ recipient.name }}"])
    assert lines == [
        "word/document.xml: paragraph 2: tag '{{ case.case.id }}' is split across Word runs; "
        "retype it in one go or clear its formatting"
    ]


def test_tag_not_closed_in_its_paragraph(kallelse: Callable[..., list[str]]) -> None:
    lines = kallelse(["{{ case.case", "id }}", "{%p if x %}"])
    assert lines == [
        "word/document.xml: paragraph 1: '{{ case.case' is not closed in its paragraph; "
        "a tag must begin and end in the same paragraph"
    ]


def test_if_never_closed(kallelse: Callable[..., list[str]]) -> None:
    lines = kallelse(["Hej", "{%p if recipient.is_principal %}", "Ni kallas."])
    assert lines == [
        "word/document.xml: paragraph 2: '{%p if recipient.is_principal %}' is never closed"
    ]


def test_endfor_in_the_footer_closes_nothing(kallelse: Callable[..., list[str]]) -> None:
    lines = kallelse(["{{ case.case.id }}"], footer="{%p endfor %}")
    assert lines == ["word/footer1.xml: paragraph 1: '{%p endfor %}' closes nothing"]


def test_closer_that_does_not_match(kallelse: Callable[..., list[str]]) -> None:
    lines = kallelse(["{%p if recipient.is_principal %}", "{%p endfor %}", "{%p endif %}"])
    assert lines == [
        "word/document.xml: paragraph 2: '{%p endfor %}' does not match the open "
        "'{%p if recipient.is_principal %}' in paragraph 1"
    ]


def test_block_left_open_inside_another(kallelse: Callable[..., list[str]]) -> None:
    lines = kallelse(["{%p for p in everyone %}", "{%p if p.party %}", "x", "{%p endfor %}"])
    assert lines == [
        "word/document.xml: paragraph 2: '{%p if p.party %}' is not closed before "
        "'{%p endfor %}' in paragraph 4"
    ]


def test_else_outside_if(kallelse: Callable[..., list[str]]) -> None:
    lines = kallelse(["{%p else %}"])
    assert lines == ["word/document.xml: paragraph 1: '{%p else %}' is not inside an if or for"]


def test_row_tag_outside_a_table(kallelse: Callable[..., list[str]]) -> None:
    lines = kallelse(["{%tr for p in everyone %}", "{%tr endfor %}"])
    assert lines == [
        "word/document.xml: paragraph 1: '{%tr for p in everyone %}' is not in a table row",
        "word/document.xml: paragraph 2: '{%tr endfor %}' is not in a table row",
    ]


def test_jinja_syntax_error_by_paragraph(kallelse: Callable[..., list[str]]) -> None:
    lines = kallelse(["Hej", "{{ case.case.id | nosuch }}"])
    assert lines == ["word/document.xml: paragraph 2: No filter named 'nosuch'."]


def test_unknown_variables_with_a_suggestion(kallelse: Callable[..., list[str]]) -> None:
    lines = kallelse(["{{ recipent.name }}", "{{ goal }}"], footer="{{ profil.name }}")
    assert lines == [
        "word/document.xml: paragraph 1: 'recipent' is not a variable templates are given "
        "(did you mean 'recipient'?)",
        "word/document.xml: paragraph 2: 'goal' is not a variable templates are given",
        "word/footer1.xml: paragraph 1: 'profil' is not a variable templates are given "
        "(did you mean 'profile'?)",
    ]


def test_unknown_attributes_with_a_suggestion(kallelse: Callable[..., list[str]]) -> None:
    lines = kallelse(["{{ profile.phon }}", "{{ recipient.name }}"])
    assert lines == [
        "word/document.xml: paragraph 1: 'profile.phon': profile has no 'phon' "
        "(did you mean 'phone'?)",
    ]


def test_long_tags_are_shortened(kallelse: Callable[..., list[str]]) -> None:
    lines = kallelse([["{{ _('Kommunhuset har hörslinga och entré ", "utan trappsteg.') }}"]])
    assert lines == [
        "word/document.xml: paragraph 1: tag '{{ _('Kommunhuset har hörslinga och entré utan "
        "trappst … }}' is split across Word runs; retype it in one go or clear its formatting"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip", "not a DOCX file (not a zip archive)"),
        (None, "not a DOCX file (a zip archive without a Word document)"),
    ],
)
def test_a_file_that_is_not_a_docx(layers: Path, content: bytes | None, message: str) -> None:
    path = layers / "lillby" / "overrides" / "kallelse.docx"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("word/other.xml", "<x/>")
    else:
        path.write_bytes(content)
    code, lines, stderr = check(layers)
    assert (code, lines, stderr) == (1, [f"{path}: {message}"], summary(1))


def test_words_lock_file_is_not_a_template(layers: Path) -> None:
    (layers / "lillby" / "overrides" / "~$llelse.docx").write_bytes(b"\0owner")
    assert check(layers) == (0, [], summary(0, added=0))


def test_html_override_with_an_unbalanced_block(layers: Path) -> None:
    path = layers / "lillby" / "overrides" / "kallelse.html"
    path.write_text(
        "{% block extra %}\n{% if recipient.is_principal %}\n<p>x</p>\n{% endblock %}\n"
        "{% endif %}\n",
        encoding="utf-8",
    )
    code, lines, stderr = check(layers)
    assert (code, stderr) == (1, summary(2, warnings=1))
    assert lines == [
        f"{path}:2: '{{% if recipient.is_principal %}}' is not closed before "
        "'{% endblock %}' on line 4",
        f"{path}:5: '{{% endif %}}' closes nothing",
        no_docx(path),
    ]


def test_html_syntax_error_is_jinjas_message(layers: Path) -> None:
    path = layers / "lillby" / "overrides" / "kallelse.html"
    path.write_text("{% block extra %}\n<p>{{ recipient.name }</p>\n{% endblock %}\n")
    assert check(layers) == (
        1,
        [f"{path}:2: unexpected '}}'", no_docx(path)],
        summary(1, warnings=1),
    )


def test_html_names_and_what_the_overridden_template_sets(layers: Path) -> None:
    path = layers / "lillby" / "overrides" / "kallelse.html"
    path.write_text(
        "{% block when_where %}\n"
        "<p>{{ meeting.place }}</p>{{ parts.contact('x', sender_card) }}\n"  # kallelse.html's
        "<p>{{ logo_image }}</p>\n"  # only DOCX templates have it
        "{% endblock %}\n",
        encoding="utf-8",
    )
    assert check(layers) == (
        1,
        [f"{path}:3: 'logo_image' is not a variable templates are given", no_docx(path)],
        summary(1, warnings=1),
    )


def test_an_html_override_without_its_docx_is_a_warning(layers: Path) -> None:
    html = layers / "lillby" / "overrides" / "kallelse.html"
    html.write_text("{% block extra %}<p>Hörslinga finns.</p>{% endblock %}\n", encoding="utf-8")
    assert check(layers) == (0, [no_docx(html)], summary(0, warnings=1))
    write_docx(layers / "lillby" / "overrides" / "kallelse.docx", ["{{ case.case.id }}"])
    assert check(layers) == (0, [], summary(0, added=2))


def with_relationship(path: Path, part: str, kind: str, target: str, external: bool = True) -> None:
    """Add a relationship of `kind` to `part` of the DOCX at `path`."""
    namespace = "http://schemas.openxmlformats.org/package/2006/relationships"
    mode = ' TargetMode="External"' if external else ""
    relationship = (
        f'<Relationship Id="rIdLinked" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/{kind}" Target="{target}"{mode}/>'
    )
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    rels = parts.get(part, f'<Relationships xmlns="{namespace}"></Relationships>'.encode())
    parts[part] = rels.replace(b"</Relationships>", relationship.encode() + b"</Relationships>")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize(
    ("part", "kind", "what"),
    [
        ("word/_rels/document.xml.rels", "image", "picture"),
        ("word/_rels/settings.xml.rels", "attachedTemplate", "template"),
        ("word/_rels/footer1.xml.rels", "oleObject", "OLE object"),
    ],
)
def test_a_docx_that_links_outside_itself_is_refused_by_check_and_render(
    layers: Path, part: str, kind: str, what: str
) -> None:
    from sipdocs.errors import TemplateError
    from sipdocs.guard import read_docx_template

    path = layers / "lillby" / "overrides" / "kallelse.docx"
    write_docx(path, ["{{ case.case.id }}"], footer="{{ profile.footer }}")
    with_relationship(path, part, kind, "https://mallar.lillby.example/brev.dotx")
    message = (
        f"refused: {part}: the {what} at https://mallar.lillby.example/brev.dotx is outside the "
        "file, and Word fetches it when a copy is opened; embed it in the file instead"
    )
    assert check(layers) == (1, [f"{path}: {message}"], summary(1))
    with pytest.raises(TemplateError) as refused:
        read_docx_template(path)
    assert str(refused.value) == f"{path}: {message}"


def test_a_hyperlink_is_no_fetch(layers: Path) -> None:
    path = layers / "lillby" / "overrides" / "kallelse.docx"
    write_docx(path, ["{{ case.case.id }}"])
    with_relationship(path, "word/_rels/document.xml.rels", "hyperlink", "https://lillby.example")
    assert check(layers) == (0, [], summary(0))


def test_library_reports_problems_as_values(layers: Path) -> None:
    write_docx(layers / "lillby" / "overrides" / "kallelse.docx", ["{%p if x %}"])
    result = check_templates(Registry([layers]))
    assert result.checked == len(template_files(Registry())) + 1
    assert result.problems == (
        TemplateProblem(
            layers / "lillby" / "overrides" / "kallelse.docx",
            "'{%p if x %}' is never closed",
            part="word/document.xml",
            line=1,
        ),
    )
