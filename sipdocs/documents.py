"""The documents of the SIP process, registered by name, and who receives a copy of each.

Each `DocumentKind` says when the case has data for it, its date, who sends it and who gets
a copy. Recipient ids name the files, so they never hold personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from sipdocs.errors import UsageError
from sipdocs.findings import KeyPath
from sipdocs.languages import N_
from sipdocs.model import Address, Case, ConsentGiver, FollowUp, Participant, Party, Principal

AddressForm = Literal["du", "ni", "formal"]
INDIVIDUAL: KeyPath = ("individual",)
Role = Literal["individual", "guardian", "guardians", "representative", "relative", "party"]


@dataclass(frozen=True)
class Recipient:
    """Who a copy is addressed to; `also` holds further name lines of the address block,
    `source` the key path of the person or party in the case.
    """

    id: str
    role: Role
    name: str
    language: str
    address: Address | None = None
    attention: str | None = None
    party: Party | None = None
    also: tuple[str, ...] = ()
    source: KeyPath = ()

    @property
    def address_form(self) -> AddressForm:
        """'du' to the individual and people close to them, 'ni' to guardians, formal otherwise."""
        if self.role == "party":
            return "formal"
        return "ni" if self.role in ("guardian", "guardians") else "du"

    @property
    def own_copy(self) -> bool:
        """Whether the copy is the individual's own, or a child's guardian's: these come in
        the variants the case asks for (easy-read, large print) and in more formats.
        """
        return self.role in ("individual", "guardian", "guardians")

    @property
    def is_principal(self) -> bool:
        """A municipality or region party: it gets a kallelse, others an inbjudan (R-K11)."""
        return self.party is not None and self.party.principal is not Principal.OTHER


@dataclass(frozen=True)
class DocumentKind:
    """One document of the process.

    `date`, `sender` and `recipients` get the case and, for a document about one follow-up,
    that follow-up. `title` gives the recipient's heading (a kallelse or an inbjudan), and
    is told whether to title it as a follow-up meeting (template version 2 on, R-W4).
    """

    name: str
    date: Callable[[Case, FollowUp | None], dt.date | None]
    sender: Callable[[Case, FollowUp | None], str | None]
    recipients: Callable[[Case, FollowUp | None], list[Recipient]]
    title: Callable[[Recipient, bool], str]
    per_follow_up: bool = False


DOCUMENTS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    DOCUMENTS[kind.name] = kind
    return kind


def document(name: str) -> DocumentKind:
    """The document registered as `name`; a usage error lists the known ones."""
    try:
        return DOCUMENTS[name]
    except KeyError:
        raise UsageError(f"unknown document '{name}' (documents: {', '.join(DOCUMENTS)})") from None


# --- Recipients ---------------------------------------------------------------------


def individual_recipients(case: Case) -> Iterator[Recipient]:
    """The individual, their representative, and for a child each guardian. Which of them
    gets a copy is for `disclosure` to decide.
    """
    person = case.individual
    yield Recipient(
        "individ", "individual", person.name, person.language, person.address, source=INDIVIDUAL
    )
    if person.representative:
        yield representative_recipient(case)
    for number, guardian in enumerate(person.guardians, start=1):
        yield Recipient(
            f"vardnadshavare{number}",
            "guardian",
            guardian.name,
            guardian.language,
            guardian.address or person.address,
            source=(*INDIVIDUAL, "guardians", number - 1),
        )


def representative_recipient(case: Case) -> Recipient:
    """The representative, at their own address: never the individual's (R-S8)."""
    rep = case.individual.representative
    assert rep is not None
    return Recipient(
        "foretradare",
        "representative",
        rep.name,
        "sv",
        rep.address,
        source=(*INDIVIDUAL, "representative"),
    )


def party_recipient(case: Case, party_id: str) -> Recipient | None:
    party = case.party(party_id)
    if party is None:
        return None
    contact = party.contact.name if party.contact and party.contact.name else None
    attention = ", ".join(x for x in (contact, party.unit) if x) or None
    index = case.parties.index(party)
    return Recipient(
        party.id,
        "party",
        party.name,
        "sv",
        party.address,
        attention,
        party,
        source=("parties", index),
    )


def relative_recipient(case: Case, name: str) -> Recipient | None:
    for number, relative in enumerate(case.relatives, start=1):
        if relative.name == name:
            return Recipient(
                f"narstaende{number}",
                "relative",
                name,
                relative.language,
                relative.address,
                source=("relatives", number - 1),
            )
    return None


def party_recipients(case: Case, party_ids: Iterable[str]) -> list[Recipient]:
    """One copy per party, in the order first named."""
    found = (party_recipient(case, party_id) for party_id in dict.fromkeys(party_ids))
    return [recipient for recipient in found if recipient]


def relative_recipients(case: Case, names: Iterable[str]) -> list[Recipient]:
    found = (relative_recipient(case, name) for name in dict.fromkeys(names))
    return [recipient for recipient in found if recipient]


def participant_recipients(
    case: Case, participants: Iterable[Participant], also: Iterable[str] = ()
) -> list[Recipient]:
    """The individual's own copies, then every party and relative who took part, then the
    parties in `also`.
    """
    participants = tuple(participants)
    return [
        *individual_recipients(case),
        *party_recipients(case, [*(p.party for p in participants if p.party), *also]),
        # a parent without custody who is also a relative takes part as one (R-S4)
        *relative_recipients(case, (p.relative or p.guardian or "" for p in participants)),
    ]


