"""A property of every copy (R-S2 to R-S5): no recipient sees what they are not entitled to.

Hypothesis varies the child reference case: the father with or without custody (and then
perhaps listed as a relative, perhaps at the plan meeting), relatives invited or not, at the
meeting or not, named in `consent.relatives` or not, an excluded piece of information or
none, and other actors (an association, Försäkringskassan) with interventions of their own,
in `consent.full_plan` or not. Every copy of every document is read as HTML, from which the
PDF, the plain text and the audio are made, and the copies to parties and relatives also as
DOCX; a last test reads one such case's PDFs and plain text.
"""

from __future__ import annotations

import copy
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, note, settings
from hypothesis import strategies as st

from sipdocs import validate_bytes
from sipdocs.cases import load_case
from sipdocs.context import DocumentContext
from sipdocs.render import document_contexts, render_case
from sipdocs.renderers.docx import DocxRenderer
from sipdocs.renderers.html import HtmlRenderer
from sipdocs.templates import Registry
from tests.conftest import _DATA, CHILD
from tests.docxs import text_of as docx_text
from tests.pdfs import text_of as pdf_text
from tests.test_disclosure import text

REGISTRY = Registry()
HTML = HtmlRenderer(REGISTRY)
DOCX = DocxRenderer(REGISTRY)
FATHER = "Daniel Tesfay"
SECRET = "HEMLIS"  # starts the excluded information
RELATIVES = (("Ruta Haile", "moster"), ("Mesfin Haile", "morbror"))
OTHERS = {
    "forening": ("Föreningen Kompis Lillån", "association", "Läxhjälp på fredagar i föreningen."),
    "fk": ("Försäkringskassan", "authority", "Utredning av rätt till omvårdnadsbidrag."),
}
PRINCIPAL_WORK = (
    "Anpassad studiegång och vilorum.",
    "Föräldrastödsprogram, tio träffar.",
    "Neuropsykiatrisk utredning.",
    "Hjälpmedel för struktur i skolan och hemma.",
)


@dataclass(frozen=True)
class Variation:
    father_custody: bool
    father_relative: bool
    father_at_meeting: bool
    relatives: tuple[tuple[bool, bool, bool], ...]  # invited, at the meeting, in consent
    exclusion: bool
    others: tuple[tuple[str, bool, bool], ...]  # party id, full_plan, carries on


variations = st.builds(
    Variation,
    father_custody=st.booleans(),
    father_relative=st.booleans(),
    father_at_meeting=st.booleans(),
    relatives=st.lists(
        st.tuples(st.booleans(), st.booleans(), st.booleans()), max_size=len(RELATIVES)
    ).map(tuple),
    exclusion=st.booleans(),
    others=st.lists(
        st.tuples(st.sampled_from(sorted(OTHERS)), st.booleans(), st.booleans()),
        max_size=2,
        unique_by=lambda o: o[0],
    ).map(tuple),
)


def case_data(v: Variation) -> dict[str, Any]:
    """The child reference case, varied."""
    data = copy.deepcopy(_DATA[CHILD])
    consent, plan = data["consent"], data["plan"]
    father = data["individual"]["guardians"][1]
    father["custody"] = v.father_custody
    if not v.father_custody:
        consent["guardians_consented"] = ["Hiwet Tesfay"]
    relatives = [
        {"name": name, "relation": relation, "invited": invited}
        for (name, relation), (invited, _, _) in zip(RELATIVES, v.relatives, strict=False)
    ]
    consent["relatives"] = [
        name for (name, _), (_, _, named) in zip(RELATIVES, v.relatives, strict=False) if named
    ]
    plan["participants"] += [
        {"relative": name}
        for (name, _), (_, present, _) in zip(RELATIVES, v.relatives, strict=False)
        if present
    ]
    if v.father_relative:
        relatives.append({"name": FATHER, "relation": "pappa"})
        consent["relatives"].append(FATHER)
    if v.father_at_meeting:
        plan["participants"].append({"guardian": FATHER})
    data["relatives"] = relatives
    if v.exclusion:
        consent["excluded_information"] = [f"{SECRET}: familjens skulder lämnas inte ut."]
    follow_up = data["follow_ups"][0]
    for party_id, full_plan, carries_on in v.others:
        name, kind, work = OTHERS[party_id]
        data["parties"].append(
            {
                "id": party_id,
                "name": name,
                "principal": "other",
                "kind": kind,
                "contact": {"name": "Kim Berg", "phone": "0123-999 00"},
            }
        )
        consent["actors"].append(party_id)
        data["meeting"]["invited"].append(party_id)
        plan["participants"].append({"party": party_id, "name": "Kim Berg"})
        item = {"goal": "m2", "what": work, "responsible": party_id, "status": "ongoing"}
        plan["interventions"].append(item)
        if carries_on:
            follow_up["interventions"].append(item)
        if full_plan:
            consent["full_plan"] = [*consent.get("full_plan", []), party_id]
    return data


