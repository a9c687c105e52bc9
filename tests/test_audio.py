"""The easy-read copy read aloud: an MP3 through espeak-ng and lame (R-P13)."""

from __future__ import annotations

import array
import math
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sipdocs import load_case
from sipdocs.cli import app
from sipdocs.context import DocumentContext
from sipdocs.errors import RenderError
from sipdocs.render import Outputs, document_contexts, render_case
from sipdocs.renderers import audio
from sipdocs.renderers.audio import AudioRenderer, mark_languages, sentences, ssml
from sipdocs.renderers.html import HtmlRenderer
from sipdocs.renderers.text import main_text
from sipdocs.templates import Registry
from tests.conftest import ADULT

TIGRINYA_NOTE = "plan-individ-ti-lattlast: no audio: espeak-ng has no voice for Tigrinya (ti)"
STANDARD_NOTE = "plan-individ-sv: no audio: audio is made of easy-read copies only"
SAMPLE_RATE = 22050
SHORT_LETTER = (
    "<main><h1>Din plan</h1><ul><li>Amal Haddad vill sova"
    " bättre</li></ul><p>Behandling för ångest.</p></main>"
)


def easy_read_plan(language: str) -> DocumentContext:
    """The individual's easy-read plan in `language`."""
    contexts = document_contexts(
        load_case(ADULT), Registry(), ["plan"], languages=[language], variants=["lattlast"]
    )
    return next(c for c in contexts if c.language == language and c.recipient.id == "individ")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    """The plan's audio for Arabic and Tigrinya, with every copy's Swedish original."""
    return render_case(
        ADULT,
        tmp_path_factory.mktemp("out"),
        documents=["plan"],
        formats=["audio"],
        languages=["ar", "ti"],
        variants=["lattlast", "standard"],
    )


@pytest.fixture
def short_letter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every copy's HTML is a short letter, so a render takes a moment."""
    monkeypatch.setattr(HtmlRenderer, "html", lambda self, context: SHORT_LETTER)


def tag_size(mp3: bytes) -> int:
    """The length of the ID3v2 tag the MP3 starts with."""
    assert mp3[:3] == b"ID3"
    return 10 + sum(byte << 7 * (3 - i) for i, byte in enumerate(mp3[6:10]))


def frames(mp3: bytes) -> list[bytes]:
    """The headers of the MPEG audio frames after the ID3v2 tag; each must be valid."""
    position = tag_size(mp3)
    headers = []
    while position < len(mp3):
        header = mp3[position : position + 4]
        # MPEG-2 layer III without CRC, 32 kbit/s, 22.05 kHz, mono.
        assert header[:2] == b"\xff\xf3", position
        assert header[2] & 0xFC == 0x40, position
        assert header[3] >> 6 == 3, position
        headers.append(header)
        position += 72 * 32000 // SAMPLE_RATE + (header[2] >> 1 & 1)
    assert position == len(mp3)
    return headers


