"""A new user's first hour (issue 18): nothing silently changed, lost or left stale, and
every mistake a tired user makes gets a message that says what to do."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from typer.testing import CliRunner

from sipdocs.batch import Options, run_batch
from sipdocs.cases import validate_bytes
from sipdocs.cli import app
from sipdocs.templates import TEMPLATES
from tests.conftest import ADULT
from tests.docxs import open_docx

runner = CliRunner()
KALLELSE_HTML = ["--doc", "kallelse", "--format", "html"]


def adult_with(tmp_path: Path, *changes: tuple[str, str], name: str = "case.yaml") -> Path:
    """The adult reference case with each (old, new) replaced once, written to `name`."""
    text = ADULT.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- 1. text fields are read as the text written ------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        pytest.param("0701234567", "0701234567", id="octal-looking"),
        pytest.param("+46701234567", "+46701234567", id="plus"),
        pytest.param("070_123", "070_123", id="underscore"),
        pytest.param("12:30", "12:30", id="sexagesimal"),
        pytest.param("1.50", "1.50", id="float"),
    ],
)
def test_an_unquoted_phone_number_is_the_text_written(written: str, expected: str) -> None:
    data = ADULT.read_bytes().replace(b'phone: "070-123 45 67"', f"phone: {written}".encode())
    loaded = validate_bytes(data, "case.yaml")
    assert loaded.findings == ()
    assert loaded.case is not None
    assert loaded.case.individual.phone == expected


def test_an_unquoted_postal_code_keeps_its_digits_in_the_letter(tmp_path: Path) -> None:
    case = adult_with(
        tmp_path,
        ('postal_code: "123 45"', "postal_code: 07843"),
        ('phone: "0123-456 78"', "phone: 0123456701"),
    )
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["render", str(case), "--doc", "kallelse", "--format", "txt", "--out", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    letter = (out / "SIP-2026-0142" / "kallelse-individ-sv.txt").read_text(encoding="utf-8")
    assert "07843 Lillån" in letter
    assert "Telefon: 0123456701" in letter
    assert "342245825" not in letter  # YAML's octal reading


def test_yes_or_no_where_text_belongs_is_that_text() -> None:
    data = ADULT.read_bytes().replace(b"relation: bror", b"relation: no")
    loaded = validate_bytes(data, "case.yaml")
    assert loaded.case is not None
    assert loaded.case.relatives[0].relation == "no"


def test_a_number_reached_through_an_alias_is_the_text_written() -> None:
    data = (
        ADULT.read_bytes()
        .replace(b"contact: {name: Eva Lind", b"contact: &eva {name: Eva Lind")
        .replace(b'phone: "0123-456 78"', b"phone: 0123456701")
        .replace(
            b'contact: {name: Johan Berg, title: sjuksk\xc3\xb6terska, phone: "0123-111 22"}',
            b"contact: *eva",
        )
    )
    loaded = validate_bytes(data, "case.yaml")
    assert loaded.case is not None
    assert [party.contact.phone for party in loaded.case.parties[:2] if party.contact] == [
        "0123456701",
        "0123456701",
    ]


def test_a_text_without_a_value_says_to_write_it(tmp_path: Path) -> None:
    case = adult_with(tmp_path, ("relation: bror", "relation: ~"))
    result = runner.invoke(app, ["validate", str(case)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{case}:27:26: error: relatives[0].relation: has no value; write the text (in quotes "
        "if it is null or ~, which mean none)\n"
    )


def test_numbers_and_dates_elsewhere_are_read_as_yaml_reads_them() -> None:
    loaded = validate_bytes(ADULT.read_bytes(), "case.yaml")
    assert loaded.case is not None
    meeting = loaded.case.meeting
    assert meeting is not None
    assert (meeting.duration_minutes, str(meeting.reply_by)) == (90, "2026-11-16")


def test_a_layer_profile_keeps_its_phone_number_as_written(tmp_path: Path) -> None:
    layers = tmp_path / "layers"
    shutil.copytree(TEMPLATES / "lillan", layers / "lillan")
    profile = layers / "lillan" / "layer.yaml"
    text = profile.read_text(encoding="utf-8")
    start = text.index("phone:")
    end = text.index("\n", start)
    profile.write_text(text[:start] + "phone: 0123456780" + text[end:], encoding="utf-8")
    from sipdocs.templates import Registry

    assert Registry([layers]).layers["lillan"].profile.phone == "0123456780"


# --- 2. relative layer folders ------------------------------------------------------------


@pytest.fixture
def own_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A municipality layer 'storby' in ./layers, a case that uses it, the working folder
    being `tmp_path`."""
    shutil.copytree(TEMPLATES / "lillan", tmp_path / "layers" / "storby")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SIPDOCS_LAYERS", raising=False)
    return adult_with(tmp_path, ("municipality: lillan", "municipality: storby"))


