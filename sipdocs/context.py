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
    ClosureReason,
    ConsentGiver,
    Contact,
    FollowUp,
    Goal,
    GoalOutcome,
    Intervention,
    MeetingKind,
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
    Venue,
    catalog_folders,
    effective_logo,
    effective_profile,
    pictogram,
    venues,
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
    revision: int
    consented: ConsentGiven | None
    venue: Venue | None
    meeting_form: str | None
    closure_note: Text | None
    closure_statement: str | None
    goal_results: list[GoalResult]
    and_join: Callable[[Sequence[str]], str]


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
        """The document's title in the output language; from template version 2, the
        kallelse to a follow-up meeting is titled as one (R-W4).
        """
        meeting = self.case.meeting
        follow_up = (
            self.selection.version.revision >= 2
            and meeting is not None
            and meeting.kind is MeetingKind.FOLLOW_UP
        )
        return self.translations.gettext(self.kind.title(self.recipient, follow_up))

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
        revised = version.revision >= 2  # 24-hour times in every language from version 2
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
            # Long dates in text and tables alike from version 2.
            "date_short": (lambda d: format_date(d, self.language))
            if revised
            else format_short_date,
            "meeting_time": lambda m: format_meeting_time(m, self.language, folders, revised),
            "clock": lambda m: format_clock(m, self.language, revised),
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
            "pictogram": lambda name: uri(pictogram(self.chain, version.shared, name)),
            "laws": version.manifest.laws,
            "revision": version.revision,
            "consented": consent_given(case, self.recipient, self.translations),
            "closure_statement": closure_statement(
                case, self.recipient, self.translations, self.language
            ),
            "venue": meeting_venue(case, self.chain),
            "meeting_form": meeting_form(case),
            "closure_note": closure_note(case, self.recipient, self.translations),
            "goal_results": goal_results(case, disclosure.follow_up, numbers),
            "and_join": lambda names: and_join(names, self.translations),
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

    def stand_in(self, message: str) -> str:
        """A fixed text the catalogs do not translate: noted, like free text, so that the
        copy says some parts are in Swedish; in HTML marked as Swedish. The message is
        template markup (as a translation is), so it is wrapped, not escaped."""
        self.swedish.append(message)
        if self.plain:
            return message
        direction = ' dir="ltr"' if LANGUAGES[self.language].rtl else ""
        return f'<span lang="{SOURCE_LANGUAGE}"{direction}>{message}</span>'


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


# --- Saying what happened (template version 2 on) -------------------------------------------


@dataclass(frozen=True)
class ConsentGiven:
    """Who consented (R-W1): `giver` is individual, guardians or representative; `names`
    those who did; `who` names them inside a sentence, in the copy's language ("vårdnadshavarna
    Hiwet Tesfay och Daniel Tesfay"); `reader_consented` whether the copy's reader is one of
    them, and so may be told they can change their mind.
    """

    giver: str
    names: tuple[str, ...]
    who: str
    reader_consented: bool


CONSENTED_BY = {
    "guardians": N_("vårdnadshavarna %(names)s"),
    "guardian": N_("vårdnadshavaren %(names)s"),
    "representative": N_("%(name)s, %(role)s för %(individual)s"),
}


def consent_given(
    case: Case, recipient: Recipient, translations: NullTranslations
) -> ConsentGiven | None:
    """Who gave the case's consent, as the copy for `recipient` names them."""
    consent = case.consent
    if consent is None:
        return None
    person = case.individual
    translate = translations.gettext
    if consent.given_by is ConsentGiver.GUARDIANS:
        names = tuple(consent.guardians_consented) or tuple(
            g.name for g in person.guardians if g.custody
        )
        key = "guardians" if len(names) > 1 else "guardian"
        who = translate(CONSENTED_BY[key]) % {"names": and_join(names, translations)}
        readers = {recipient.name, *recipient.also}
        reader = recipient.role in ("guardian", "guardians") and bool(readers & set(names))
        return ConsentGiven("guardians", names, who, reader)
    if consent.given_by is ConsentGiver.REPRESENTATIVE and person.representative:
        rep = person.representative
        who = translate(CONSENTED_BY["representative"]) % {
            "name": rep.name,
            "role": translate(REPRESENTATIVE_ROLES[str(rep.role)]),
            "individual": person.name,
        }
        return ConsentGiven("representative", (rep.name,), who, recipient.role == "representative")
    return ConsentGiven("individual", (person.name,), person.name, recipient.role == "individual")


def and_join(names: Sequence[str], translations: NullTranslations) -> str:
    """'Hiwet Tesfay och Daniel Tesfay'; three or more with commas before the last 'och'."""
    if len(names) < 2:
        return "".join(names)
    return translations.gettext(N_("%(first)s och %(last)s")) % {
        "first": ", ".join(names[:-1]),
        "last": names[-1],
    }


