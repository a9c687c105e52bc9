"""sipdocs batch: many cases in parallel, resumable, accounted for in a manifest."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sipdocs.batch import STATE, Options, run_batch
from sipdocs.cli import app
from tests.conftest import ADULT, CHILD

runner = CliRunner()
HTML = Options(documents=("kallelse",), formats=("html",))


def copies(folder: Path, count: int) -> list[Path]:
    """`count` copies of the adult reference case, each with its own case id."""
    folder.mkdir(parents=True, exist_ok=True)
    text = ADULT.read_text(encoding="utf-8")
    paths = []
    for number in range(count):
        path = folder / f"case-{number:03d}.yaml"
        path.write_text(text.replace("SIP-2026-0142", f"SIP-2026-{5000 + number}"), "utf-8")
        paths.append(path)
    return paths


def documents(out: Path) -> dict[str, str]:
    """Every file in the case folders, by path, with its SHA-256."""
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.glob("SIP-*/*"))
    }


def manifest_hashes(out: Path) -> dict[str, str]:
    return {row["path"]: row["sha256"] for row in json.loads((out / "manifest.json").read_text())}


def test_batch_renders_every_case_and_lists_each_file_in_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_batch([ADULT, CHILD], out, jobs=2, options=HTML)
    assert not result.failed
    assert [case.case_id for case in result.cases] == ["SIP-2026-0142", "SIP-2027-0007"]
    assert len(result.written) == len(documents(out)) == 9 + 14
    assert manifest_hashes(out) == documents(out)
    with (out / "manifest.csv").open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    assert rows[0] == {
        "path": "SIP-2026-0142/kallelse-fk-sv.html",
        "case_id": "SIP-2026-0142",
        "document": "kallelse",
        "recipient": "fk",
        "language": "sv",
        "variant": "standard",
        "format": "html",
        "template_version": "kallelse/2",
        "layers": "default > mellanland > lillan",
        "sha256": documents(out)["SIP-2026-0142/kallelse-fk-sv.html"],
        "input_sha256": hashlib.sha256(ADULT.read_bytes()).hexdigest(),
        "sipdocs_version": rows[0]["sipdocs_version"],
        "warnings": "",
    }


def test_a_second_run_skips_what_is_up_to_date_and_force_renders_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    cases = copies(tmp_path / "cases", 2)
    first = run_batch(cases, out, jobs=1, options=HTML)
    again = run_batch(cases, out, jobs=1, options=HTML)
    assert (len(again.written), len(again.skipped)) == (0, len(first.written))
    cases[1].write_text(cases[1].read_text("utf-8").replace("Amal", "Amira"), "utf-8")
    changed = run_batch(cases, out, jobs=1, options=HTML)
    assert {e.case_id for e in changed.written} == {"SIP-2026-5001"}
    assert {e.case_id for e in changed.skipped} == {"SIP-2026-5000"}
    forced = run_batch(cases, out, jobs=1, options=Options(("kallelse",), ("html",), force=True))
    assert len(forced.written) == len(first.written)
    assert manifest_hashes(out) == documents(out)


def test_a_damaged_file_is_rendered_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([ADULT], out, jobs=1, options=HTML)
    damaged = out / "SIP-2026-0142" / "kallelse-soc-sv.html"
    damaged.write_text("damaged", encoding="utf-8")
    again = run_batch([ADULT], out, jobs=1, options=HTML)
    assert [entry.path for entry in again.written] == ["SIP-2026-0142/kallelse-soc-sv.html"]
    assert manifest_hashes(out) == documents(out)


def test_a_bad_case_is_reported_and_skipped_and_the_rest_is_made(tmp_path: Path) -> None:
    bad = tmp_path / "cases" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text("format: sipdocs/1\ncase: {id: SIP-2026-0001}\n", encoding="utf-8")
    good = copies(tmp_path / "cases", 1)[0]
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["batch", str(tmp_path / "cases"), "--out", str(out), "-d", "kallelse", "-f", "html"]
    )
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"{bad}: error: the case has errors and was not rendered" in lines
    assert any(line.startswith(f"{bad}:") and ": error: " in line for line in lines[:-3])
    assert f"[2/2] {good}: 9 written, 0 up to date" in lines
    assert lines[-1] == (
        f"2 case(s): 9 file(s) written, 0 up to date, 1 case(s) failed; "
        f"manifest: {out / 'manifest.json'}"
    )
    assert len(documents(out)) == 9


def test_two_files_with_one_case_id_never_overwrite_each_other(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    first, second = folder / "a.yaml", folder / "b.yaml"
    first.write_bytes(ADULT.read_bytes())
    second.write_bytes(ADULT.read_bytes())
    result = run_batch([folder], tmp_path / "out", jobs=1, options=HTML)
    assert [case.error for case in result.cases] == [
        None,
        f"case.id: the same id as {first}; not rendered",
    ]


def test_quiet_prints_only_the_summary(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["batch", str(ADULT), "-o", str(tmp_path), "-d", "kallelse", "-f", "html", "-q"]
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"1 case(s): 9 file(s) written, 0 up to date, 0 case(s) failed; "
        f"manifest: {tmp_path / 'manifest.json'}"
    ]


def test_zip_packs_each_cases_files_the_same_way_every_time(tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = Options(("kallelse",), ("html",), zip=True)
    run_batch([ADULT], out, jobs=1, options=options)
    packed = (out / "SIP-2026-0142.zip").read_bytes()
    with zipfile.ZipFile(out / "SIP-2026-0142.zip") as archive:
        assert sorted(archive.namelist()) == sorted(documents(out))
        assert (
            archive.read("SIP-2026-0142/kallelse-soc-sv.html")
            == (out / "SIP-2026-0142" / "kallelse-soc-sv.html").read_bytes()
        )
    run_batch([ADULT], out, jobs=1, options=Options(("kallelse",), ("html",), True, zip=True))
    assert (out / "SIP-2026-0142.zip").read_bytes() == packed


def test_a_folder_another_batch_is_writing_into_is_refused(tmp_path: Path) -> None:
    (tmp_path / STATE).mkdir()
    with open(tmp_path / STATE / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = runner.invoke(app, ["batch", str(ADULT), "-o", str(tmp_path), "-f", "html"])
    assert result.exit_code == 2
    assert (
        result.stderr == f"sipdocs: error: {tmp_path}: another batch is writing into this folder\n"
    )


def test_a_killed_batch_leaves_no_partial_file_and_a_rerun_completes_it(tmp_path: Path) -> None:
    cases = copies(tmp_path / "cases", 8)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "sipdocs", "batch", str(tmp_path / "cases"), "-o", str(out)]
    command += ["-d", "kallelse", "-f", "pdf", "-j", "2", "-q"]
    process = subprocess.Popen(command, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(list(out.glob("SIP-*/*.pdf"))) < 12 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the batch and its workers
    process.wait()
    made = list(out.glob("SIP-*/*"))
    assert 12 <= len(made) < 9 * len(cases)
    assert all(path.read_bytes().startswith(b"%PDF-") for path in made)
    assert all(path.read_bytes().rstrip().endswith(b"%%EOF") for path in made)
    assert not list(out.glob("SIP-*/.*"))  # no temporary file among the documents
    again = subprocess.run(command, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    assert len(documents(out)) == 9 * len(cases)
    assert manifest_hashes(out) == documents(out)
    assert not list((out / STATE / "tmp").iterdir())


@pytest.mark.parametrize("jobs", [0, -1])
def test_jobs_must_be_positive(tmp_path: Path, jobs: int) -> None:
    result = runner.invoke(app, ["batch", str(ADULT), "-o", str(tmp_path), "-j", str(jobs)])
    assert result.exit_code == 2


def slow_layer(root: Path) -> Path:
    """A layers folder with municipality `sloby`, whose kallelse never finishes rendering."""
    folder = root / "layers" / "sloby"
    (folder / "overrides").mkdir(parents=True)
    (folder / "layer.yaml").write_text(
        "kind: municipality\nname: Sloby kommun\nregion: mellanland\n", encoding="utf-8"
    )
    (folder / "overrides" / "kallelse.html").write_text(
        "{% block extra %}{% for a in range(100000) %}{% for b in range(100000) %}"
        "{% endfor %}{% endfor %}{% endblock %}",
        encoding="utf-8",
    )
    return root / "layers"


def slow_case(folder: Path) -> Path:
    path = folder / "slow.yaml"
    text = ADULT.read_text(encoding="utf-8").replace("SIP-2026-0142", "SIP-2026-4999")
    path.write_text(text.replace("municipality: lillan", "municipality: sloby"), "utf-8")
    return path


def test_a_case_past_its_time_limit_fails_and_the_others_are_made(tmp_path: Path) -> None:
    copies(tmp_path / "cases", 2)
    slow = slow_case(tmp_path / "cases")
    layers, out = slow_layer(tmp_path), tmp_path / "out"
    arguments = ["batch", str(tmp_path / "cases"), "-o", str(out), "-d", "kallelse", "-f", "html"]
    started = time.monotonic()
    result = runner.invoke(app, [*arguments, "--layers", str(layers), "--timeout", "6", "-j", "2"])
    assert time.monotonic() - started < 60
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"{slow}: error: rendering took longer than 6 s" in lines
    assert lines[-1] == (
        f"3 case(s): 18 file(s) written, 0 up to date, 1 case(s) failed; "
        f"manifest: {out / 'manifest.json'}"
    )
    assert {path.split("/")[0] for path in documents(out)} == {
        "SIP-2026-5000",
        "SIP-2026-5001",
    }
    assert manifest_hashes(out) == documents(out)


def interrupted_batch(tmp_path: Path) -> tuple[subprocess.Popen[str], Path]:
    """A batch of 4 cases as a command, once it has made its first PDFs."""
    copies(tmp_path / "cases", 4)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "sipdocs", "batch", str(tmp_path / "cases"), "-o", str(out)]
    command += ["-d", "kallelse", "-f", "pdf", "-j", "2", "-q"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list(out.glob("SIP-*/*.pdf")) and time.monotonic() < deadline:
        time.sleep(0.05)
    return process, out


def assert_whole(out: Path) -> None:
    """Every file in the case folders is a whole PDF, and none is a temporary file."""
    made = list(out.glob("SIP-*/*"))
    assert all(path.read_bytes().startswith(b"%PDF-") for path in made)
    assert all(path.read_bytes().rstrip().endswith(b"%%EOF") for path in made)
    assert not list(out.glob("SIP-*/.*"))


def test_ctrl_c_stops_after_the_cases_in_progress(tmp_path: Path) -> None:
    process, out = interrupted_batch(tmp_path)
    assert process.stderr is not None
    process.send_signal(signal.SIGINT)
    started = time.monotonic()
    first = process.stderr.readline()
    said = time.monotonic() - started
    assert first == (
        "sipdocs: stopping after the 2 case(s) in progress (at most 10 s); "
        "press Ctrl-C again to stop at once\n"
    )
    assert said < 1
    assert process.wait(timeout=30) == 130
    assert time.monotonic() - started < 10
    last = process.stderr.read().splitlines()[-1]
    assert re.fullmatch(
        r"sipdocs: stopped: [0-3] of 4 case\(s\) done; run the same command again to make the "
        r"rest",
        last,
    ), last
    assert_whole(out)
    assert manifest_hashes(out) == documents(out)


def test_a_second_ctrl_c_stops_at_once(tmp_path: Path) -> None:
    process, out = interrupted_batch(tmp_path)
    assert process.stderr is not None
    process.send_signal(signal.SIGINT)
    assert process.stderr.readline().startswith("sipdocs: stopping after the ")
    process.send_signal(signal.SIGINT)
    started = time.monotonic()
    assert process.wait(timeout=30) == 130
    assert time.monotonic() - started < 3
    assert process.stderr.read().splitlines() == [
        "sipdocs: stopped at once; run the same command again to make the rest"
    ]
    assert_whole(out)