def test_render_takes_a_relative_layers_folder(own_layer: Path) -> None:
    result = runner.invoke(
        app, ["render", "case.yaml", "--layers", "layers", *KALLELSE_HTML, "--out", "out"]
    )
    assert result.exit_code == 0, result.stderr
    assert "wrote out/SIP-2026-0142/kallelse-soc-sv.html" in result.stdout.splitlines()
    assert "@storby" not in result.stderr


def test_render_takes_a_relative_layers_folder_as_pdf(own_layer: Path) -> None:
    """Before the fix: "relative path can't be expressed as a file URI", internal error."""
    arguments = ["render", "case.yaml", "--doc", "kallelse", "--format", "pdf", "--out", "out"]
    result = runner.invoke(app, [*arguments, "--layers", "layers"])
    assert result.exit_code == 0, result.stderr
    assert (own_layer.parent / "out/SIP-2026-0142/kallelse-soc-sv.pdf").is_file()


def test_sipdocs_layers_takes_a_relative_folder(
    own_layer: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIPDOCS_LAYERS", "layers")
    result = runner.invoke(app, ["render", "case.yaml", *KALLELSE_HTML, "--out", "out"])
    assert result.exit_code == 0, result.stderr


def test_batch_takes_a_relative_layers_folder(own_layer: Path) -> None:
    result = run_batch(
        ["case.yaml"],
        "out",
        jobs=1,
        options=Options(("kallelse",), ("html",), layers=(Path("layers"),)),
    )
    assert [case.error for case in result.cases] == [None]


def test_templates_check_takes_a_relative_layers_folder(own_layer: Path) -> None:
    result = runner.invoke(app, ["templates", "check", "--layers", "layers"])
    assert result.exit_code == 0, result.stdout


def test_a_layer_folder_given_as_layers_names_its_parent(own_layer: Path) -> None:
    for command in (["render", "case.yaml"], ["validate", "case.yaml"], ["batch", "case.yaml"]):
        result = runner.invoke(app, [*command, "--layers", "layers/storby"])
        assert result.exit_code == 1
        assert result.stderr == (
            "sipdocs: error: layers/storby: this is a layer itself (it has layer.yaml); "
            "give the folder that holds your layers: --layers layers\n"
        )


def test_a_folder_without_layers_is_refused(own_layer: Path) -> None:
    Path("empty").mkdir()
    result = runner.invoke(app, ["validate", "case.yaml", "--layers", "empty"])
    assert result.exit_code == 1
    assert result.stderr == (
        "sipdocs: error: empty: no layer in this folder (a layer is a folder with a layer.yaml)\n"
    )


def test_validate_reports_an_unknown_municipality_with_a_hint(own_layer: Path) -> None:
    result = runner.invoke(app, ["validate", "case.yaml"])
    assert result.exit_code == 1
    assert result.stdout == (
        "case.yaml:11:3: error: case.municipality: unknown municipality 'storby' (known: "
        "lillan); give the folder that holds its layer with --layers or SIPDOCS_LAYERS\n"
    )
    assert result.stderr == "1 file(s) checked: 1 error(s), 0 warning(s)\n"


def test_validate_finds_a_municipality_in_the_layers_given(own_layer: Path) -> None:
    result = runner.invoke(app, ["validate", "case.yaml", "--layers", "layers"])
    assert result.exit_code == 0
    assert result.stderr == "1 file(s) checked: 0 error(s), 0 warning(s)\n"


def test_render_says_where_to_give_an_unknown_municipalitys_layer(own_layer: Path) -> None:
    result = runner.invoke(app, ["render", "case.yaml", *KALLELSE_HTML, "--out", "out"])
    assert result.exit_code == 1
    assert result.stderr == (
        "case.yaml: error: case.municipality: unknown municipality 'storby' (known: lillan); "
        "give the folder that holds its layer with --layers or SIPDOCS_LAYERS\n"
        "sipdocs: 1 case(s) not rendered\n"
    )


# --- 3. render refuses two files with one case id ---------------------------------------


def test_render_refuses_a_second_file_with_the_same_case_id(tmp_path: Path) -> None:
    first = adult_with(tmp_path, name="a.yaml")
    second = adult_with(tmp_path, ("Amal Haddad", "Amira Haddad"), name="b.yaml")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(first), str(second), *KALLELSE_HTML, "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        f"{second}: error: case.id: the same id as {first}; not rendered",
        "sipdocs: 1 case(s) not rendered",
    ]
    letter = (out / "SIP-2026-0142" / "kallelse-individ-sv.html").read_text(encoding="utf-8")
    assert "Amal Haddad" in letter
    assert "Amira" not in letter