def decoded(mp3: bytes) -> array.array[int]:
    """The samples lame decodes the MP3 into (16-bit mono)."""
    pcm = subprocess.run(
        ["lame", "--quiet", "--mp3input", "--decode", "-t", "-", "-"],
        input=mp3,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    return array.array("h", pcm)


@pytest.mark.req("R-P13")
@pytest.mark.parametrize("language", ["sv", "ar"])
def test_easy_read_plan_is_spoken_as_a_compact_mp3(rendered: Outputs, language: str) -> None:
    output = next(o for o in rendered if o.context.stem == f"plan-individ-{language}-lattlast")
    assert output.path.suffix == ".mp3"
    assert output.format == "audio"
    mp3 = output.path.read_bytes()
    seconds = len(frames(mp3)) * 576 / SAMPLE_RATE
    samples = decoded(mp3)
    assert abs(len(samples) / SAMPLE_RATE - seconds) < 0.2  # no sample rate mix-up
    words = len(main_text(HtmlRenderer(Registry()).html(output.context)).split())
    assert 25 < seconds / words * 100 < 90, (seconds, words)
    rms = math.sqrt(sum(sample * sample for sample in samples[::7]) / len(samples[::7]))
    assert rms > 1000
    assert 3900 < len(mp3) / seconds < 4200  # 32 kbit/s and a small tag


@pytest.mark.req("R-P13")
def test_mp3_tag_names_the_document_sender_and_language(rendered: Outputs) -> None:
    output = next(o for o in rendered if o.context.stem == "plan-individ-ar-lattlast")
    mp3 = output.path.read_bytes()
    tag = mp3[: tag_size(mp3)]
    for frame, text in (
        (b"TIT2", output.context.full_title),
        (b"TPE1", output.context.author),
        (b"TLAN", "ara"),
    ):
        assert frame in tag
        assert text.encode("utf-16-le") in tag, frame


@pytest.mark.req("R-P13")
def test_tigrinya_and_standard_copies_get_a_note_instead_of_audio(rendered: Outputs) -> None:
    assert sorted(o.path.name for o in rendered) == [
        "plan-individ-ar-lattlast.mp3",
        "plan-individ-sv-lattlast.mp3",
    ]
    assert TIGRINYA_NOTE in rendered.notes
    assert STANDARD_NOTE in rendered.notes
    others = [note for note in rendered.notes if note != TIGRINYA_NOTE]
    assert all(
        note.endswith(": no audio: audio is made of easy-read copies only") for note in others
    )


@pytest.mark.req("R-P13")
def test_cli_notes_a_language_without_a_voice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AudioRenderer, "render", lambda self, context: b"mp3")
    result = CliRunner().invoke(
        app,
        [
            *("render", str(ADULT), "--doc", "plan", "--format", "audio", "--lang", "ti"),
            *("--variant", "lattlast", "--out", str(tmp_path)),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert f"{ADULT}: note: {TIGRINYA_NOTE}" in result.stderr.splitlines()
    assert [path.name for path in tmp_path.rglob("*.mp3")] == ["plan-individ-sv-lattlast.mp3"]


@pytest.mark.parametrize(
    ("language", "name"), [("ti", "Tigrinya"), ("so", "Somali"), ("se", "Northern Sami")]
)
def test_languages_without_a_voice_are_named(language: str, name: str) -> None:
    reason = AudioRenderer(Registry()).unavailable(easy_read_plan(language))
    assert reason == f"espeak-ng has no voice for {name} ({language})"


def test_sentences_pause_after_headings_and_list_items() -> None:
    text = (
        "Din plan\n========\nHär är din plan.\n\nMål\n---\n- Jag vill sova\n"
        "1. Jag vill laga mat!\nStart: –\n–\nهل لديك أسئلة؟\nDet här:\n"
    )
    assert sentences(text) == [
        "Din plan.",
        "Här är din plan.",
        "Mål.",
        "Jag vill sova.",
        "1. Jag vill laga mat!",
        "Start: –.",
        "هل لديك أسئلة؟",
        "Det här:",
    ]


def test_swedish_free_text_in_a_translation_is_read_by_the_swedish_voice() -> None:
    html = (
        '<main><h2>الهدف</h2><p><span lang="sv" dir="ltr">Jag vill sova &amp; vila</span>'
        '</p><p>1 &lt; 2</p><p><span lang="ti">ሰላም</span></p></main>'
    )
    assert ssml(sentences(main_text(mark_languages(html))), "ar") == (
        '<speak xml:lang="ar">\nالهدف.\n<voice xml:lang="sv">Jag vill sova &amp; vila</voice>.'
        "\n1 &lt; 2.\nሰላም.\n</speak>\n"
    )


@pytest.mark.req("R-P13")
def test_the_letter_goes_to_espeak_on_stdin_never_on_the_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[list[str], bytes]] = []

    def run(
        arguments: list[str], input: bytes, **options: Any
    ) -> subprocess.CompletedProcess[bytes]:
        calls.append((arguments, input))
        return subprocess.CompletedProcess(arguments, 0, b"sound", b"")

    monkeypatch.setattr(audio.subprocess, "run", run)
    context = easy_read_plan("sv")
    assert AudioRenderer(Registry()).render(context) == b"sound"
    (espeak, text), (lame, wav) = calls
    assert Path(espeak[0]).name == "espeak-ng"
    assert Path(lame[0]).name == "lame"
    assert wav == b"sound"
    spoken = sentences(main_text(HtmlRenderer(Registry()).html(context)))
    assert "Jag vill sova bättre och vara mindre rädd." in spoken
    for line in spoken:
        assert line.encode() in text
        assert not any(line in argument for argument in espeak + lame), line
    assert not any("Amal" in argument or "Eva" in argument for argument in espeak + lame)


@pytest.mark.usefixtures("short_letter")
def test_the_same_copy_gives_the_same_bytes() -> None:
    renderer = AudioRenderer(Registry())
    context = easy_read_plan("sv")
    first = renderer.render(context)
    assert len(frames(first)) > 50
    assert renderer.render(context) == first


@pytest.mark.usefixtures("short_letter")
@pytest.mark.parametrize(
    ("found", "message"),
    [
        ([], "espeak-ng not found: install the Debian package espeak-ng"),
        (["espeak-ng"], "lame not found: install the Debian package lame"),
    ],
)
def test_a_missing_program_names_its_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, found: list[str], message: str
) -> None:
    for program in found:
        (tmp_path / program).symlink_to(f"/usr/bin/{program}")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError) as raised:
        AudioRenderer(Registry()).render(easy_read_plan("sv"))
    assert str(raised.value) == message


@pytest.mark.usefixtures("short_letter")
def test_a_failing_program_names_its_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "espeak-ng"
    script.write_text("#!/bin/sh\necho 'Amal Haddad' >&2\nexit 3\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(RenderError) as raised:
        AudioRenderer(Registry()).render(easy_read_plan("sv"))
    assert str(raised.value) == (
        "espeak-ng failed (exit status 3): check the Debian package espeak-ng"
    )


def test_a_letter_with_nothing_to_say_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(HtmlRenderer, "html", lambda self, context: "<main><h1>–</h1></main>")
    with pytest.raises(RenderError) as raised:
        AudioRenderer(Registry()).render(easy_read_plan("sv"))
    assert str(raised.value) == "plan-individ-sv-lattlast: the copy has no text to read aloud"
