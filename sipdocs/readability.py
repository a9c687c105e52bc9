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
from sipdocs.model import Case, Text, leaves

LIX_LIMIT = 40  # above this a field of an easy-read copy is flagged
LIX_MIN_WORDS = 10  # LIX says nothing about a label: "Logopedbedömning." scores 101
LONG_WORD = 6  # letters; a longer word is long
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