def test_a_file_given_twice_is_rendered_once(tmp_path: Path) -> None:
    case = adult_with(tmp_path)
    arguments = ["render", str(case), str(tmp_path), *KALLELSE_HTML, "-o", str(tmp_path / "out")]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 9


# --- 4. files a case no longer has leave its folder -------------------------------------


def test_render_moves_a_copy_no_longer_planned_out_of_the_case_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner.invoke(app, ["render", str(ADULT), *KALLELSE_HTML, "-o", str(out)])
    case = adult_with(tmp_path, ("invited: [soc, psyk, vc, fk]", "invited: [soc, psyk, vc]"))
    result = runner.invoke(app, ["render", str(case), *KALLELSE_HTML, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    gone = out / "SIP-2026-0142" / "kallelse-fk-sv.html"
    kept = out / ".sipdocs" / "obsolete" / "SIP-2026-0142" / "kallelse-fk-sv.html"
    assert result.stdout.splitlines()[-1] == (
        f"moved {gone} to {kept}: the case no longer has this copy"
    )
    assert not gone.exists()
    assert kept.is_file()


def test_render_of_one_document_leaves_the_others(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner.invoke(app, ["render", str(ADULT), "--doc", "samtycke", "-f", "html", "-o", str(out)])
    before = sorted(path.name for path in (out / "SIP-2026-0142").iterdir())
    result = runner.invoke(
        app, ["render", str(ADULT), *KALLELSE_HTML, "--lang", "en", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    assert "moved" not in result.stdout
    after = {path.name for path in (out / "SIP-2026-0142").iterdir()}
    assert set(before) <= after


def test_render_moves_a_language_a_recipient_no_longer_reads(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner.invoke(app, ["render", str(ADULT), *KALLELSE_HTML, "-o", str(out)])
    case = adult_with(tmp_path, ("language: ar", "language: sv"))
    result = runner.invoke(app, ["render", str(case), *KALLELSE_HTML, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    moved = [
        line.split()[1].rsplit("/", 1)[1]
        for line in result.stdout.splitlines()
        if line.startswith("moved ")
    ]
    assert moved == ["kallelse-individ-ar-lattlast.html", "kallelse-individ-ar.html"]


def test_batch_moves_a_copy_no_longer_planned_and_the_manifest_forgets_it(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    options = ["-d", "kallelse", "-f", "html", "-q"]
    runner.invoke(app, ["batch", str(ADULT), "-o", str(out), *options])
    case = adult_with(tmp_path, ("invited: [soc, psyk, vc, fk]", "invited: [soc, psyk, vc]"))
    result = runner.invoke(app, ["batch", str(case), "-o", str(out), *options])
    assert result.exit_code == 0, result.stderr
    gone = out / "SIP-2026-0142" / "kallelse-fk-sv.html"
    kept = out / ".sipdocs" / "obsolete" / "SIP-2026-0142" / "kallelse-fk-sv.html"
    assert result.stderr.splitlines()[0] == (
        f"moved {gone} to {kept}: the case no longer has this copy"
    )
    assert kept.is_file()
    assert not gone.exists()
    listed = [row["path"] for row in json.loads((out / "manifest.json").read_text())]
    assert "SIP-2026-0142/kallelse-fk-sv.html" not in listed
    assert len(listed) == 8


def test_batch_of_one_document_keeps_the_others_in_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([ADULT], out, jobs=1, options=Options(("samtycke",), ("html",)))
    first = json.loads((out / "manifest.json").read_text())
    run_batch([ADULT], out, jobs=1, options=Options(("kallelse",), ("html",)))
    listed = {row["path"] for row in json.loads((out / "manifest.json").read_text())}
    assert {row["path"] for row in first} < listed


# --- 8. output files follow the umask -----------------------------------------------------


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_output_files_follow_the_umask(tmp_path: Path, mask: int, mode: int) -> None:
    """Before the fix every file was 0600, whatever the umask: colleagues sharing the output
    folder could not open them."""
    old = os.umask(mask)
    try:
        result = runner.invoke(
            app, ["batch", str(ADULT), "-o", str(tmp_path), *KALLELSE_HTML, "-q"]
        )
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.stderr
    files = [*tmp_path.glob("SIP-2026-0142/*"), tmp_path / "manifest.csv"]
    assert {stat.S_IMODE(path.stat().st_mode) for path in files} == {mode}


# --- 16. the manifest CSV opens in Excel with Swedish settings ----------------------------


def test_the_manifest_csv_has_a_bom_and_semicolons(tmp_path: Path) -> None:
    run_batch([ADULT], tmp_path, jobs=1, options=Options(("kallelse",), ("html",)))
    data = (tmp_path / "manifest.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfpath;case_id;document;recipient;language;variant;")
    assert data.splitlines()[1].startswith(b"SIP-2026-0142/kallelse-fk-sv.html;SIP-2026-0142;")
    assert "default > mellanland > lillan" in data.decode("utf-8-sig")


# --- 9. --out that cannot be a folder; no internal error -------------------------------


def test_out_at_a_file_is_a_usage_error(tmp_path: Path) -> None:
    file = tmp_path / "out.pdf"
    file.write_bytes(b"")
    for command in ("render", "batch"):
        result = runner.invoke(app, [command, str(ADULT), *KALLELSE_HTML, "--out", str(file)])
        assert result.exit_code == 2
        assert result.stderr == f"sipdocs: error: --out {file}: this is a file; give a folder\n"


def test_out_under_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "nope" / "out"
    for command in ("render", "batch"):
        result = runner.invoke(app, [command, str(ADULT), *KALLELSE_HTML, "--out", str(out)])
        assert result.exit_code == 2
        assert result.stderr == (
            f"sipdocs: error: --out {out}: {tmp_path / 'nope'} does not exist; make it first, "
            "or check --out\n"
        )
    assert not (tmp_path / "nope").exists()


def test_an_output_folder_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "SIP-2026-0142").write_text("a file where the case folder goes", encoding="utf-8")
    result = runner.invoke(app, ["render", str(ADULT), *KALLELSE_HTML, "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"sipdocs: error: {out / 'SIP-2026-0142'}: File exists"


# --- 10. which files are case files ---------------------------------------------------


def test_a_folder_without_case_files_exits_1(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("no case here", encoding="utf-8")
    for command in ("validate", "render", "batch"):
        result = runner.invoke(app, [command, str(tmp_path)])
        assert result.exit_code == 1
        assert result.stderr == (
            f"sipdocs: error: {tmp_path}: no case files in this folder (*.yaml, *.yml, *.json)\n"
        )


def test_yml_yaml_in_any_case_and_json_are_found(tmp_path: Path) -> None:
    import yaml

    from sipdocs.source import parse

    data = parse(ADULT.read_text(encoding="utf-8")).data
    (tmp_path / "a.YAML").write_bytes(ADULT.read_bytes())
    (tmp_path / "b.yml").write_bytes(ADULT.read_bytes())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.Json").write_text(json.dumps(data, default=str), encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.yaml").write_text(yaml.safe_dump({"x": 1}), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 0, result.stdout
    assert result.stderr == "3 file(s) checked: 0 error(s), 0 warning(s)\n"


def test_an_output_folder_inside_the_cases_is_not_read_as_cases(tmp_path: Path) -> None:
    shutil.copy(ADULT, tmp_path / "case.yaml")
    run_batch([tmp_path], tmp_path / "out", jobs=1, options=Options(("kallelse",), ("html",)))
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 0, result.stdout
    assert result.stderr == "1 file(s) checked: 0 error(s), 0 warning(s)\n"


# --- 11. YAML mistakes say what to do ------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "  kind: initial ",
            "\tkind: initial ",
            "case.yaml:65:1: error: YAML syntax error: a tab character; indent with spaces, "
            "not tabs",
            id="tab",
        ),
        pytest.param(
            "relation: bror,",
            "relation: bror: äldre,",
            "case.yaml:27:40: error: YAML syntax error: did not find expected ',' or '}'; inside "
            "{ } or [ ], put text that holds ':', ',', ' #', '[', ']', '{' or '}' in quotes",
            id="colon-in-flow",
        ),
        pytest.param(
            "digital_link: null",
            "digital_link: null\n  location2: Lillåns kommunhus: rum Ängen",
            "case.yaml:70:31: error: YAML syntax error: a ': ' inside text; put the text in quotes",
            id="colon",
        ),
        pytest.param(
            "rum Ängen, Storgatan 1\n",
            "rum Ängen, Storgatan #1\n",
            "case.yaml:68:3: warning: meeting.location: the text stops before ' #', which "
            "starts a comment; if what follows belongs to the text, put the whole text in quotes",
            id="hash",
        ),
        pytest.param(
            "  duration_minutes: 90\n",
            "  duration_minutes: 90\n   location: x\n",
            "case.yaml:68:12: error: YAML syntax error: mapping values are not allowed in this "
            "context; check the indentation of this line: a key under another key goes further "
            "in, a key beside it just as far",
            id="indentation",
        ),
    ],
)
def test_a_yaml_mistake_says_what_to_do(old: str, new: str, expected: str) -> None:
    text = ADULT.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    loaded = validate_bytes(text.replace(old, new).encode(), "case.yaml")
    assert [str(finding) for finding in loaded.findings] == [expected]


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32"), ("utf-32-le", "UTF-32")],
)
def test_a_file_saved_as_utf_16_or_32_says_to_save_it_as_utf_8(
    tmp_path: Path, encoding: str, name: str
) -> None:
    case = tmp_path / "case.yaml"
    case.write_bytes(ADULT.read_text(encoding="utf-8").encode(encoding))
    result = runner.invoke(app, ["validate", str(case)])
    assert result.exit_code == 1
    assert result.stdout == f"{case}:1:1: error: the file is saved as {name}; save it as UTF-8\n"


# --- 13. the command line -------------------------------------------------------------


def test_formats_and_documents_add_up_whether_repeated_or_listed(tmp_path: Path) -> None:
    arguments = ["render", str(ADULT), "--lang", "sv", "--variant", "standard"]
    result = runner.invoke(
        app, [*arguments, "-d", "kallelse,samtycke", "-f", "pdf", "-f", "txt", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.stderr
    written = {Path(line.split()[1]).name for line in result.stdout.splitlines()}
    assert {"kallelse-fk-sv.pdf", "kallelse-fk-sv.txt", "samtycke-individ-sv.txt"} <= written
    assert {name.split("-")[0] for name in written} == {"kallelse", "samtycke"}
    assert {Path(name).suffix for name in written} == {".pdf", ".txt"}


def test_verbose_works_after_the_command() -> None:
    command = [sys.executable, "-m", "sipdocs", "validate", str(ADULT), "-vv"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert any(
        line.startswith("DEBUG sipdocs.cases [")
        and line.endswith(f"{ADULT}: 0 error(s), 0 warning(s)")
        for line in result.stderr.splitlines()
    ), result.stderr


@pytest.mark.parametrize(
    "command",
    [[], ["batch"], ["render"], ["validate"], ["templates", "check"], ["check"], ["serve"]],
)
def test_help_shows_no_python_type_names(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    for name in ("<bool>", "<int", "<str>", "<path>", "list[", "x>=", "<list"):
        assert name not in result.stdout


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--port", "70000"], "sipdocs: error: --port must be from 0 to 65535, not 70000"),
        (["--workers", "0"], "sipdocs: error: --workers must be 1 or more, not 0"),
        (["--timeout", "0"], "sipdocs: error: --timeout must be more than 0 seconds, not 0"),
    ],
)
def test_serve_says_which_number_is_out_of_range(option: list[str], message: str) -> None:
    result = runner.invoke(app, ["serve", *option])
    assert result.exit_code == 2
    assert result.stderr.strip() == message


def test_batch_help_names_what_each_option_takes() -> None:
    result = runner.invoke(app, ["batch", "--help"], env={"COLUMNS": "120"})
    lines = result.stdout.splitlines()
    assert any("--jobs" in line and " N " in line for line in lines)
    assert any("--out" in line and "FOLDER" in line for line in lines)
    assert "{CASES}..." in result.stdout


def test_shell_completion_can_be_shown_and_installed() -> None:
    result = runner.invoke(app, ["--show-completion", "bash"])
    assert result.exit_code == 0
    assert "_SIPDOCS_COMPLETE" in result.stdout
    assert "--install-completion" in runner.invoke(app, ["--help"]).stdout


def test_check_takes_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner.invoke(
        app, ["render", str(ADULT), "-d", "kallelse", "-f", "pdf", "-l", "sv", "-o", str(out)]
    )
    result = runner.invoke(app, ["check", str(out)])
    assert result.exit_code == 0, result.stdout
    assert result.stderr == "7 file(s) checked: 0 failed\n"


def test_check_of_a_folder_without_pdfs_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"sipdocs: error: {tmp_path}: no PDF files in this folder (*.pdf)\n"


def test_validate_reads_standard_input() -> None:
    text = ADULT.read_text(encoding="utf-8").replace("overall_responsible: soc", "overall: soc")
    result = runner.invoke(app, ["validate", "-"], input=text)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "<stdin>:82:1: error: [R-P5] plan: the plan needs overall_responsible: the principal "
        "with overall responsibility"
    )


def test_follow_up_zero_is_a_usage_error_that_says_why() -> None:
    from tests.conftest import CHILD

    result = runner.invoke(app, ["render", str(CHILD), "--follow-up", "0", "-f", "html"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "sipdocs: error: --follow-up 0: follow-ups are counted from 1"
    )


def test_jobs_zero_is_a_usage_error_that_says_why(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(ADULT), "-o", str(tmp_path), "-j", "0"])
    assert result.exit_code == 2
    assert result.stderr == "sipdocs: error: --jobs must be 1 or more, not 0\n"


def test_layer_text_without_a_translation_is_marked_swedish_and_announced(
    tmp_path: Path,
) -> None:
    layers = tmp_path / "layers"
    shutil.copytree(TEMPLATES / "lillan", layers / "lillan")
    po = layers / "lillan" / "locales" / "fi" / "LC_MESSAGES" / "sipdocs.po"
    translated = 'msgid "Stöd inför mötet"\nmsgstr "Tukea ennen kokousta"\n'
    assert translated in po.read_text(encoding="utf-8")
    po.write_text(
        po.read_text(encoding="utf-8").replace(translated, 'msgid "Stöd inför mötet"\nmsgstr ""\n'),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    arguments = ["render", str(ADULT), "--layers", str(layers), "--doc", "kallelse"]
    result = runner.invoke(
        app, [*arguments, "--format", "html,docx", "--lang", "fi", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    html = (out / "SIP-2026-0142" / "kallelse-individ-fi.html").read_text(encoding="utf-8")
    assert '<h2><span lang="sv">Stöd inför mötet</span></h2>' in html
    assert "<p>Osa tästä asiakirjasta on ruotsiksi, koska sitä ei ole käännetty.</p>" in html
    document = open_docx(out / "SIP-2026-0142" / "kallelse-individ-fi.docx")
    swedish = [
        "".join(t.text for t in run.iter(qn("w:t")))
        for run in document.element.body.iter(qn("w:r"))
        if (lang := run.find(f"{qn('w:rPr')}/{qn('w:lang')}")) is not None
        and lang.get(qn("w:val")) == "sv-SE"
    ]
    assert "Stöd inför mötet" in swedish
    assert "<h2>Kokous koskee</h2>" in html  # a translated heading is not marked


# --- 6. a translation keeps its source's placeholders ---------------------------------


@pytest.fixture
def bad_translation(tmp_path: Path) -> Path:
    """Layers with lillan, whose English catalog translates a message with a placeholder its
    source lacks (on its last lines)."""
    layers = tmp_path / "layers"
    shutil.copytree(TEMPLATES / "lillan", layers / "lillan")
    po = layers / "lillan" / "locales" / "en" / "LC_MESSAGES" / "sipdocs.po"
    with po.open("a", encoding="utf-8") as stream:
        stream.write('\nmsgid "%(date)s kl. %(time)s"\nmsgstr "%(date)s at %(hour)s"\n')
    return layers


def bad_translation_message(layers: Path) -> str:
    po = layers / "lillan" / "locales" / "en" / "LC_MESSAGES" / "sipdocs.po"
    line = po.read_text(encoding="utf-8").count("\n") - 1  # the msgid appended last
    return (
        f"{po}:{line}: msgid '%(date)s kl. %(time)s': the translation has the placeholders "
        "%(date)s, %(hour)s, the source %(date)s, %(time)s; keep exactly the source's"
    )


def test_i18n_compile_refuses_a_placeholder_the_source_lacks(bad_translation: Path) -> None:
    result = runner.invoke(app, ["i18n", "compile", "--layer", str(bad_translation / "lillan")])
    assert result.exit_code == 1
    assert result.stderr == f"sipdocs: error: {bad_translation_message(bad_translation)}\n"


def test_render_names_the_catalog_line_instead_of_an_internal_error(
    bad_translation: Path, tmp_path: Path
) -> None:
    arguments = ["render", str(ADULT), "--layers", str(bad_translation), *KALLELSE_HTML]
    result = runner.invoke(app, [*arguments, "--lang", "en", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        f"{ADULT}: error: {bad_translation_message(bad_translation)}",
        "sipdocs: 1 case(s) not rendered",
    ]


# --- 12. validation --------------------------------------------------------------------


def test_a_plus_typed_for_a_minus_warns_of_an_age_over_105(tmp_path: Path) -> None:
    case = adult_with(tmp_path, ('personal_id: "19880412-3928"', 'personal_id: "880412+3928"'))
    result = runner.invoke(app, ["validate", str(case)])
    assert result.exit_code == 0
    assert result.stdout == (
        f"{case}:17:3: warning: individual.personal_id: the identity number makes the person "
        "over 105 years old; a '+' between the date and the last four digits means 100 or "
        "older: write '-' for anyone younger\n"
    )


def test_a_guardians_plus_warns_too() -> None:
    from tests.conftest import CHILD

    data = CHILD.read_bytes().replace(b'"19850117-6740"', b'"850117+6740"')
    loaded = validate_bytes(data, "case.yaml")
    assert [str(f).split(": ", 2)[2] for f in loaded.findings] == [
        "individual.guardians[0].personal_id: the identity number makes the person over 105 "
        "years old; a '+' between the date and the last four digits means 100 or older: write "
        "'-' for anyone younger"
    ]


@pytest.mark.req("R-K7")
def test_a_reply_by_date_after_the_meeting_is_an_error(tmp_path: Path) -> None:
    case = adult_with(tmp_path, ("reply_by: 2026-11-16", "reply_by: 2026-11-21"))
    result = runner.invoke(app, ["validate", str(case)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{case}:71:3: error: [R-K7] meeting.reply_by: the reply-by date is after the meeting "
        "(meeting.start)\n"
    )


@pytest.mark.req("R-C5")
def test_a_too_long_consent_names_the_last_allowed_date(tmp_path: Path) -> None:
    case = adult_with(tmp_path, ("valid_until: 2027-10-27", "valid_until: 2027-12-31"))
    result = runner.invoke(app, ["validate", str(case)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{case}:57:3: error: [R-C5] consent.valid_until: consent is valid for at most one "
        "year from consent.date: 2027-10-27 at the latest\n"
    )


def test_a_schema_error_leaves_the_rules_to_check_the_rest_of_the_file(tmp_path: Path) -> None:
    case = adult_with(
        tmp_path,
        ("email: eva.lind@lillan.example}", "email: eva.lind-at-lillan}"),
        ("reply_by: 2026-11-16", "reply_by: 2026-11-21"),
    )
    result = runner.invoke(app, ["validate", str(case)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{case}:35:79: error: parties[0].contact.email: not an e-mail address\n"
        f"{case}:71:3: error: [R-K7] meeting.reply_by: the reply-by date is after the meeting "
        "(meeting.start)\n"
    )


# --- 15. documentation that a user has ------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def test_every_rule_id_a_message_can_name_is_explained_in_docs_rules() -> None:
    import re

    from sipdocs import rules

    named = {
        rule_id
        for path in (ROOT / "sipdocs").rglob("*.py")
        for rule_id in re.findall(r"R-[A-Z]+[0-9]+", path.read_text(encoding="utf-8"))
    }
    named |= set(rules.RULES) | set(rules.FIELD_RULES.values())
    explained = set(re.findall(r"^\| (R-[A-Z]+[0-9]+) \|", (DOCS / "rules.md").read_text(), re.M))
    assert sorted(named - explained) == []


def test_no_user_facing_text_points_at_the_shared_folder() -> None:
    texts = [(ROOT / "README.md").read_text(encoding="utf-8")]
    texts += [path.read_text(encoding="utf-8") for path in DOCS.glob("*.md")]
    texts += [runner.invoke(app, [*command, "--help"]).stdout for command in (["validate"], [])]
    assert [text for text in texts if "../shared" in text] == []
    assert "docs/rules.md" in runner.invoke(app, ["validate", "--help"]).stdout


def test_docs_layers_lists_every_layer_yaml_field_and_every_block() -> None:
    import re

    from pydantic import BaseModel

    from sipdocs.templates import Profile

    def fields(model: type[BaseModel], prefix: str = "") -> list[str]:
        found = []
        for name, field in model.model_fields.items():
            found.append(prefix + name)
            inner = next(
                (
                    arg
                    for arg in (field.annotation, *getattr(field.annotation, "__args__", ()))
                    if isinstance(arg, type)
                    and issubclass(arg, BaseModel)
                    and arg.__module__ == "sipdocs.templates"
                ),
                None,
            )
            if inner is not None:
                keyed = getattr(field.annotation, "__origin__", None) is dict
                found += fields(inner, f"{prefix}{name}.{'<id>.' if keyed else ''}")
        return found

    text = (DOCS / "layers.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_.<>]+)` \|", text, re.M))
    assert sorted(set(fields(Profile)) - documented) == []
    for template in (TEMPLATES / "default").rglob("*.html"):
        for block in re.findall(r"{%-? *block (\w+)", template.read_text(encoding="utf-8")):
            assert f"`{block}`" in text, (template.name, block)


def test_layer_new_writes_a_starter_layer_that_passes_the_check(tmp_path: Path) -> None:
    folder = tmp_path / "my-layers"
    result = runner.invoke(
        app, ["layer", "new", "storby", "--into", str(folder), "--region", "mellanland"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"wrote {folder / 'storby' / 'layer.yaml'}; fill it in, then run: "
        f"sipdocs templates check --layers {folder}\n"
    )
    assert (folder / "storby" / "overrides").is_dir()
    checked = runner.invoke(app, ["templates", "check", "--layers", str(folder)])
    assert checked.exit_code == 0, checked.stdout
    case = adult_with(tmp_path, ("municipality: lillan", "municipality: storby"))
    validated = runner.invoke(app, ["validate", str(case), "--layers", str(folder)])
    assert validated.exit_code == 0, validated.stdout
    again = runner.invoke(app, ["layer", "new", "storby", "--into", str(folder)])
    assert again.exit_code == 2
    assert again.stderr == (
        f"sipdocs: error: {folder / 'storby'} exists; choose another name or folder\n"
    )


def test_layer_new_refuses_a_name_a_case_cannot_give(tmp_path: Path) -> None:
    result = runner.invoke(app, ["layer", "new", "stor by", "--into", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == (
        "sipdocs: error: layer name 'stor by': 1 to 40 letters, digits, '-' or '_', starting "
        "with a letter or digit (cases name it in case.municipality)\n"
    )


def test_sipdocs_exports_render_case_run_batch_options_and_registry() -> None:
    import sipdocs
    from sipdocs import batch, render, templates

    assert sipdocs.render_case is render.render_case
    assert sipdocs.run_batch is batch.run_batch
    assert sipdocs.Options is batch.Options
    assert sipdocs.Registry is templates.Registry
    assert {"render_case", "run_batch", "Options", "Registry"} <= set(sipdocs.__all__)


def test_the_readme_python_example_runs_as_a_plain_script(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### As a library") :]
    code = section[section.index("```python\n") + 10 : section.index("\n```\n")]
    (tmp_path / "example.py").write_text(code, encoding="utf-8")
    shutil.copy(ADULT, tmp_path / "case.yaml")
    (tmp_path / "cases").mkdir()
    shutil.copy(ADULT, tmp_path / "cases" / "case.yaml")
    result = subprocess.run(
        [sys.executable, "example.py"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "9 written, 0 case(s) failed"


# --- 7. templates check finds what would fail or vanish later ---------------------------


def test_templates_check_finds_names_blocks_text_and_regions(tmp_path: Path) -> None:
    layers = tmp_path / "layers"
    runner.invoke(app, ["layer", "new", "storby", "--into", str(layers), "--region", "mellanlan"])
    override = layers / "storby" / "overrides" / "kallelse.html"
    override.write_text(
        "Hej!\n{% block extra %}\n<p>{{ profile.phon }}</p>\n{{ super() }}\n{% endblock %}\n"
        "{% block extras %}x{% endblock %}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["templates", "check", "--layers", str(layers)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{override}:1: text outside a block is not shown: an override only redefines blocks; "
        "put it inside one",
        f"{override}:3: 'profile.phon': profile has no 'phon' (did you mean 'phone'?)",
        f"{override}:6: block 'extras' is not a block of this template, so nothing in it is "
        "shown (did you mean 'extra'?) (blocks: contact, content, convener, description, "
        "docmeta, extra, footer, free_of_charge, introduction, invited, letterhead, "
        "other_information, question, recipient, reply, secrecy, styles, title, translation, "
        "unknown_individual, when_where; docs/layers.md)",
        f"{layers / 'storby' / 'layer.yaml'}: region: 'mellanlan' is not a region layer (did "
        "you mean 'mellanland'?) (regions: mellanland); give the folder that holds it with "
        "--layers",
        f"{override}: warning: the layer overrides kallelse.html but not kallelse.docx, so its "
        "DOCX copies lack these changes; add overrides/kallelse.docx (see "
        "docs/docx-templates.md)",
    ]


def test_templates_check_passes_the_built_in_layers() -> None:
    result = runner.invoke(app, ["templates", "check"])
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""


# --- 5. no copy in a language the catalogs do not translate into -------------------------


def test_an_empty_catalog_makes_no_copy_that_is_swedish_throughout(tmp_path: Path) -> None:
    layers = tmp_path / "layers"
    shutil.copytree(TEMPLATES / "lillan", layers / "lillan")
    started = runner.invoke(
        app, ["i18n", "update", "--layer", str(layers / "lillan"), "--lang", "pl"]
    )
    assert started.exit_code == 0, started.stderr
    assert (layers / "lillan" / "locales" / "pl" / "LC_MESSAGES" / "sipdocs.po").is_file()
    arguments = ["render", str(ADULT), "--layers", str(layers), *KALLELSE_HTML]
    result = runner.invoke(app, [*arguments, "--lang", "pl", "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "sipdocs: error: --lang: no translation into 'pl' (languages: sv, en, fi, se, ar, fa, "
        "so, ti, uk)"
    )
    assert not (tmp_path / "out" / "SIP-2026-0142").exists()
