"""The rules a case can break (docs/rules.md explains each), one function per rule id.

Each rule takes a schema-valid `Case` and yields `Issue`s with a key path. Messages name key
paths and party ids, never names, numbers, dates or free text from the case.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sipdocs.findings import Issue, KeyPath, error, warning
from sipdocs.ids import PersonalId
from sipdocs.model import (
    Case,
    ClosureReason,
    ConsentForm,
    ConsentGiver,
    Context,
    FollowUpPlan,
    Intervention,
    Participant,
    PartyKind,
    Principal,
    Status,
    text_values,
)
from sipdocs.readability import hard_to_read, unexplained_terms
from sipdocs.textsafety import removed

Rule = Callable[[Case], Iterable[Issue]]
RULES: dict[str, Rule] = {}

ADULT_AGE = 18
OLDEST = 105  # an identity number that makes its person older is most likely mistyped
_SCHOOL_NAME = re.compile(r"skola|elevhälsa|gymnasi", re.IGNORECASE)

# Schema errors at these key paths (list indexes left out) break a rule.
FIELD_RULES: dict[tuple[str, ...], str] = {
    ("consent", "form"): "R-C2",
    ("consent", "valid_until"): "R-C5",
    ("individual", "representative", "role"): "R-C8",
    ("individual", "representative", "name"): "R-C8",
    ("closure", "reason"): "R-A1",
}


def rule(rule_id: str) -> Callable[[Rule], Rule]:
    """Register a rule function under its requirement id."""

    def register(function: Rule) -> Rule:
        RULES[rule_id] = function
        return function

    return register


def check(case: Case) -> list[Issue]:
    """Every issue that every rule finds, plus broken references and unshowable characters."""
    issues = [*check_references(case), *check_characters(case), *check_ages(case)]
    for rule_id, function in RULES.items():
        issues.extend(
            Issue(i.severity, i.path, i.message, i.rule or rule_id) for i in function(case)
        )
    return issues


@dataclass(frozen=True)
class DatedDocument:
    """A document or meeting of the case and the date it carries."""

    path: KeyPath
    date: dt.date


def dated_documents(case: Case) -> list[DatedDocument]:
    """The kallelse, meeting, plan and follow-ups, each with its date (closure excluded)."""
    dated = []
    if case.meeting:
        dated.append(DatedDocument(("case", "created"), case.case.created))
        dated.append(DatedDocument(("meeting", "start"), case.meeting.start.date()))
    if case.plan:
        dated.append(DatedDocument(("plan", "date"), case.plan.date))
    dated += [
        DatedDocument(("follow_ups", i, "date"), f.date) for i, f in enumerate(case.follow_ups)
    ]
    return dated


def age_on(case: Case, day: dt.date) -> int | None:
    """The individual's age in whole years on `day`, if the identity number tells."""
    born = case.individual.personal_id.birth_date
    return None if born is None else years_from(born, day)