def signing_recipient(case: Case) -> Recipient:
    """Who signs the consent: the individual, the representative, or the guardians with
    custody together.
    """
    person = case.individual
    consent = case.consent
    assert consent is not None
    if consent.given_by is ConsentGiver.REPRESENTATIVE and person.representative:
        return representative_recipient(case)
    signers = [(i, g) for i, g in enumerate(person.guardians) if g.custody]
    if consent.given_by is ConsentGiver.GUARDIANS and signers:
        index, first = signers[0]
        return Recipient(
            "vardnadshavare",
            "guardians",
            first.name,
            first.language,
            first.address or person.address,
            also=tuple(g.name for _, g in signers[1:]),
            source=(*INDIVIDUAL, "guardians", index),
        )
    return Recipient(
        "individ", "individual", person.name, person.language, person.address, source=INDIVIDUAL
    )


# --- The five documents -------------------------------------------------------------


def kallelse_recipients(case: Case, _: FollowUp | None) -> list[Recipient]:
    """Each invited party, the individual (and guardians), and each invited relative (R-K9)."""
    assert case.meeting is not None
    return [
        *party_recipients(case, case.meeting.invited),
        *individual_recipients(case),
        *relative_recipients(case, (r.name for r in case.relatives if r.invited)),
    ]


def samtycke_recipients(case: Case, _: FollowUp | None) -> list[Recipient]:
    """The copy to sign, then one copy per consented actor (R-C9)."""
    assert case.consent is not None
    return [signing_recipient(case), *party_recipients(case, case.consent.actors)]


def plan_recipients(case: Case, _: FollowUp | None) -> list[Recipient]:
    """The individual's own copy, and one for every party and relative who took part."""
    assert case.plan is not None
    return participant_recipients(case, case.plan.participants)


def uppfoljning_recipients(case: Case, follow_up: FollowUp | None) -> list[Recipient]:
    """Everyone who took part, and every party that carries on an intervention or holds the
    next follow-up, even if they missed the meeting.
    """
    assert follow_up is not None
    carrying_on = [item.responsible for item in follow_up.interventions]
    upcoming = follow_up.next_follow_up
    if upcoming and upcoming.responsible:
        carrying_on.append(upcoming.responsible)
    return participant_recipients(case, follow_up.participants, carrying_on)


def avslutning_recipients(case: Case, _: FollowUp | None) -> list[Recipient]:
    """Everyone who took part: the individual, every party and relative involved (R-A2)."""
    participants = [
        *(case.plan.participants if case.plan else ()),
        *(p for follow_up in case.follow_ups for p in follow_up.participants),
    ]
    parties = [p.party for p in participants if p.party]
    if case.meeting:
        parties[:0] = case.meeting.invited
    if case.plan:
        parties += [item.responsible for item in case.plan.interventions]
    relatives = [
        *(r.name for r in case.relatives if r.invited),
        *(p.relative for p in participants if p.relative),
    ]
    return [
        *individual_recipients(case),
        *party_recipients(case, parties),
        *relative_recipients(case, relatives),
    ]


def overall_responsible(case: Case, _: FollowUp | None = None) -> str | None:
    """The party with overall responsibility, else the convener's."""
    if case.plan and case.plan.overall_responsible:
        return case.plan.overall_responsible
    return case.meeting.convener.party if case.meeting else None


def convener(case: Case, follow_up: FollowUp | None) -> str | None:
    return case.meeting.convener.party if case.meeting else overall_responsible(case)


def consent_sender(case: Case, follow_up: FollowUp | None) -> str | None:
    documented = case.consent.documented_by if case.consent else None
    return documented or overall_responsible(case)


def closure_sender(case: Case, follow_up: FollowUp | None) -> str | None:
    informed = case.closure.informed_by if case.closure else None
    return informed or overall_responsible(case)


def kallelse_title(recipient: Recipient, follow_up: bool = False) -> str:
    """Kallelse to a principal, inbjudan to others (R-K11); to a follow-up meeting if asked."""
    if follow_up:
        if recipient.is_principal:
            return N_("Kallelse till uppföljande SIP-möte")
        return N_("Inbjudan till uppföljande SIP-möte")
    return N_("Kallelse till SIP-möte") if recipient.is_principal else N_("Inbjudan till SIP-möte")


register(
    DocumentKind(
        "kallelse",
        date=lambda case, _: case.case.created if case.meeting else None,
        sender=convener,
        recipients=kallelse_recipients,
        title=kallelse_title,
    )
)
register(
    DocumentKind(
        "samtycke",
        date=lambda case, _: case.consent.date if case.consent else None,
        sender=consent_sender,
        recipients=samtycke_recipients,
        title=lambda _, __: N_("Samtycke till samordnad individuell plan"),
    )
)
register(
    DocumentKind(
        "plan",
        date=lambda case, _: case.plan.date if case.plan else None,
        sender=overall_responsible,
        recipients=plan_recipients,
        title=lambda _, __: N_("Samordnad individuell plan"),
    )
)
register(
    DocumentKind(
        "uppfoljning",
        date=lambda case, follow_up: follow_up.date if follow_up else None,
        sender=overall_responsible,
        recipients=uppfoljning_recipients,
        title=lambda _, __: N_("Uppföljning av samordnad individuell plan"),
        per_follow_up=True,
    )
)
register(
    DocumentKind(
        "avslutning",
        date=lambda case, _: case.closure.date if case.closure else None,
        sender=closure_sender,
        recipients=avslutning_recipients,
        title=lambda _, __: N_("Avslutad samordnad individuell plan"),
    )
)
