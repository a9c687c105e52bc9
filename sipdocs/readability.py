"""How easy a text is to read: LIX, and the free text of a case that is too hard for easy-read.

LIX (läsbarhetsindex, Björnsson) is words per sentence plus the percentage of long words
(more than six letters). Under 30 is very easy, 30 to 40 easy, 50 to 60 the level of official
texts. Sentence length is half of LIX, so there is no sentence limit of its own: one would
flag a plain 18-word question that LIX rates very easy (29). LIX is only meaningful for a
text of some length, so a field is judged by it from ten words on.

A sentence ends at `.`, `!`, `?` or `:` before a space or the end, or at a line break, since
easy-read puts one sentence on each line. A word is a run of letters (with inner hyphens or
apostrophes); numbers are not words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sipdocs.findings import Issue, warning
from sipdocs.languages import SOURCE_LANGUAGE
from sipdocs.model import Case, Text, leaves

LIX_LIMIT = 40  # above this a field of an easy-read copy is flagged
LIX_MIN_WORDS = 10  # LIX says nothing about a label: "Logopedbedömning." scores 101
LONG_WORD = 6  # letters; a longer word is long
# An easy-read copy explains what it cannot avoid; case text should not need explaining.
VERY_LONG_WORD = 20  # letters; a longer word (a long compound) is hard even in context
EXPLAINED_BY_THE_COPY = frozenset({"SIP"})  # "SIP betyder samordnad individuell plan."
# The free-text fields an easy-read copy shows (the last key of their key path).
EASY_READ_FIELDS = frozenset(
    {
        "what",
        "meanwhile",
        "excluded_information",
        "own_words",
        "professional",
        "what_matters",
        "strengths",
        "other_information",
        "own_actions",
        "comment",
        "form",
        "question",
        "changed_circumstances",
    }
)
_LETTERS = re.compile(r"[^\W\d_]+")  # a run of letters: "SIP" and "möte" in "SIP-möte"
_IN_PARENTHESES = re.compile(r"\(([^()]*)\)")
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n+")
_WORD = re.compile("[^\\W\\d_]+(?:[-'\u2019][^\\W\\d_]+)*")


@dataclass(frozen=True)
class Readability:
    """The counts LIX is made of."""

    words: int
    sentences: int
    long_words: int
    longest_sentence: int  # in words

    @property
    def lix(self) -> float:
        if not self.words:
            return 0.0
        return self.words / self.sentences + 100 * self.long_words / self.words


def readability(text: str) -> Readability:
    """LIX and sentence lengths of `text`."""
    sentences = [words for part in _SENTENCE_END.split(text) if (words := _WORD.findall(part))]
    words = [word for sentence in sentences for word in sentence]
    return Readability(
        words=len(words),
        sentences=len(sentences),
        long_words=sum(1 for word in words if len(word) > LONG_WORD),
        longest_sentence=max((len(s) for s in sentences), default=0),
    )


def hard_to_read(case: Case) -> Iterator[Issue]:
    """Free text an easy-read copy would show that is too hard by its LIX.

    The easy-read copy shows a field's `lattlast` wording, else its Swedish; the warning
    names that wording's key path and the figures, never the text.
    """
    for path, text in leaves(case):
        if not isinstance(text, Text):
            continue
        wording, key = (text.lattlast, "lattlast") if text.lattlast else (text.sv, "sv")
        measured = readability(wording)
        if measured.words >= LIX_MIN_WORDS and measured.lix > LIX_LIMIT:
            advice = "" if key == "lattlast" else "; give it a lattlast wording"
            yield warning(
                (*path, key),
                f"hard to read in the easy-read copy: LIX {measured.lix:.0f} (over {LIX_LIMIT})"
                f"{advice}",
                "R-P13",
            )


def unexplained_terms(case: Case) -> Iterator[Issue]:
    """Abbreviations and very long words in a field an easy-read copy shows in Swedish (it
    has no `lattlast` wording) that neither the field nor the copy explains. An abbreviation
    is explained when the text gives it in parentheses after its long form ("Samtalsbehandling
    (KBT)") or its long form in parentheses after it, when a party's name in the case does so
    ("Barn- och ungdomspsykiatrin (BUP)"), or when the copy itself explains it (SIP). The
    warning gives where and how many, never the words.
    """
    named = {
        term
        for party in case.parties
        for inside in _IN_PARENTHESES.findall(party.name)
        for term in _abbreviations(inside)
    }
    party_words = {word for party in case.parties for word in _WORD.findall(party.name)}
    for path, text in leaves(case):
        field = next((key for key in reversed(path) if isinstance(key, str)), None)
        if not isinstance(text, Text) or text.lattlast or field not in EASY_READ_FIELDS:
            continue
        abbreviations = [
            found
            for found in _LETTERS.finditer(text.sv)
            if _is_abbreviation(found.group())
            and found.group() not in EXPLAINED_BY_THE_COPY | named
            and not _explained_in(text.sv, found)
        ]
        long_words = [
            word
            for word in _WORD.finditer(text.sv)
            if len(word.group()) > VERY_LONG_WORD and word.group() not in party_words
        ]
        if abbreviations or long_words:
            where = ", ".join(str(found.start() + 1) for found in (*abbreviations, *long_words))
            yield warning(
                (*path, SOURCE_LANGUAGE),
                f"the easy-read copy shows {len(abbreviations)} abbreviation(s) and "
                f"{len(long_words)} word(s) of more than {VERY_LONG_WORD} letters that it does "
                f"not explain (at character {where}); write them out or give a lattlast wording",
                "R-P13",
            )


def _is_abbreviation(letters: str) -> bool:
    """Two to six letters, the first and at least one more a capital: "LSS", "SoL"."""
    return 2 <= len(letters) <= 6 and letters[0].isupper() and sum(map(str.isupper, letters)) > 1


def _abbreviations(text: str) -> list[str]:
    return [letters for letters in _LETTERS.findall(text) if _is_abbreviation(letters)]


def _explained_in(text: str, abbreviation: re.Match[str]) -> bool:
    """Whether the text gives the abbreviation's long form: "long form (ABC)", "long form
    (HbA1c)", or "ABC (long form)"."""
    if text[abbreviation.end() :].lstrip().startswith("("):
        return True
    return any(
        group.start() < abbreviation.start() < group.end()
        and _WORD.search(text[: group.start()]) is not None
        for group in _IN_PARENTHESES.finditer(text)
    )