def meeting_venue(case: Case, chain: Sequence[Layer]) -> Venue | None:
    """The venue the meeting refers to (`meeting.venue`), from the layers' `venues`."""
    if case.meeting is None or case.meeting.venue is None:
        return None
    return venues(chain).get(case.meeting.venue)


def meeting_form(case: Case) -> str | None:
    """'on_site', 'digital' or 'hybrid' (a place and a link), as R-W5 words each."""
    meeting = case.meeting
    if meeting is None:
        return None
    on_site = bool(meeting.location or meeting.venue)
    if on_site and meeting.digital_link:
        return "hybrid"
    return "on_site" if on_site else "digital"


CLOSURE_STATEMENTS = {
    "goals_met": N_("Planen avslutas eftersom målen är uppfyllda."),
    "no_coordination_need": N_(
        "Planen avslutas eftersom det inte längre finns behov av samordnade insatser, och nya "
        "behov väntas inte inom den närmaste tiden."
    ),
    "consent_withdrawn": N_("Planen avslutas eftersom samtycket återkallades %(date)s."),
    "consent_gone": N_("Planen avslutas eftersom samtycket inte längre gäller."),
    "individual_request": N_("Planen avslutas eftersom %(name)s har bett om det."),
    "own_request": N_("Planen avslutas eftersom du har bett om det."),
    "other": N_("Planen avslutas av ett annat skäl."),
}


def closure_statement(
    case: Case, recipient: Recipient, translations: NullTranslations, language: str
) -> str | None:
    """Why the plan closes, in one sentence worded by `closure.reason` (R-W3): consent
    withdrawn is never "no need"; the individual's own copy says "du".
    """
    if case.closure is None:
        return None
    key = str(case.closure.reason)
    withdrawn = case.consent.withdrawn if case.consent else None
    if key == "consent_withdrawn" and withdrawn is None:
        key = "consent_gone"
    if key == "individual_request" and recipient.role == "individual":
        key = "own_request"
    return translations.gettext(CLOSURE_STATEMENTS[key]) % {
        "date": format_date(withdrawn, language) if withdrawn else "",
        "name": case.individual.name,
    }


# Who may read the closure's note: after a withdrawal, only those who gave the consent and
# the individual's own copies (R-W3); parties and relatives get the fact and the date.
_NOTE_AFTER_WITHDRAWAL = ("individual", "guardian", "guardians", "representative")


def closure_note(case: Case, recipient: Recipient, translations: NullTranslations) -> Text | None:
    """The closure's note for this copy, without a first sentence that only repeats the
    reason (R-W3: the reason is said once), or None when the copy does not show it.
    """
    closure = case.closure
    if closure is None or closure.note is None:
        return None
    if (
        closure.reason is ClosureReason.CONSENT_WITHDRAWN
        and recipient.role not in _NOTE_AFTER_WITHDRAWAL
    ):
        return None
    label = CLOSURE_REASONS[str(closure.reason)]
    repeats = {_words(label), _words(translations.gettext(label))}
    note = closure.note
    wordings = {"sv": note.sv, **note.translations}
    trimmed = {}
    for language, wording in wordings.items():
        first, *rest = sentences(wording)
        trimmed[language] = " ".join(rest) if rest and _words(first) in repeats else wording
    if note.lattlast is not None:
        trimmed["lattlast"] = note.lattlast
    return Text.model_validate(trimmed)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


@dataclass(frozen=True)
class GoalResult:
    """A goal of the plan with its latest outcome up to a follow-up; `earlier` is the
    follow-up it comes from when that is not the one reported on.
    """

    number: int
    goal: Goal
    result: GoalOutcome | None
    earlier: FollowUp | None


def goal_results(
    case: Case, follow_up: FollowUp | None, numbers: dict[str, int]
) -> list[GoalResult]:
    """Every goal of the plan (of an extract: its goals), each with its number in `numbers`
    and its latest outcome up to `follow_up`: what the last uppföljning shows, so that no
    goal is left out.
    """
    if case.plan is None or follow_up is None or follow_up not in case.follow_ups:
        return []
    upto = case.follow_ups[: case.follow_ups.index(follow_up) + 1]
    results = []
    for goal in case.plan.goals:
        found = next(
            ((f, r) for f in reversed(upto) for r in f.goals if r.goal == goal.id),
            None,
        )
        result, source = (found[1], found[0]) if found else (None, None)
        earlier = source if source is not None and source is not follow_up else None
        results.append(GoalResult(numbers[goal.id], goal, result, earlier))
    return results
