"""Who may see what (R-S1 to R-S10): for each copy of a document, whether it is made and
what it may hold.

This is the one place that decides it. `copies` takes the people and parties a document
concerns (`DocumentKind.recipients`) and returns one `Copy` per recipient entitled to one,
each with its `Disclosure`: the case as that copy may show it (a parent without custody
left out, the exclusions withheld, an other actor's extract), and what the templates of
every format print from it (the neutral line on exclusions, the secrecy notice, the archive
mark, the young person's view and signature line, whose letterhead). Templates never decide
entitlement themselves: what they are not given, they cannot show.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sipdocs.documents import DocumentKind, Recipient, party_recipient
from sipdocs.findings import format_key_path
from sipdocs.languages import N_
from sipdocs.model import (
    Case,
    Consent,
    FollowUp,
    Intervention,
    Participant,
    Party,
    Principal,
)
from sipdocs.rules import age_on, is_young_person
from sipdocs.templates import Layer, effective_profile

# The documents that are written records of the individual's care: a relative gets them only
# when the consent names them (R-S3).
RECORDS = frozenset({"plan", "uppfoljning", "avslutning"})
# The documents an other actor gets as an extract unless the consent gives it the whole (R-S5).
EXTRACTS = frozenset({"plan", "uppfoljning"})
# Who reads a copy as the individual's own, or as whoever gave the consent (R-S2, R-S6).
OWN_ROLES = frozenset({"individual", "guardian", "guardians", "representative"})

SECRECY_NOTICE = N_(
    "Handlingen innehåller uppgifter som omfattas av sekretess enligt offentlighets- och "
    "sekretesslagen (2009:400). Uppgifterna får bara användas i arbetet med den samordnade "
    "individuella planen och får inte lämnas vidare."
)


@dataclass(frozen=True)
class Disclosure:
    """What one recipient's copy of a document may hold; every format takes it from here.

    `case` and `follow_up` are the case as the copy may show it. `everyone` is who gets the
    document. `letterhead` is the layer chain whose profile and logo the sender writes with
    (R-S7). The flags say what the templates add: `extract` (R-S5), `exclusions_withheld`
    with `ask_first` (R-S2), `secrecy` (R-S6), `archive` (the sender's own copy, R-S8),
    `identity` (identity number and address of the individual), `young_person` (R-S9) and
    `address_missing` (R-S8).
    """

    case: Case
    follow_up: FollowUp | None
    everyone: tuple[Recipient, ...]
    letterhead: tuple[Layer, ...]
    extract: bool = False
    exclusions_withheld: bool = False
    ask_first: Party | None = None
    secrecy: bool = False
    archive: bool = False
    identity: bool = True
    young_person: bool = False
    address_missing: bool = False
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Copy:
    """One copy of a document that is made: its recipient and what it may hold."""

    recipient: Recipient
    disclosure: Disclosure


def copies(
    case: Case,
    kind: DocumentKind,
    follow_up: FollowUp | None,
    chain: Sequence[Layer],
    revision: int = 2,
) -> list[Copy]:
    """Every copy of the document that is made, each with what it may hold, by the rules of
    the template version's shared parts (`revision`): from 2, a relative the case gives no
    address is handed a copy, not sent one (R-S8)."""
    sender_id = kind.sender(case, follow_up)
    sender = case.party(sender_id) if sender_id else None
    recipients = entitled(case, kind, follow_up, chain, sender)
    everyone = tuple(recipients)
    letterhead = letterhead_chain(chain, sender)
    date = kind.date(case, follow_up)
    young = date is not None and is_young_person(case, date)
    common = withhold_non_custodial(case)
    return [
        Copy(
            recipient,
            decide(
                common, kind, follow_up, recipient, sender, everyone, letterhead, young, revision
            ),
        )
        for recipient in recipients
    ]


def entitled(
    case: Case,
    kind: DocumentKind,
    follow_up: FollowUp | None,
    chain: Sequence[Layer],
    sender: Party | None,
) -> list[Recipient]:
    """Who gets a copy: the people and parties the document concerns, less those who may not
    have one (R-S3, R-S4, R-S10), plus the sender's own archive copy (R-S8).
    """
    consent = case.consent
    wanted = [r for r in kind.recipients(case, follow_up) if may_receive(case, kind, r)]
    date = kind.date(case, follow_up)
    age = age_on(case, date) if date else None
    if age is not None and age < effective_profile(chain).own_letter_from_age:
        others = [r for r in wanted if r.role in ("guardian", "guardians", "representative")]
        if others:  # the guardians' copies carry it (R-S10)
            wanted = [r for r in wanted if r.role != "individual"]
    if sender and not any(r.party == sender for r in wanted):
        excluded = consent is not None and sender.id in consent.excluded_actors
        own = None if excluded else party_recipient(case, sender.id)
        wanted += [own] if own else []
    return wanted


def may_receive(case: Case, kind: DocumentKind, recipient: Recipient) -> bool:
    """Whether the recipient may have a copy of the document at all."""
    consent = case.consent
    if recipient.role == "guardian":
        index = recipient.source[-1]
        assert isinstance(index, int)
        return case.individual.guardians[index].custody  # R-S4
    if recipient.role == "relative" and kind.name in RECORDS:
        return consent is not None and recipient.name in consent.relatives  # R-S3
    if recipient.role == "party" and recipient.party and consent is not None:
        party = recipient.party
        if party.id in consent.excluded_actors:
            return False
        return party.principal is not Principal.OTHER or party.id in consent.actors
    return True


def decide(
    case: Case,
    kind: DocumentKind,
    follow_up: FollowUp | None,
    recipient: Recipient,
    sender: Party | None,
    everyone: tuple[Recipient, ...],
    letterhead: tuple[Layer, ...],
    young_person: bool,
    revision: int = 2,
) -> Disclosure:
    """What the recipient's copy may hold."""
    consent = case.consent
    party = recipient.party
    own = recipient.role in OWN_ROLES
    documented = party is not None and consent is not None and party.id == consent.documented_by
    withheld = consent is not None and not (own or documented) and _has_exclusions(consent)
    if withheld:
        assert consent is not None
        withheld_consent = consent.model_copy(
            update={"excluded_actors": (), "excluded_information": ()}
        )
        case = case.model_copy(update={"consent": withheld_consent})
    extract = (
        kind.name in EXTRACTS
        and party is not None
        and party.principal is Principal.OTHER
        and not (consent and party.id in consent.full_plan)
    )
    if extract:
        assert party is not None
        case, follow_up = extract_for(case, follow_up, party.id)
    elif follow_up is not None:
        follow_up = withhold_non_custodial_participants(case, follow_up)
    archive = party is not None and party == sender
    # A relative comes at the individual's invitation; without an address in the case, the
    # copy is handed over (by the individual or at the meeting), not posted.
    handed_over = revision >= 2 and recipient.role == "relative" and recipient.address is None
    post = recipient.role != "party" and not archive and not handed_over
    address_missing = post and recipient.address is None
    warnings: tuple[str, ...] = ()
    if address_missing:
        where = format_key_path((*recipient.source, "address"))
        warnings = (
            f"[R-S8] {recipient.id}: {where}: the copy goes by post but there is no whole "
            "address (street, postal_code, city); its window says the address is missing",
        )
    ask = consent.documented_by if consent and consent.documented_by else None
    return Disclosure(
        case=case,
        follow_up=follow_up,
        everyone=everyone,
        letterhead=letterhead,
        extract=extract,
        exclusions_withheld=withheld,
        ask_first=(case.party(ask) if ask else None) or sender,
        secrecy=not own,
        archive=archive,
        identity=recipient.role != "relative",
        young_person=young_person,
        address_missing=address_missing,
        warnings=warnings,
    )


def _has_exclusions(consent: Consent) -> bool:
    return bool(consent.excluded_actors or consent.excluded_information)


def letterhead_chain(chain: Sequence[Layer], sender: Party | None) -> tuple[Layer, ...]:
    """The layers a letter from `sender` is branded with (R-S7): the whole chain for a
    municipal unit, up to the region layer for a region unit, the default alone for an
    other actor, which has no principal's letterhead.
    """
    if sender is None or sender.principal is Principal.MUNICIPALITY:
        return tuple(chain)
    if sender.principal is Principal.REGION:
        return tuple(layer for layer in chain if layer.profile.kind != "municipality")
    return tuple(chain[:1])


# --- Parents without custody (R-S4) --------------------------------------------------


def withhold_non_custodial(case: Case) -> Case:
    """The case without guardians who have no custody: they are named nowhere, except as a
    relative when they are also listed as one.
    """
    person = case.individual
    custody = tuple(g for g in person.guardians if g.custody)
    if len(custody) == len(person.guardians):
        return case
    names = {g.name for g in custody}
    update: dict[str, object] = {
        "individual": person.model_copy(update={"guardians": custody}),
    }
    if case.consent:
        consented = tuple(n for n in case.consent.guardians_consented if n in names)
        update["consent"] = case.consent.model_copy(update={"guardians_consented": consented})
    case = case.model_copy(update=update)
    if case.plan:
        participants = _participants(case, case.plan.participants)
        case = case.model_copy(
            update={"plan": case.plan.model_copy(update={"participants": participants})}
        )
    follow_ups = tuple(withhold_non_custodial_participants(case, f) for f in case.follow_ups)
    return case.model_copy(update={"follow_ups": follow_ups})


def withhold_non_custodial_participants(case: Case, follow_up: FollowUp) -> FollowUp:
    """The follow-up with its participants as `case` may name them."""
    participants = _participants(case, follow_up.participants)
    if participants == follow_up.participants:
        return follow_up
    return follow_up.model_copy(update={"participants": participants})


def _participants(case: Case, participants: Iterable[Participant]) -> tuple[Participant, ...]:
    """Participants as the case may name them: a guardian who is not one of the case's
    guardians (no custody) shows as a relative if listed as one, else not at all.
    """
    guardians = {g.name for g in case.individual.guardians}
    relatives = {r.name for r in case.relatives}
    kept = []
    for participant in participants:
        name = participant.guardian
        if name is None or name in guardians:
            kept.append(participant)
        elif name in relatives:
            kept.append(Participant(relative=name))
    return tuple(kept)


# --- An other actor's extract (R-S5) -------------------------------------------------


def extract_for(
    case: Case, follow_up: FollowUp | None, party_id: str
) -> tuple[Case, FollowUp | None]:
    """The plan and follow-up as an other actor's extract shows them: who it concerns, the
    goals its own interventions serve, its interventions, the overall responsible party, the
    follow-up and contacts. What matters to the individual, their own actions, needs, who
    took part (chair and secretary too) and changed circumstances are left out.
    """
    interventions = [
        *(case.plan.interventions if case.plan else ()),
        *(item for f in case.follow_ups for item in f.interventions),
    ]
    goals = {item.goal for item in _own(interventions, party_id) if item.goal}
    plan = case.plan
    if plan is not None:
        plan = plan.model_copy(
            update={
                "participants": (),
                "chair": None,
                "secretary": None,
                "what_matters": None,
                "strengths": None,
                "own_actions": (),
                "needs": (),
                "goals": tuple(g for g in plan.goals if g.id in goals),
                "interventions": _own(plan.interventions, party_id),
            }
        )
    case = case.model_copy(
        update={
            "plan": plan,
            "follow_ups": tuple(_follow_up_extract(f, party_id, goals) for f in case.follow_ups),
        }
    )
    if follow_up is not None:
        follow_up = _follow_up_extract(follow_up, party_id, goals)
    return case, follow_up


def _own(interventions: Iterable[Intervention], party_id: str) -> tuple[Intervention, ...]:
    return tuple(item for item in interventions if item.responsible == party_id)


def _follow_up_extract(follow_up: FollowUp, party_id: str, goals: set[str]) -> FollowUp:
    return follow_up.model_copy(
        update={
            "participants": (),
            "changed_circumstances": None,
            "goals": tuple(g for g in follow_up.goals if g.goal in goals),
            "interventions": _own(follow_up.interventions, party_id),
        }
    )
