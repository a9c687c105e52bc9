"""The languages a case may name, with their Swedish names and writing direction."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    swedish_name: str
    rtl: bool = False
    font: str | None = None  # the script's own font, where Noto Sans has no glyphs for it
    latin: bool = True  # written in the Latin script, as Swedish is


SOURCE_LANGUAGE = "sv"

LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("sv", "svenska"),
        Language("en", "engelska"),
        Language("fi", "finska"),
        Language("fit", "meänkieli"),
        Language("se", "nordsamiska"),
        Language("smj", "lulesamiska"),
        Language("sma", "sydsamiska"),
        Language("rom", "romani chib"),
        Language("yi", "jiddisch", rtl=True, font="Noto Sans Hebrew", latin=False),
        Language("ar", "arabiska", rtl=True, font="Noto Sans Arabic", latin=False),
        Language("fa", "persiska", rtl=True, font="Noto Sans Arabic", latin=False),
        Language("prs", "dari", rtl=True, font="Noto Sans Arabic", latin=False),
        Language("so", "somaliska"),
        Language("ti", "tigrinska", font="Noto Sans Ethiopic", latin=False),
        Language("uk", "ukrainska", latin=False),
        Language("pl", "polska"),
    )
}


def N_(message: str) -> str:
    """Marks a Swedish string for extraction; a template translates it when it prints it."""
    return message


def known_codes() -> str:
    """The known codes as one comma-separated string, for messages."""
    return ", ".join(LANGUAGES)
