"""Case -> what a template sees: one `DocumentContext` per document, recipient and language.

Everything a template needs is computed here (grouping, labels, formatted dates), so the
templates stay declarative and the HTML and DOCX renderers share one context.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from gettext import NullTranslations
from pathlib import Path
from typing import TypedDict

from markupsafe import Markup, escape

from sipdocs import __version__
from sipdocs.disclosure import SECRECY_NOTICE, Disclosure
from sipdocs.documents import DocumentKind, Recipient
from sipdocs.i18n import (
    format_clock,
    format_date,
    format_meeting_time,
    format_short_date,
    language_name,
    translations,
)
from sipdocs.languages import LANGUAGES, N_, SOURCE_LANGUAGE
from sipdocs.model import (
    Case,
    Contact,
    FollowUp,
    Intervention,
    Party,
    PartyPerson,
    Principal,
    Text,
)
from sipdocs.templates import (
    Law,
    Layer,
    Profile,
    Selection,
    catalog_folders,
    effective_logo,
    effective_profile,
    pictogram,
)

# The variants of the individual's own copies, as file names and --variant name them.
STANDARD = "standard"
LARGE_PRINT = "storstil"  # 18 pt and more (R-P13)
EASY_READ = "lattlast"  # easy-read wording and layout, 14 pt and more
EASY_READ_LARGE_PRINT = f"{EASY_READ}-{LARGE_PRINT}"
VARIANTS = (STANDARD, LARGE_PRINT, EASY_READ, EASY_READ_LARGE_PRINT)

# What every translated copy says, in its language and in Swedish (the line is not translated).
TRANSLATION_NOTICE = N_(
    "Det här är en översättning av ett dokument på svenska. Om översättningen och det svenska "
    "originalet skiljer sig åt, är det originalet som gäller."
)

# Labels: Swedish source strings, marked for extraction; templates translate them with `_()`.
PRINCIPAL_HEADINGS = {
    Principal.MUNICIPALITY: N_("Kommunen ansvarar för"),
    Principal.REGION: N_("Regionen ansvarar för"),
    Principal.OTHER: N_("Andra aktörer ansvarar för"),
}
STATUS_LABELS = {
    "decided": N_("Beslutad"),
    "planned": N_("Planerad"),
    "ongoing": N_("Pågår"),
    "awaiting_decision": N_("Väntar på beslut"),
}
CONSENT_GIVERS = {
    "individual": N_("den enskilde"),
    "guardians": N_("vårdnadshavarna"),
    "representative": N_("företrädare"),
}
CONSENT_FORMS = {"written": N_("skriftligt"), "oral": N_("muntligt"), "other": N_("på annat sätt")}
OUTCOME_LABELS = {
    "achieved": N_("Uppnått"),
    "partly": N_("Delvis uppnått"),
    "not_achieved": N_("Inte uppnått"),
}
CLOSURE_REASONS = {
    "goals_met": N_("Målen är uppfyllda."),
    "no_coordination_need": N_(
        "Det finns inte längre behov av samordnade insatser, och nya behov väntas inte inom den närmaste tiden."
    ),
    "consent_withdrawn": N_("Samtycket har återkallats eller finns inte längre."),
    "individual_request": N_("Den enskilde har själv önskat att planen avslutas."),
    "other": N_("Annat skäl, se nedan."),
}
REPRESENTATIVE_ROLES = {
    "god_man": N_("god man"),
    "forvaltare": N_("förvaltare"),
    "framtidsfullmakt": N_("framtidsfullmäktig"),
    "fullmakt": N_("ombud med fullmakt"),
}


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
class ContactCard:
    """Who to contact at a party: a named person if known, and how to reach them."""

    organisation: str
    unit: str | None
    name: str | None
    title: str | None
    phone: str | None
    email: str | None


def contact_card(
    case: Case, party_id: str, person: PartyPerson | None = None
) -> ContactCard | None:
    """The person (or the party's contact) with the phone and e-mail to reach them."""
    party = case.party(party_id)
    if party is None:
        return None
    contact = party.contact or Contact()
    same = person is None or contact.name in (None, person.name)
    return ContactCard(
        organisation=party.name,
        unit=party.unit,
        name=person.name if person else contact.name,
        title=contact.title if same else None,
        phone=(person.phone if person else None) or contact.phone,
        email=(person.email if person else None) or contact.email,
    )


class TemplateVars(TypedDict):
    """What every template sees, HTML and DOCX alike (see `DocumentContext.template_vars`)."""

    case: Case
    doc: DocumentContext
    recipient: Recipient
    disclosure: Disclosure
    secrecy_notice: str | None
    lang: str
    dir: str
    profile: Profile
    logo: str | None
    logo_alt: str | None
    sender: Party | None
    sender_card: ContactCard | None
    follow_up: FollowUp | None
    follow_up_number: int | None
    t: Callable[[Text | None], str]
    party: Callable[[str], Party | None]
    contact_card: Callable[..., ContactCard | None]
    date_long: Callable[[dt.date], str]
    date_short: Callable[[dt.date], str]
    meeting_time: Callable[[dt.datetime], str]
    clock: Callable[[dt.datetime], str]
    minutes_later: Callable[[dt.datetime, int], dt.datetime]
    everyone: list[Recipient]
    principal_groups: Callable[[Sequence[Intervention]], list[PrincipalGroup]]
    status_label: Callable[[object], str]
    consent_giver: Callable[[object], str]
    consent_form: Callable[[object], str]
    outcome_label: Callable[[object], str]
    closure_reason: Callable[[object], str]
    representative_role: Callable[[object], str]
    language_name: Callable[[str], str]
    goal_number: dict[str, int]
    translation_notice: str | None
    swedish_parts: bool
    large_print: bool
    easy_read: bool
    standalone: bool
    pictogram: Callable[[str], str]
    laws: dict[str, Law]


TEMPLATE_VARIABLES = frozenset(TemplateVars.__required_keys__)


@dataclass(frozen=True)
class DocumentContext:
    """Everything one rendered copy depends on; `disclosure` is what the copy may hold, and
    templates see the case only as it says.
    """

    case: Case
    kind: DocumentKind
    recipient: Recipient
    language: str
    selection: Selection
    chain: tuple[Layer, ...]
    input_sha256: str
    date: dt.date
    disclosure: Disclosure
    follow_up: FollowUp | None = None
    follow_up_number: int | None = None
    variant: str = STANDARD
    warnings: tuple[str, ...] = field(default=())

    @property
    def large_print(self) -> bool:
        """Whether this is a large-print copy (18 pt and more)."""
        return self.variant in (LARGE_PRINT, EASY_READ_LARGE_PRINT)

    @property
    def easy_read(self) -> bool:
        """Whether this is an easy-read copy, from the document's easy-read template."""
        return self.variant in (EASY_READ, EASY_READ_LARGE_PRINT)

    @property
    def template(self) -> str:
        """The name of the document's template, without suffix: `plan` or `plan-lattlast`."""
        return f"{self.kind.name}-{EASY_READ}" if self.easy_read else self.kind.name

    @property
    def layer_names(self) -> tuple[str, ...]:
        return tuple(layer.name for layer in self.chain)

    @property
    def title(self) -> str:
        """The document's title in the output language."""
        return self.translations.gettext(self.kind.title(self.recipient))

    @property
    def profile(self) -> Profile:
        """The sender's profile: the letterhead's layers merged (R-S7)."""
        return effective_profile(self.disclosure.letterhead)

    @property
    def logo(self) -> Path | None:
        """The logo file of the highest letterhead layer that has one."""
        layer = effective_logo(self.disclosure.letterhead)
        return layer.logo if layer else None

    @property
    def logo_alt(self) -> str | None:
        """The logo's alt text: the layer's own, else the layer's name."""
        layer = effective_logo(self.disclosure.letterhead)
        return (layer.profile.logo_alt or layer.profile.name) if layer else None

    @property
    def rtl(self) -> bool:
        """Whether the output language is written right to left."""
        return LANGUAGES[self.language].rtl

    @property
    def full_title(self) -> str:
        """The title with the case id, as the document's metadata gives it."""
        return f"{self.title} \u2013 {self.case.case.id}"  # an en dash

    @property
    def author(self) -> str:
        """Who the document's metadata names as author: the organisation that sends it."""
        sender = self.sender
        return self.profile.name or (sender.name if sender else "sipdocs")

    @property
    def keywords(self) -> str:
        return "SIP, " + self.translations.gettext("samordnad individuell plan")

    @property
    def stem(self) -> str:
        """The file name without suffix: document, recipient and language, no personal data."""
        variant = "" if self.variant == STANDARD else f"-{self.variant}"
        return f"{self.kind.name}-{self.recipient.id}-{self.language}{variant}"

    @property
    def metadata(self) -> dict[str, str]:
        """What every output records about how it was made (R-G2)."""
        return {
            "sipdocsVersion": __version__,
            "templateVersion": f"{self.kind.name}/{self.selection.version.version}",
            "templateLayers": " > ".join(self.layer_names),
            "inputSha256": self.input_sha256,
        }

    @property
    def translations(self) -> NullTranslations:
        """The output language's catalogs, the layers' merged over the default's."""
        return translations(self.language, catalog_folders(self.chain))

    def free_text(self, plain: bool = False) -> FreeText:
        """A fresh lookup of free text for one render: HTML, or plain text for DOCX."""
        return FreeText(self.language, self.easy_read, plain)

    @property
    def sender(self) -> Party | None:
        """The party that sends this document and whose contact details it gives."""
        party_id = self.kind.sender(self.case, self.follow_up)
        return self.case.party(party_id) if party_id else None

    def template_vars(
        self, free_text: FreeText, swedish_parts: bool = False, standalone: bool = False
    ) -> TemplateVars:
        """The names templates use; the keys are `TEMPLATE_VARIABLES`.

        `t` shows free text through `free_text`, which notes where Swedish stands in;
        `swedish_parts` turns on the note that says some parts are in Swedish. A
        `standalone` document is read on its own, on a screen: its pictures are embedded
        as data URIs, so it makes no requests; otherwise they are `file:` URIs.
        """
        disclosure = self.disclosure
        case = disclosure.case
        folders = catalog_folders(self.chain)
        profile = self.profile
        logo = self.logo
        version = self.selection.version
        uri = data_uri if standalone else Path.as_uri
        numbers = goal_numbers(self.case)  # the whole plan's numbers, in an extract too
        return {
            "case": case,
            "doc": self,
            "recipient": self.recipient,
            "disclosure": disclosure,
            "secrecy_notice": (
                (profile.secrecy_notice or SECRECY_NOTICE) if disclosure.secrecy else None
            ),
            "lang": self.language,
            "dir": "rtl" if self.rtl else "ltr",
            "profile": profile,
            "logo": uri(logo) if logo else None,
            "logo_alt": self.logo_alt,
            "sender": self.sender,
            "sender_card": contact_card(case, self.sender.id) if self.sender else None,
            "follow_up": disclosure.follow_up,
            "follow_up_number": self.follow_up_number,
            "t": free_text.show,
            "party": case.party,
            "contact_card": lambda party_id, person=None: contact_card(case, party_id, person),
            "date_long": lambda d: format_date(d, self.language),
            "date_short": format_short_date,
            "meeting_time": lambda m: format_meeting_time(m, self.language, folders),
            "clock": lambda m: format_clock(m, self.language),
            "minutes_later": lambda m, minutes: m + dt.timedelta(minutes=minutes),
            "everyone": list(disclosure.everyone),
            "principal_groups": lambda items: principal_groups(case, items, numbers),
            "status_label": lambda s: STATUS_LABELS[str(s)],
            "consent_giver": lambda g: CONSENT_GIVERS[str(g)],
            "consent_form": lambda f: CONSENT_FORMS[str(f)],
            "outcome_label": lambda o: OUTCOME_LABELS[str(o)],
            "closure_reason": lambda r: CLOSURE_REASONS[str(r)],
            "representative_role": lambda r: REPRESENTATIVE_ROLES[str(r)],
            "language_name": lambda code: language_name(code, self.language),
            "goal_number": numbers,
            "translation_notice": (
                TRANSLATION_NOTICE if self.language != SOURCE_LANGUAGE else None
            ),
            "swedish_parts": swedish_parts,
            "large_print": self.large_print,
            "easy_read": self.easy_read,
            "standalone": standalone,
            "pictogram": lambda name: uri(pictogram(self.chain, version.common, name)),
            "laws": version.manifest.laws,
        }


_MEDIA_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


@functools.lru_cache(maxsize=64)
def data_uri(path: Path) -> str:
    """The file as a `data:` URI, for a document that must make no requests."""
    media_type = _MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{media_type};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


@dataclass
class FreeText:
    """Free text from the case for one render: in the output language, else in Swedish.

    `swedish` collects the Swedish wordings that stood in, so the renderer can say that some
    parts are in Swedish and mark their language. HTML gets `<span lang="sv">` around them
    (with `dir="ltr"` in a right-to-left copy); plain text is for formats that escape it.
    """

    language: str
    easy_read: bool
    plain: bool
    swedish: list[str] = field(default_factory=list)

    def show(self, value: Text | None) -> Markup | str:
        if value is None:
            return ""
        wording, lang = value.in_language(self.language, easy_read=self.easy_read)
        if lang != self.language:
            self.swedish.append(wording)
        if self.plain:
            return wording
        # An easy-read copy has one sentence per line.
        html = Markup("<br>").join(sentences(wording)) if self.easy_read else escape(wording)
        if lang != self.language:
            direction = ' dir="ltr"' if LANGUAGES[self.language].rtl else ""
            return Markup('<span lang="{}"{}>{}</span>').format(lang, Markup(direction), html)
        return html


# Where one sentence ends and the next begins: after . ! ? (and the Arabic question mark and
# Ethiopic full stop) and space, before a capital or a letter of a script without case; so
# not in "kl. 13" or "t.ex. att".
_SENTENCE_END = re.compile(r"(?<=[.!?\u061f\u1362])\s+(?=[^\W\d_])")


def sentences(text: str) -> list[str]:
    """The text's sentences, for an easy-read copy that puts each on its own line."""
    parts = _SENTENCE_END.split(text.strip())
    merged: list[str] = []
    for part in parts:
        if merged and part[0].islower():
            merged[-1] += f" {part}"  # not a new sentence: "t.ex. att"
        else:
            merged.append(part)
    return merged


def goal_numbers(case: Case) -> dict[str, int]:
    """Each goal's number in the plan, as the documents show it."""
    return {goal.id: n for n, goal in enumerate(case.plan.goals, start=1)} if case.plan else {}


def principal_groups(
    case: Case, interventions: Sequence[Intervention], numbers: dict[str, int]
) -> list[PrincipalGroup]:
    """Interventions grouped by the responsible party's principal (R-P2 to R-P4), each with
    its goal's number in `numbers`.
    """
    groups = []
    for principal in Principal:
        rows = tuple(
            InterventionRow(item, party, numbers.get(item.goal or ""))
            for item in interventions
            if (party := case.party(item.responsible)) and party.principal is principal
        )
        if rows:
            groups.append(PrincipalGroup(principal, PRINCIPAL_HEADINGS[principal], rows))
    return groups