def years_from(born: dt.date, day: dt.date) -> int:
    """Whole years from `born` to `day`: an age."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def check_ages(case: Case) -> Iterator[Issue]:
    """An identity number that makes its person over OLDEST years old on the day the case was
    created: most likely a '+' typed for the '-' of a personnummer."""
    people: list[tuple[KeyPath, PersonalId | None]] = [
        (("individual", "personal_id"), case.individual.personal_id)
    ]
    people += [
        (("individual", "guardians", i, "personal_id"), guardian.personal_id)
        for i, guardian in enumerate(case.individual.guardians)
    ]
    for path, personal_id in people:
        born = personal_id.birth_date if personal_id else None
        if born and years_from(born, case.case.created) > OLDEST:
            yield warning(
                path,
                f"the identity number makes the person over {OLDEST} years old; a '+' between "
                "the date and the last four digits means 100 or older: write '-' for anyone "
                "younger",
            )


def is_child(case: Case) -> bool:
    """Under 18 on any document date; without a birth date, the case context decides."""
    ages = [age_on(case, d.date) for d in dated_documents(case)]
    known = [a for a in ages if a is not None]
    if known:
        return min(known) < ADULT_AGE
    return case.case.context is Context.CHILD


@dataclass(frozen=True)
class PartyRef:
    path: KeyPath
    party: str
    takes_part: bool  # invited, responsible or present: must be covered by the consent


def party_references(case: Case) -> Iterator[PartyRef]:
    """Every place the case names a party by id."""
    if case.consent:
        yield from (
            PartyRef(("consent", "actors", i), p, False) for i, p in enumerate(case.consent.actors)
        )
        yield from (
            PartyRef(("consent", "excluded_actors", i), p, False)
            for i, p in enumerate(case.consent.excluded_actors)
        )
        if case.consent.documented_by:
            yield PartyRef(("consent", "documented_by"), case.consent.documented_by, False)
    if case.meeting:
        yield from (
            PartyRef(("meeting", "invited", i), p, True) for i, p in enumerate(case.meeting.invited)
        )
        yield PartyRef(("meeting", "convener", "party"), case.meeting.convener.party, True)
    if case.plan:
        plan = case.plan
        if plan.overall_responsible:
            yield PartyRef(("plan", "overall_responsible"), plan.overall_responsible, True)
        for role in ("chair", "secretary"):
            person = getattr(plan, role)
            if person:
                yield PartyRef(("plan", role, "party"), person.party, True)
        yield from _participant_parties(("plan",), plan.participants)
        yield from _intervention_parties(("plan",), plan.interventions)
        yield from _follow_up_parties(("plan", "follow_up"), plan.follow_up)
    for i, follow_up in enumerate(case.follow_ups):
        base: KeyPath = ("follow_ups", i)
        yield from _participant_parties(base, follow_up.participants)
        yield from _intervention_parties(base, follow_up.interventions)
        yield from _follow_up_parties((*base, "next_follow_up"), follow_up.next_follow_up)
    if case.closure and case.closure.informed_by:
        yield PartyRef(("closure", "informed_by"), case.closure.informed_by, False)


def _participant_parties(base: KeyPath, participants: Iterable[Participant]) -> Iterator[PartyRef]:
    for i, participant in enumerate(participants):
        if participant.party:
            yield PartyRef((*base, "participants", i, "party"), participant.party, True)


def _intervention_parties(
    base: KeyPath, interventions: Iterable[Intervention]
) -> Iterator[PartyRef]:
    for i, intervention in enumerate(interventions):
        yield PartyRef((*base, "interventions", i, "responsible"), intervention.responsible, True)


def _follow_up_parties(path: KeyPath, plan: FollowUpPlan | None) -> Iterator[PartyRef]:
    if plan and plan.responsible:
        yield PartyRef((*path, "responsible"), plan.responsible, True)


def all_interventions(case: Case) -> Iterator[tuple[KeyPath, Intervention]]:
    if case.plan:
        for i, intervention in enumerate(case.plan.interventions):
            yield ("plan", "interventions", i), intervention
    for f, follow_up in enumerate(case.follow_ups):
        for i, intervention in enumerate(follow_up.interventions):
            yield ("follow_ups", f, "interventions", i), intervention


def check_references(case: Case) -> Iterator[Issue]:
    """Ids are unique, and every id the case refers to exists."""
    yield from _duplicate_ids(("parties",), [p.id for p in case.parties])
    if case.plan:
        yield from _duplicate_ids(("plan", "needs"), [n.id for n in case.plan.needs])
        yield from _duplicate_ids(("plan", "goals"), [g.id for g in case.plan.goals])
    party_ids = [p.id for p in case.parties]
    for ref in party_references(case):
        if ref.party not in party_ids:
            yield error(
                ref.path, f"unknown party '{ref.party}' (parties: {', '.join(party_ids) or 'none'})"
            )
    if case.plan:
        need_ids = {n.id for n in case.plan.needs}
        for i, goal in enumerate(case.plan.goals):
            if goal.need and goal.need not in need_ids:
                yield error(
                    ("plan", "goals", i, "need"), f"unknown need '{goal.need}' (plan.needs)"
                )
    goal_ids = {g.id for g in case.plan.goals} if case.plan else set()
    for path, intervention in all_interventions(case):
        if intervention.goal and intervention.goal not in goal_ids:
            yield error((*path, "goal"), f"unknown goal '{intervention.goal}' (plan.goals)")
    for f, follow_up in enumerate(case.follow_ups):
        for i, outcome in enumerate(follow_up.goals):
            if outcome.goal not in goal_ids:
                yield error(
                    ("follow_ups", f, "goals", i, "goal"),
                    f"unknown goal '{outcome.goal}' (plan.goals)",
                )
    yield from _check_people(case)
    yield from _check_chronology(case)


@rule("R-P13")
def easy_read_wording(case: Case) -> Iterator[Issue]:
    """A case that asks for an easy-read copy: free text too hard for it (see readability)."""
    if case.individual.easy_read:
        yield from hard_to_read(case)
        yield from unexplained_terms(case)


def check_characters(case: Case) -> Iterator[Issue]:
    """Text with characters no document can show: they are left out, so say where."""
    for path, text in text_values(case):
        if characters := removed(text):
            codes = ", ".join(f"U+{ord(c):04X}" for c in characters)
            yield warning(
                path,
                f"{len(characters)} control or bidi override character(s) are left out of the "
                f"documents ({codes})",
            )


def _duplicate_ids(path: KeyPath, ids: list[str]) -> Iterator[Issue]:
    seen: set[str] = set()
    for i, item_id in enumerate(ids):
        if item_id in seen:
            yield error((*path, i, "id"), f"duplicate id '{item_id}'")
        seen.add(item_id)


def _check_people(case: Case) -> Iterator[Issue]:
    relatives = {r.name for r in case.relatives}
    guardians = {g.name for g in case.individual.guardians}
    meetings: list[tuple[KeyPath, tuple[Participant, ...]]] = []
    if case.plan:
        meetings.append((("plan",), case.plan.participants))
    meetings += [(("follow_ups", i), f.participants) for i, f in enumerate(case.follow_ups)]
    for base, participants in meetings:
        for i, participant in enumerate(participants):
            path = (*base, "participants", i)
            if participant.relative and participant.relative not in relatives:
                yield error((*path, "relative"), "not the name of anyone in relatives")
            if participant.guardian and participant.guardian not in guardians:
                yield error((*path, "guardian"), "not the name of anyone in individual.guardians")
            if participant.party and not participant.name:
                yield error(path, "a participant from a party needs a name")


def _check_chronology(case: Case) -> Iterator[Issue]:
    if case.plan:
        follow_up_date = case.plan.follow_up.date if case.plan.follow_up else None
        if follow_up_date and follow_up_date < case.plan.date:
            yield error(
                ("plan", "follow_up", "date"), "the follow-up is dated before the plan", "R-P10"
            )
    previous = case.plan.date if case.plan else None
    for i, follow_up in enumerate(case.follow_ups):
        if previous and follow_up.date < previous:
            yield error(
                ("follow_ups", i, "date"),
                "follow-ups are listed oldest first, each dated on or after the plan",
            )
        previous = follow_up.date
    if case.closure and case.plan and case.closure.date < case.plan.date:
        yield error(("closure", "date"), "the closure is dated before the plan")


@rule("R-C1")
def consent_recorded(case: Case) -> Iterator[Issue]:
    if case.consent is None:
        for key in ("meeting", "plan", "follow_ups"):
            if getattr(case, key):
                yield error(
                    (key,),
                    "no kallelse, plan or follow-up without recorded consent (consent is missing)",
                )
                return
        return
    for doc in dated_documents(case):
        if doc.date < case.consent.date:
            yield error(doc.path, "dated before the consent was given (consent.date)")


@rule("R-C2")
def oral_consent_documented(case: Case) -> Iterator[Issue]:
    consent = case.consent
    if consent and consent.form is not ConsentForm.WRITTEN and not consent.documented_by:
        yield error(
            ("consent", "form"),
            f"{consent.form.value} consent must say who documented it (consent.documented_by)",
        )


@rule("R-C3")
def consent_covers_parties(case: Case) -> Iterator[Issue]:
    if case.consent is None:
        return
    covered = set(case.consent.actors)
    known = {p.id for p in case.parties}
    for ref in party_references(case):
        if ref.takes_part and ref.party in known and ref.party not in covered:
            yield error(
                ref.path, f"party '{ref.party}' is not covered by the consent (consent.actors)"
            )


@rule("R-C4")
def excluded_actors_stay_out(case: Case) -> Iterator[Issue]:
    if case.consent is None:
        return
    excluded = set(case.consent.excluded_actors)
    for i, actor in enumerate(case.consent.actors):
        if actor in excluded:
            yield error(("consent", "actors", i), f"party '{actor}' is both consented and excluded")
    for ref in party_references(case):
        if ref.takes_part and ref.party in excluded:
            yield error(
                ref.path,
                f"party '{ref.party}' is excluded by the individual (consent.excluded_actors)",
            )


def one_year_after(day: dt.date) -> dt.date:
    """The last day of a validity of one year from `day` (2026-10-28 -> 2027-10-27)."""
    try:
        anniversary = day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        anniversary = day.replace(year=day.year + 1, day=28) + dt.timedelta(days=1)
    return anniversary - dt.timedelta(days=1)


@rule("R-C5")
def consent_time_limited(case: Case) -> Iterator[Issue]:
    consent = case.consent
    if consent is None:
        return
    if consent.valid_until > (last := one_year_after(consent.date)):
        yield error(
            ("consent", "valid_until"),
            f"consent is valid for at most one year from consent.date: {last} at the latest",
        )
    if consent.valid_until < consent.date:
        yield error(("consent", "valid_until"), "valid_until is before consent.date")
        return
    for doc in dated_documents(case):
        if doc.date > consent.valid_until:
            yield error(doc.path, "dated after the consent expired (consent.valid_until)")


@rule("R-C6")
def consent_withdrawn(case: Case) -> Iterator[Issue]:
    consent, closure = case.consent, case.closure
    if consent and consent.withdrawn:
        if consent.withdrawn < consent.date:
            yield error(("consent", "withdrawn"), "withdrawn before consent.date")
        for doc in dated_documents(case):
            if doc.date > consent.withdrawn:
                yield error(doc.path, "dated after the consent was withdrawn (consent.withdrawn)")
        if closure is None:
            yield warning(
                ("consent", "withdrawn"), "consent is withdrawn, so the plan closes: add a closure"
            )
        elif closure.reason is not ClosureReason.CONSENT_WITHDRAWN:
            yield warning(
                ("closure", "reason"), "consent is withdrawn, so the reason is consent_withdrawn"
            )
    elif closure and closure.reason is ClosureReason.CONSENT_WITHDRAWN:
        yield warning(
            ("closure", "reason"),
            "the reason is consent_withdrawn, but consent.withdrawn has no date",
        )


@rule("R-C7")
def guardians_consent_for_child(case: Case) -> Iterator[Issue]:
    consent = case.consent
    if consent is None:
        return
    guardians = case.individual.guardians
    if not is_child(case):
        if consent.given_by is ConsentGiver.GUARDIANS:
            yield error(("consent", "given_by"), "guardians consent only for a child (under 18)")
        return
    if consent.given_by is not ConsentGiver.GUARDIANS:
        yield error(
            ("consent", "given_by"),
            "the individual is a child: the guardians consent (given_by: guardians)",
        )
    if not guardians:
        yield error(("individual",), "a child's case lists the guardians (individual.guardians)")
    consented = set(consent.guardians_consented)
    for i, guardian in enumerate(guardians):
        if guardian.custody and guardian.name not in consented:
            yield error(
                ("individual", "guardians", i),
                "this guardian has custody but is not in consent.guardians_consented",
            )
    names = {g.name for g in guardians}
    for i, name in enumerate(consent.guardians_consented):
        if name not in names:
            yield error(
                ("consent", "guardians_consented", i),
                "not the name of a guardian in individual.guardians",
            )


@rule("R-C8")
def representative_named(case: Case) -> Iterator[Issue]:
    consent = case.consent
    if (
        consent
        and consent.given_by is ConsentGiver.REPRESENTATIVE
        and not case.individual.representative
    ):
        yield error(
            ("consent", "given_by"),
            "consent by a representative needs individual.representative with role and name",
        )


@rule("R-K2")
def meeting_place(case: Case) -> Iterator[Issue]:
    meeting = case.meeting
    if meeting and not (meeting.location or meeting.venue or meeting.digital_link):
        yield error(("meeting",), "the meeting needs a location or a digital_link")


@rule("R-K7")
def reply_before_meeting(case: Case) -> Iterator[Issue]:
    meeting = case.meeting
    if meeting and meeting.reply_by and meeting.reply_by > meeting.start.date():
        yield error(
            ("meeting", "reply_by"), "the reply-by date is after the meeting (meeting.start)"
        )


@rule("R-K3")
def meeting_question(case: Case) -> Iterator[Issue]:
    if case.meeting is None:
        return
    if case.meeting.question is None:
        yield warning(("meeting",), "the meeting has no question (frågeställning)")
    if not case.meeting.agenda:
        yield warning(("meeting",), "the meeting has no agenda")


@rule("R-K6")
def convener_reachable(case: Case) -> Iterator[Issue]:
    if case.meeting is None:
        return
    convener = case.meeting.convener
    party = case.party(convener.party)
    contact = party.contact if party else None
    if not (convener.phone or convener.email or (contact and (contact.phone or contact.email))):
        yield error(
            ("meeting", "convener"),
            "the convener needs a phone number or e-mail address (here or in the party's contact)",
        )


def is_school(case: Case, party_id: str) -> bool:
    party = case.party(party_id)
    if party is None:
        return False
    if party.kind in (PartyKind.SCHOOL, PartyKind.PRESCHOOL):
        return True
    return party.kind is None and bool(_SCHOOL_NAME.search(party.name))


@rule("R-K8")
def school_invited_for_child(case: Case) -> Iterator[Issue]:
    if case.meeting is None or case.consent is None or not is_child(case):
        return
    if not any(is_school(case, p) for p in case.meeting.invited):
        yield warning(("meeting", "invited"), "a child's SIP invites the preschool or school")


@rule("R-P5")
def overall_responsible(case: Case) -> Iterator[Issue]:
    if case.plan is None:
        return
    if not case.plan.overall_responsible:
        yield error(
            ("plan",),
            "the plan needs overall_responsible: the principal with overall responsibility",
        )
        return
    party = case.party(case.plan.overall_responsible)
    if party and party.principal is Principal.OTHER:
        yield error(
            ("plan", "overall_responsible"),
            "overall_responsible must be a municipality or region party, not another actor",
        )


@rule("R-P6")
def own_words(case: Case) -> Iterator[Issue]:
    if case.plan is None:
        return
    if case.plan.what_matters is None:
        yield warning(("plan",), "the plan has no what_matters in the individual's own words")
    for i, goal in enumerate(case.plan.goals):
        if goal.own_words is None:
            yield warning(
                ("plan", "goals", i),
                "the goal has no own_words: the goal as the individual says it",
            )


@rule("R-P7")
def evaluable_goals(case: Case) -> Iterator[Issue]:
    if case.plan is None:
        return
    for i, goal in enumerate(case.plan.goals):
        if goal.professional is None:
            yield warning(("plan", "goals", i), "the goal has no professional wording")
        if goal.evaluation is None:
            yield warning(
                ("plan", "goals", i), "the goal has no evaluation: say how it is evaluated"
            )


@rule("R-P10")
def plan_followed_up(case: Case) -> Iterator[Issue]:
    if case.plan is None:
        return
    follow_up = case.plan.follow_up
    if follow_up is None:
        yield error(("plan",), "the plan needs follow_up with date and responsible")
        return
    for key in ("date", "responsible"):
        if getattr(follow_up, key) is None:
            yield error(("plan", "follow_up"), f"the follow-up needs {key}")


@rule("R-P11")
def awaiting_decision(case: Case) -> Iterator[Issue]:
    for path, intervention in all_interventions(case):
        if intervention.status is not Status.AWAITING_DECISION:
            continue
        awaiting = intervention.awaiting
        missing = [
            key
            for key in ("meanwhile", "decision_expected", "feedback_by")
            if awaiting is None or getattr(awaiting, key) is None
        ]
        if missing:
            yield error(
                (*path, "awaiting") if awaiting else path,
                "an intervention awaiting a decision says what is done meanwhile, when the "
                f"decision comes and when it is fed back; missing: {', '.join(missing)}",
            )


@rule("R-P17")
def both_principals(case: Case) -> Iterator[Issue]:
    if case.plan is None:
        return
    principals = set()
    for intervention in case.plan.interventions:
        party = case.party(intervention.responsible)
        if party:
            principals.add(party.principal)
    if not {Principal.MUNICIPALITY, Principal.REGION} <= principals:
        yield warning(
            ("plan", "interventions"),
            "a SIP coordinates interventions from both the municipality and the region; "
            "this plan has interventions from only one of them",
        )


@rule("R-F1")
def next_follow_up(case: Case) -> Iterator[Issue]:
    for i, follow_up in enumerate(case.follow_ups):
        if not follow_up.continued_need:
            continue
        planned = follow_up.next_follow_up
        missing = [
            k for k in ("date", "responsible") if planned is None or getattr(planned, k) is None
        ]
        if missing:
            yield error(
                ("follow_ups", i),
                f"with continued_need, the follow-up sets next_follow_up {' and '.join(missing)}",
            )


@rule("R-S3")
def relatives_named_in_consent(case: Case) -> Iterator[Issue]:
    """`consent.relatives` names relatives of the case."""
    if case.consent is None:
        return
    relatives = {r.name for r in case.relatives}
    for i, name in enumerate(case.consent.relatives):
        if name not in relatives:
            yield error(("consent", "relatives", i), "not the name of anyone in relatives")


@rule("R-S5")
def full_plan_for_other_actors(case: Case) -> Iterator[Issue]:
    """`consent.full_plan` names other actors that the consent covers."""
    if case.consent is None:
        return
    for i, party_id in enumerate(case.consent.full_plan):
        party = case.party(party_id)
        if party is None or party.principal is not Principal.OTHER:
            yield error(
                ("consent", "full_plan", i),
                f"'{party_id}' is not another actor (a party with principal: other); "
                "municipality and region parties get the whole plan anyway",
            )
        elif party_id not in case.consent.actors or party_id in case.consent.excluded_actors:
            yield error(
                ("consent", "full_plan", i),
                f"'{party_id}' is not covered by the consent (consent.actors)",
            )


YOUNG_PERSON_AGES = range(15, ADULT_AGE)  # speaks for themself in social services (R-S9)


def is_young_person(case: Case, day: dt.date) -> bool:
    """Whether the individual is 15 to 17 years old on `day`."""
    return age_on(case, day) in YOUNG_PERSON_AGES


@rule("R-S9")
def young_persons_view(case: Case) -> Iterator[Issue]:
    """A young person aged 15 to 17 gives their own view, which the consent records."""
    consent = case.consent
    if consent and consent.child_heard is None and is_young_person(case, consent.date):
        yield warning(
            ("consent",),
            "the individual is 15 to 17 years old: record the young person's own view "
            "(consent.child_heard)",
        )
