"""The documents of the SIP process, registered by name, and who receives a copy of each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from sipdocs.errors import UsageError
from sipdocs.model import Address, Case, Party

AddressForm = Literal["du", "ni", "formal"]


@dataclass(frozen=True)
class Recipient:
    """Who a copy is addressed to. `id` names the file, so it never holds personal data."""

    id: str
    role: Literal["individual", "guardian", "representative", "relative", "party"]
    name: str
    language: str
    address: Address | None = None
    attention: str | None = None
    party: Party | None = None

    @property
    def address_form(self) -> AddressForm:
        """'du' to the individual and people close to them, 'ni' to guardians, formal otherwise."""
        if self.role == "party":
            return "formal"
        return "ni" if self.role == "guardian" else "du"


@dataclass(frozen=True)
class DocumentKind:
    """One document of the process: its template name, its date, and its recipients."""

    name: str
    title: str
    date: Callable[[Case], dt.date | None]
    recipients: Callable[[Case], list[Recipient]]

    def available(self, case: Case) -> bool:
        return self.date(case) is not None


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


def individual_recipients(case: Case) -> Iterator[Recipient]:
    """The individual, their representative, and for a child each guardian."""
    person = case.individual
    yield Recipient("individ", "individual", person.name, person.language, person.address)
    if person.representative:
        rep = person.representative
        yield Recipient(
            "foretradare", "representative", rep.name, "sv", rep.address or person.address
        )
    for number, guardian in enumerate(person.guardians, start=1):
        yield Recipient(
            f"vardnadshavare{number}",
            "guardian",
            guardian.name,
            guardian.language,
            guardian.address or person.address,
        )


def party_recipient(case: Case, party_id: str) -> Recipient | None:
    party = case.party(party_id)
    if party is None:
        return None
    contact = party.contact.name if party.contact and party.contact.name else None
    attention = ", ".join(x for x in (contact, party.unit) if x) or None
    return Recipient(party.id, "party", party.name, "sv", party.address, attention, party)


def relative_recipient(case: Case, name: str) -> Recipient | None:
    for number, relative in enumerate(case.relatives, start=1):
        if relative.name == name:
            return Recipient(
                f"narstaende{number}", "relative", name, relative.language, relative.address
            )
    return None


def plan_recipients(case: Case) -> list[Recipient]:
    """The individual's own copy, and one for every party and relative who took part."""
    recipients = list(individual_recipients(case))
    seen: set[str] = set()
    for participant in case.plan.participants if case.plan else ():
        if participant.party and participant.party not in seen:
            seen.add(participant.party)
            recipient = party_recipient(case, participant.party)
        elif participant.relative:
            recipient = relative_recipient(case, participant.relative)
        else:
            recipient = None
        if recipient:
            recipients.append(recipient)
    return recipients


register(
    DocumentKind(
        "plan",
        "Samordnad individuell plan",
        lambda case: case.plan.date if case.plan else None,
        plan_recipients,
    )
)
