"""Audio: the easy-read copy read aloud by espeak-ng, as a small MP3 made by lame.

What is spoken is the letter itself (`main_text`), not the whole text format: the letterhead,
case details, address and footer are there for the post, and would be a minute of names and
numbers before the message begins. Each heading, list item and "label: value" line becomes a
sentence of its own, so the voice pauses between them, and free text that stands in Swedish
in a translation is read by the Swedish voice rather than spelled out by the other one.

The MP3 is mono at 32 kbit/s (constant) and espeak-ng's own 22.05 kHz: about 240 kB a
minute, small enough to send, and it plays on every phone. The same copy gives the same bytes.

The letter holds names and health data: it goes to espeak-ng on stdin, never on the command
line, and espeak-ng's WAV goes to lame on stdin. Only what the ID3 tag holds is on lame's
command line: the title with the case id, the sending organisation and the language.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from xml.sax.saxutils import escape

from sipdocs.context import DocumentContext
from sipdocs.errors import RenderError
from sipdocs.i18n import language_name
from sipdocs.renderers import register
from sipdocs.renderers.html import HtmlRenderer
from sipdocs.renderers.text import main_text


@dataclass(frozen=True)
class Voice:
    """How espeak-ng speaks a language, and how the ID3 tag names it."""

    espeak: str  # the espeak-ng voice
    iso639_2: str  # the language's code in the ID3 tag (TLAN)


# The sipdocs languages espeak-ng 1.51 (Debian 12) has a voice for; `espeak-ng --voices`.
VOICES = {
    "sv": Voice("sv", "swe"),
    "en": Voice("en-gb", "eng"),
    "fi": Voice("fi", "fin"),
    "smj": Voice("smj", "smj"),
    "ar": Voice("ar", "ara"),
    "fa": Voice("fa", "fas"),
    "uk": Voice("uk", "ukr"),
    "pl": Voice("pl", "pol"),
}
WORDS_PER_MINUTE = "150"  # a calm pace for easy-read; espeak-ng's default is 175
BITRATE = "32"  # kbit/s
TIMEOUT = 120  # seconds, for each program

EASY_READ_ONLY = "audio is made of easy-read copies only"

# Free text in another language than the copy's (a Swedish stand-in, see `FreeText`) is
# marked with characters from the private use area, which pass through `main_text`.
_OTHER_LANGUAGE = re.compile(r'<span lang="([a-z]{2,3})"[^>]*>(.*?)</span>', re.DOTALL)
_OPEN, _VOICE_END, _CLOSE = "\ue000", "\ue001", "\ue002"
_MARKED = re.compile(f"{_OPEN}([a-z-]+){_VOICE_END}")
_FINAL_PUNCTUATION = tuple(".!?:;…؟")


def mark_languages(html: str) -> str:
    """`html` with each free text in another language that has a voice marked by its voice."""

    def mark(match: re.Match[str]) -> str:
        voice = VOICES.get(match[1])
        return f"{_OPEN}{voice.espeak}{_VOICE_END}{match[2]}{_CLOSE}" if voice else match[2]

    return _OTHER_LANGUAGE.sub(mark, html)


def sentences(text: str) -> list[str]:
    """The lines of the text format as sentences to speak.

    List bullets go, a line without final punctuation gets a full stop, and a line with no
    letter or digit is left out: the headings' underlines, a lone dash for "none".
    """
    spoken = []
    for line in text.splitlines():
        line = line.strip().removeprefix("- ").strip()
        if not any(char.isalnum() for char in line):
            continue
        if not line.rstrip(_CLOSE).endswith(_FINAL_PUNCTUATION):
            line += "."
        spoken.append(line)
    return spoken


def ssml(lines: list[str], voice: str) -> str:
    """The sentences as SSML for espeak-ng, marked free text in its own voice."""
    body = _MARKED.sub(r'<voice xml:lang="\1">', escape("\n".join(lines)))
    return f'<speak xml:lang="{voice}">\n{body.replace(_CLOSE, "</voice>")}\n</speak>\n'


@register
class AudioRenderer(HtmlRenderer):
    name = "audio"
    suffix = ".mp3"

    def unavailable(self, context: DocumentContext) -> str | None:
        if not context.easy_read:
            return EASY_READ_ONLY
        if context.language not in VOICES:
            name = language_name(context.language, "en")
            return f"espeak-ng has no voice for {name} ({context.language})"
        return None

    def render(self, context: DocumentContext) -> bytes:
        if reason := self.unavailable(context):
            raise RenderError(f"{context.stem}: {reason}")
        voice = VOICES[context.language]
        html = self.html(context)
        lines = sentences(main_text(mark_languages(html)))
        if not lines:
            raise RenderError(f"{context.stem}: the copy has no text to read aloud")
        espeak = ["-v", voice.espeak, "-m", "-b", "1", "-s", WORDS_PER_MINUTE, "--stdin"]
        wav = run("espeak-ng", [*espeak, "--stdout"], ssml(lines, voice.espeak).encode())
        tag = ["--id3v2-only", "--id3v2-utf16", "--tt", context.full_title]
        tag += ["--ta", context.author, "--tv", f"TLAN={voice.iso639_2}"]
        return run("lame", ["--silent", "-m", "m", "-b", BITRATE, *tag, "-", "-"], wav)


def run(program: str, arguments: list[str], data: bytes) -> bytes:
    """What `program` writes to stdout given `data` on stdin (its Debian package has its name).

    Errors name the program and the package, never what it was given.
    """
    path = shutil.which(program)
    if path is None:
        raise RenderError(f"{program} not found: install the Debian package {program}")
    try:
        done = subprocess.run(
            [path, *arguments],
            input=data,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
            env={**os.environ, "LC_ALL": "C.UTF-8"},  # lame reads the tag's text as UTF-8
        )
    except subprocess.TimeoutExpired:
        raise RenderError(f"{program} took longer than {TIMEOUT} s") from None
    except OSError as exc:
        raise RenderError(
            f"{program} could not be run ({exc.strerror}): reinstall the Debian package {program}"
        ) from None
    if done.returncode != 0 or not done.stdout:
        raise RenderError(
            f"{program} failed (exit status {done.returncode}): check the Debian package {program}"
        )
    return done.stdout