def every_copy(path: Path) -> list[DocumentContext]:
    """Every Swedish standard copy of every document, both follow-ups included."""
    loaded = load_case(path)
    options = {"languages": ["sv"], "variants": ["standard"]}
    return [
        *document_contexts(loaded, REGISTRY, **options),  # type: ignore[arg-type]
        *document_contexts(loaded, REGISTRY, ["uppfoljning"], 1, **options),  # type: ignore[arg-type]
    ]


def entitled_problems(
    context: DocumentContext, words: str, v: Variation, data: dict[str, Any]
) -> list[str]:
    """What the copy shows that its recipient may not see."""
    recipient, kind = context.recipient, context.kind.name
    problems = []
    own = recipient.role in ("individual", "guardian", "guardians", "representative")
    documented = (
        recipient.party is not None and recipient.party.id == data["consent"]["documented_by"]
    )
    if SECRET in words and not (own or documented):
        problems.append("the exclusion's wording")
    if not v.father_custody:
        if not v.father_relative and FATHER in words:
            problems.append("the parent without custody")
        if re.search(
            r"Daniel Tesfay \(vårdnadshavare\)|Vårdnadshavare (Hiwet Tesfay )?Daniel", words
        ):
            problems.append("the parent without custody as vårdnadshavare")
        if recipient.name == FATHER and recipient.role != "relative":
            problems.append("a copy for the parent without custody")
    records = kind in ("plan", "uppfoljning", "avslutning")
    if (
        recipient.role == "relative"
        and records
        and recipient.name not in data["consent"]["relatives"]
    ):
        problems.append("a record for a relative the consent does not name")
    party = recipient.party
    full = data["consent"].get("full_plan", [])
    if (
        party is not None
        and party.principal == "other"
        and party.id not in full
        and kind in ("plan", "uppfoljning")
    ):
        own_work = OTHERS[party.id][2]
        for work in (*PRINCIPAL_WORK, *(o[2] for i, o in OTHERS.items() if i != party.id)):
            if work != own_work and work in words:
                problems.append(f"another party's intervention: {work}")
    return problems


@settings(max_examples=12, deadline=None, database=None)
@given(variations)
def test_no_copy_shows_what_its_recipient_may_not_see(v: Variation) -> None:
    data = case_data(v)
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    loaded = validate_bytes(raw.encode())
    assert not loaded.errors, [str(f) for f in loaded.errors]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.yaml"
        path.write_text(raw, encoding="utf-8")
        for context in every_copy(path):
            readings = {"html": text(HTML.html(context))}
            if context.recipient.role in ("party", "relative"):
                docx = Path(folder) / f"{context.stem}.docx"
                docx.write_bytes(DOCX.render(context))
                readings["docx"] = docx_text(docx)
            for form, words in readings.items():
                problems = entitled_problems(context, words, v, data)
                note(f"{context.stem} ({form}): {problems}")
                assert problems == [], f"{context.stem} ({form}) shows {', '.join(problems)}"


def test_pdf_and_text_copies_hold_only_the_recipients_part(tmp_path: Path) -> None:
    v = Variation(
        father_custody=False,
        father_relative=False,
        father_at_meeting=True,
        relatives=((True, True, False), (False, True, True)),
        exclusion=True,
        others=(("forening", False, True), ("fk", True, False)),
    )
    data = case_data(v)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    outputs = render_case(
        path,
        tmp_path / "out",
        documents=["samtycke", "plan"],
        formats=["pdf", "txt"],
        languages=["sv"],
    )
    read = {".pdf": pdf_text, ".txt": lambda p: " ".join(p.read_text(encoding="utf-8").split())}
    checked = 0
    for output in outputs:
        words = read[output.path.suffix](output.path)
        assert entitled_problems(output.context, words, v, data) == [], output.path.name
        checked += 1
    names = {o.path.name for o in outputs}
    assert "plan-forening-sv.pdf" in names
    assert "plan-narstaende1-sv.pdf" not in names
    assert "plan-narstaende2-sv.txt" in names
    forening = pdf_text(tmp_path / "out" / "SIP-2027-0007" / "plan-forening-sv.pdf")
    assert "Läxhjälp på fredagar i föreningen." in forening
    assert "utdrag ur planen" in forening
    assert checked == len(outputs) > 20
