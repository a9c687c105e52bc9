"""The languages a case may name, with their Swedish names and writing direction."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    swedish_name: str
    rtl: bool = False


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
        Language("yi", "jiddisch"),
        Language("ar", "arabiska", rtl=True),
        Language("fa", "persiska", rtl=True),
        Language("prs", "dari", rtl=True),
        Language("so", "somaliska"),
        Language("ti", "tigrinska"),
        Language("uk", "ukrainska"),
        Language("pl", "polska"),
    )
}


def known_codes() -> str:
    """The known codes as one comma-separated string, for messages."""
    return ", ".join(LANGUAGES)
