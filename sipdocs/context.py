"""Case -> what a template sees: one `DocumentContext` per document, recipient and language.

Everything a template needs is computed here (grouping, labels, formatted dates), so the
templates stay declarative and the HTML and DOCX renderers share one context.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from sipdocs import __version__
from sipdocs.documents import DocumentKind, Recipient
from sipdocs.i18n import format_date, format_meeting_time, format_short_date, translations
from sipdocs.languages import LANGUAGES
from sipdocs.model import Case, Intervention, Party, Principal, Text
from sipdocs.templates import Layer, Selection

# Swedish source strings; templates translate them with `_()` at render time.
PRINCIPAL_HEADINGS = {
    Principal.MUNICIPALITY: "Kommunen ansvarar för",
    Principal.REGION: "Regionen ansvarar för",
    Principal.OTHER: "Andra aktörer ansvarar för",
}
STATUS_LABELS = {
    "decided": "Beslutad",
    "planned": "Planerad",
    "ongoing": "Pågår",
    "awaiting_decision": "Väntar på beslut",
}
CONSENT_GIVERS = {
    "individual": "den enskilde",
    "guardians": "vårdnadshavarna",
    "representative": "företrädare",
}
CONSENT_FORMS = {"written": "skriftligt", "oral": "muntligt", "other": "på annat sätt"}


@dataclass(frozen=True)
class InterventionRow:
    intervention: Intervention
    party: Party | None
    goal_index: int | None


@dataclass(frozen=True)
class PrincipalGroup:
    principal: Principal
    heading: str
    rows: tuple[InterventionRow, ...]


@dataclass(frozen=True)
class DocumentContext:
    """Everything one rendered copy depends on."""

    case: Case
    kind: DocumentKind
    recipient: Recipient
    language: str
    selection: Selection
    chain: tuple[Layer, ...]
    input_sha256: str
    date: dt.date
    variant: str = "standard"
    warnings: tuple[str, ...] = field(default=())

    @property
    def layer_names(self) -> tuple[str, ...]:
        return tuple(layer.name for layer in self.chain)

    @property
    def title(self) -> str:
        """The document's title in the output language."""
        return translations(self.language).gettext(self.kind.title)

    @property
    def stem(self) -> str:
        """The file name without suffix: document, recipient and language, no personal data."""
        return f"{self.kind.name}-{self.recipient.id}-{self.language}"

    @property
    def metadata(self) -> dict[str, str]:
        """What every output records about how it was made (R-G2)."""
        return {
            "sipdocsVersion": __version__,
            "templateVersion": f"{self.kind.name}/{self.selection.version.version}",
            "templateLayers": " > ".join(self.layer_names),
            "inputSha256": self.input_sha256,
        }

    def text(self, value: Text | None) -> Markup:
        """Free text in the output language; Swedish fallback is marked lang="sv"."""
        if value is None:
            return Markup("")
        wording, lang = value.in_language(self.language, easy_read=self.variant == "lattlast")
        if lang != self.language:
            return Markup('<span lang="{}">{}</span>').format(lang, wording)
        return escape(wording)

    def template_vars(self) -> dict[str, Any]:
        case = self.case
        top = self.chain[-1]
        return {
            "case": case,
            "doc": self,
            "recipient": self.recipient,
            "lang": self.language,
            "dir": "rtl" if LANGUAGES[self.language].rtl else "ltr",
            "profile": top.profile,
            "logo": top.logo.as_uri() if top.logo else None,
            "sender": sender_party(case),
            "t": self.text,
            "party": case.party,
            "date_long": lambda d: format_date(d, self.language),
            "date_short": format_short_date,
            "meeting_time": lambda m: format_meeting_time(m, self.language),
            "principal_groups": principal_groups(case),
            "status_label": lambda s: STATUS_LABELS[str(s)],
            "consent_giver": lambda g: CONSENT_GIVERS[str(g)],
            "consent_form": lambda f: CONSENT_FORMS[str(f)],
        }


def sender_party(case: Case) -> Party | None:
    """The party that sends the documents: overall responsible, else the convener's."""
    party_id = case.plan.overall_responsible if case.plan else None
    if party_id is None and case.meeting:
        party_id = case.meeting.convener.party
    return case.party(party_id) if party_id else None


def principal_groups(case: Case) -> list[PrincipalGroup]:
    """The plan's interventions grouped by the responsible party's principal (R-P2 to R-P4)."""
    if case.plan is None:
        return []
    goal_index = {goal.id: i for i, goal in enumerate(case.plan.goals, start=1)}
    groups = []
    for principal in Principal:
        rows = tuple(
            InterventionRow(item, party, goal_index.get(item.goal or ""))
            for item in case.plan.interventions
            if (party := case.party(item.responsible)) and party.principal is principal
        )
        if rows:
            groups.append(PrincipalGroup(principal, PRINCIPAL_HEADINGS[principal], rows))
    return groups
