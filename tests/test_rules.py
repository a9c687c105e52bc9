"""Every error and warning rule of requirements.md, each shown on a variation of a reference."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sipdocs.rules import one_year_after
from tests.conftest import report

Case = dict[str, Any]


def test_references_have_no_findings(adult: Case, child: Case) -> None:
    assert report(adult) == []
    assert report(child) == []


@pytest.mark.parametrize(
    ("created", "expected"),
    [
        (dt.datetime(2026, 11, 2), []),
        (dt.datetime(2026, 11, 2, 13), ["error: case.created: expected a real date as YYYY-MM-DD"]),
    ],
)
def test_creation_date_with_a_time(adult: Case, created: dt.datetime, expected: list[str]) -> None:
    """YAML reads `created: 2026-11-02 00:00:00` as a date and time. Before the fix the
    personal ids' birth dates were compared with it, and validation raised TypeError."""
    adult["case"]["created"] = created
    assert report(adult) == expected


@pytest.mark.req("R-C1")
def test_plan_without_consent_is_refused(adult: Case) -> None:
    del adult["consent"]
    assert report(adult) == [
        "error: [R-C1] meeting: no kallelse, plan or follow-up without recorded consent "
        "(consent is missing)"
    ]


@pytest.mark.req("R-C1")
def test_plan_dated_before_consent_is_refused(adult: Case) -> None:
    adult["consent"]["date"] = dt.date(2026, 11, 3)
    assert report(adult) == [
        "error: [R-C1] case.created: dated before the consent was given (consent.date)"
    ]


@pytest.mark.req("R-C2")
@pytest.mark.parametrize("form", ["oral", "other"])
def test_oral_consent_needs_who_documented_it(adult: Case, form: str) -> None:
    adult["consent"]["form"] = form
    del adult["consent"]["documented_by"]
    assert report(adult) == [
        f"error: [R-C2] consent.form: {form} consent must say who documented it "
        "(consent.documented_by)"
    ]


@pytest.mark.req("R-C2")
def test_consent_form_is_written_oral_or_other(adult: Case) -> None:
    adult["consent"]["form"] = "email"
    assert report(adult) == ["error: [R-C2] consent.form: expected one of: written, oral, other"]


@pytest.mark.req("R-C3")
def test_invited_party_must_be_covered_by_consent(adult: Case) -> None:
    adult["consent"]["actors"].remove("fk")
    assert report(adult) == [
        "error: [R-C3] meeting.invited[3]: party 'fk' is not covered by the consent (consent.actors)",
        "error: [R-C3] plan.participants[3].party: party 'fk' is not covered by the consent "
        "(consent.actors)",
        "error: [R-C3] plan.interventions[3].responsible: party 'fk' is not covered by the consent "
        "(consent.actors)",
    ]


@pytest.mark.req("R-C4")
def test_excluded_actor_cannot_be_responsible(adult: Case) -> None:
    adult["plan"]["interventions"][3]["responsible"] = "af"
    assert report(adult) == [
        "error: [R-C3] plan.interventions[3].responsible: party 'af' is not covered by the "
        "consent (consent.actors)",
        "error: [R-C4] plan.interventions[3].responsible: party 'af' is excluded by the "
        "individual (consent.excluded_actors)",
    ]


@pytest.mark.req("R-C4")
def test_actor_cannot_be_both_consented_and_excluded(adult: Case) -> None:
    adult["consent"]["excluded_actors"].append("fk")
    lines = report(adult)
    assert lines[0] == "error: [R-C4] consent.actors[3]: party 'fk' is both consented and excluded"
    assert (
        "error: [R-C4] meeting.invited[3]: party 'fk' is excluded by the individual (consent.excluded_actors)"
        in lines
    )


@pytest.mark.req("R-C5")
def test_consent_valid_at_most_one_year(adult: Case) -> None:
    adult["consent"]["valid_until"] = dt.date(2027, 10, 28)
    assert report(adult) == [
        "error: [R-C5] consent.valid_until: consent is valid for at most one year from "
        "consent.date: 2027-10-27 at the latest"
    ]


@pytest.mark.req("R-C5")
def test_document_after_consent_expired(adult: Case) -> None:
    adult["consent"]["valid_until"] = dt.date(2026, 11, 19)
    assert report(adult) == [
        "error: [R-C5] meeting.start: dated after the consent expired (consent.valid_until)",
        "error: [R-C5] plan.date: dated after the consent expired (consent.valid_until)",
    ]


def test_one_year_is_a_year_less_a_day() -> None:
    assert one_year_after(dt.date(2026, 10, 28)) == dt.date(2027, 10, 27)
    assert one_year_after(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


@pytest.mark.req("R-C6")
def test_nothing_new_after_withdrawal(adult: Case) -> None:
    adult["consent"]["withdrawn"] = dt.date(2026, 11, 10)
    adult["closure"] = {"date": dt.date(2026, 11, 10), "reason": "consent_withdrawn"}
    assert report(adult) == [
        "error: [R-C6] meeting.start: dated after the consent was withdrawn (consent.withdrawn)",
        "error: [R-C6] plan.date: dated after the consent was withdrawn (consent.withdrawn)",
        "error: closure.date: the closure is dated before the plan",
    ]


@pytest.mark.req("R-C6")
def test_withdrawn_consent_closes_with_that_reason(child: Case) -> None:
    child["consent"]["withdrawn"] = dt.date(2027, 6, 7)
    assert report(child) == [
        "warning: [R-C6] closure.reason: consent is withdrawn, so the reason is consent_withdrawn"
    ]


@pytest.mark.req("R-C6")
def test_reason_consent_withdrawn_needs_the_date(child: Case) -> None:
    child["closure"]["reason"] = "consent_withdrawn"
    assert report(child) == [
        "warning: [R-C6] closure.reason: the reason is consent_withdrawn, but consent.withdrawn "
        "has no date"
    ]


@pytest.mark.req("R-C7")
def test_child_needs_every_guardian_with_custody(child: Case) -> None:
    child["consent"]["guardians_consented"] = ["Hiwet Tesfay"]
    assert report(child) == [
        "error: [R-C7] individual.guardians[1]: this guardian has custody but is not in "
        "consent.guardians_consented"
    ]


@pytest.mark.req("R-C7")
def test_guardian_without_custody_need_not_consent(child: Case) -> None:
    child["individual"]["guardians"][1]["custody"] = False
    child["consent"]["guardians_consented"] = ["Hiwet Tesfay"]
    assert report(child) == []


@pytest.mark.req("R-C7")
def test_child_cannot_consent_alone(child: Case) -> None:
    child["consent"]["given_by"] = "individual"
    assert report(child) == [
        "error: [R-C7] consent.given_by: the individual is a child: the guardians consent "
        "(given_by: guardians)"
    ]


@pytest.mark.req("R-C7")
def test_consenting_guardian_must_be_listed(child: Case) -> None:
    child["consent"]["guardians_consented"].append("Okänd Person")
    assert report(child) == [
        "error: [R-C7] consent.guardians_consented[2]: not the name of a guardian in "
        "individual.guardians"
    ]


@pytest.mark.req("R-C7")
def test_adult_is_not_consented_for_by_guardians(adult: Case) -> None:
    adult["consent"]["given_by"] = "guardians"
    assert report(adult) == [
        "error: [R-C7] consent.given_by: guardians consent only for a child (under 18)"
    ]


@pytest.mark.req("R-C8")
def test_representative_must_be_named(adult: Case) -> None:
    adult["consent"]["given_by"] = "representative"
    assert report(adult) == [
        "error: [R-C8] consent.given_by: consent by a representative needs "
        "individual.representative with role and name"
    ]


@pytest.mark.req("R-C8")
def test_representative_role_from_the_list(adult: Case) -> None:
    adult["consent"]["given_by"] = "representative"
    adult["individual"]["representative"] = {"role": "advokat", "name": "Per Persson"}
    assert report(adult) == [
        "error: [R-C8] individual.representative.role: expected one of: god_man, forvaltare, "
        "framtidsfullmakt, fullmakt"
    ]


@pytest.mark.req("R-K2")
def test_meeting_needs_place_or_link(adult: Case) -> None:
    adult["meeting"]["location"] = None
    assert report(adult) == [
        "error: [R-K2] meeting: the meeting needs a location or a digital_link"
    ]


@pytest.mark.req("R-K2")
def test_digital_meeting_is_enough(adult: Case) -> None:
    adult["meeting"]["location"] = None
    adult["meeting"]["digital_link"] = "https://mote.lillan.example/sip-0142"
    assert report(adult) == []


@pytest.mark.req("R-K3")
def test_meeting_without_question_or_agenda_warns(adult: Case) -> None:
    del adult["meeting"]["question"]
    adult["meeting"]["agenda"] = []
    assert report(adult) == [
        "warning: [R-K3] meeting: the meeting has no question (frågeställning)",
        "warning: [R-K3] meeting: the meeting has no agenda",
    ]


@pytest.mark.req("R-K6")
def test_convener_needs_phone_or_email(adult: Case) -> None:
    adult["meeting"]["convener"]["party"] = "af"
    adult["consent"]["actors"].append("af")
    adult["consent"]["excluded_actors"] = []
    assert report(adult) == [
        "error: [R-K6] meeting.convener: the convener needs a phone number or e-mail address "
        "(here or in the party's contact)"
    ]


@pytest.mark.req("R-K6")
def test_convener_own_phone_is_enough(adult: Case) -> None:
    adult["meeting"]["convener"] = {"party": "af", "name": "Kim Ek", "phone": "0771-60 00 00"}
    adult["consent"]["actors"].append("af")
    adult["consent"]["excluded_actors"] = []
    assert report(adult) == []


@pytest.mark.req("R-K8")
def test_child_case_invites_school(child: Case) -> None:
    child["meeting"]["invited"].remove("skola")
    child["meeting"]["convener"]["party"] = "soc"
    assert report(child) == [
        "warning: [R-K8] meeting.invited: a child's SIP invites the preschool or school"
    ]


@pytest.mark.req("R-K8")
def test_school_by_kind(child: Case) -> None:
    child["parties"][0]["name"] = "Elevstödet Lillån"
    child["parties"][0]["kind"] = "school"
    assert report(child) == []


@pytest.mark.req("R-P5")
def test_plan_needs_overall_responsible(adult: Case) -> None:
    del adult["plan"]["overall_responsible"]
    assert report(adult) == [
        "error: [R-P5] plan: the plan needs overall_responsible: the principal with overall "
        "responsibility"
    ]


@pytest.mark.req("R-P5")
def test_overall_responsible_is_a_principal(adult: Case) -> None:
    adult["plan"]["overall_responsible"] = "fk"
    assert report(adult) == [
        "error: [R-P5] plan.overall_responsible: overall_responsible must be a municipality or "
        "region party, not another actor"
    ]


@pytest.mark.req("R-P6")
def test_plan_without_own_words_warns(adult: Case) -> None:
    del adult["plan"]["what_matters"]
    del adult["plan"]["goals"][0]["own_words"]
    assert report(adult) == [
        "warning: [R-P6] plan: the plan has no what_matters in the individual's own words",
        "warning: [R-P6] plan.goals[0]: the goal has no own_words: the goal as the individual "
        "says it",
    ]


@pytest.mark.req("R-P7")
def test_goal_without_evaluation_warns(adult: Case) -> None:
    del adult["plan"]["goals"][1]["evaluation"]
    del adult["plan"]["goals"][2]["professional"]
    assert report(adult) == [
        "warning: [R-P7] plan.goals[1]: the goal has no evaluation: say how it is evaluated",
        "warning: [R-P7] plan.goals[2]: the goal has no professional wording",
    ]


@pytest.mark.req("R-P10")
def test_plan_needs_follow_up(adult: Case) -> None:
    del adult["plan"]["follow_up"]
    assert report(adult) == [
        "error: [R-P10] plan: the plan needs follow_up with date and responsible"
    ]


@pytest.mark.req("R-P10")
def test_follow_up_needs_date_and_responsible(adult: Case) -> None:
    del adult["plan"]["follow_up"]["responsible"]
    assert report(adult) == ["error: [R-P10] plan.follow_up: the follow-up needs responsible"]


@pytest.mark.req("R-P10")
def test_follow_up_not_before_plan(adult: Case) -> None:
    adult["plan"]["follow_up"]["date"] = dt.date(2026, 11, 1)
    assert report(adult) == [
        "error: [R-P10] plan.follow_up.date: the follow-up is dated before the plan"
    ]


@pytest.mark.req("R-P11")
def test_awaiting_decision_says_what_meanwhile(adult: Case) -> None:
    del adult["plan"]["interventions"][1]["awaiting"]["meanwhile"]
    del adult["plan"]["interventions"][1]["awaiting"]["feedback_by"]
    assert report(adult) == [
        "error: [R-P11] plan.interventions[1].awaiting: an intervention awaiting a decision says "
        "what is done meanwhile, when the decision comes and when it is fed back; missing: "
        "meanwhile, feedback_by"
    ]


@pytest.mark.req("R-P11")
def test_awaiting_decision_without_awaiting(child: Case) -> None:
    child["follow_ups"][0]["interventions"][0]["status"] = "awaiting_decision"
    assert report(child) == [
        "error: [R-P11] follow_ups[0].interventions[0]: an intervention awaiting a decision says "
        "what is done meanwhile, when the decision comes and when it is fed back; missing: "
        "meanwhile, decision_expected, feedback_by"
    ]


@pytest.mark.req("R-P17")
def test_interventions_from_one_principal_warn(adult: Case) -> None:
    adult["plan"]["interventions"] = [adult["plan"]["interventions"][0]]
    assert report(adult) == [
        "warning: [R-P17] plan.interventions: a SIP coordinates interventions from both the "
        "municipality and the region; this plan has interventions from only one of them"
    ]


@pytest.mark.req("R-F1")
def test_continued_need_sets_next_follow_up(child: Case) -> None:
    child["follow_ups"][0]["next_follow_up"] = None
    assert report(child) == [
        "error: [R-F1] follow_ups[0]: with continued_need, the follow-up sets next_follow_up "
        "date and responsible"
    ]


@pytest.mark.req("R-F1")
def test_closing_follow_up_needs_no_next_date(child: Case) -> None:
    assert child["follow_ups"][1]["next_follow_up"] is None
    assert report(child) == []


@pytest.mark.req("R-A1")
def test_closure_reason_from_fixed_list(child: Case) -> None:
    child["closure"]["reason"] = "moved_away"
    assert report(child) == [
        "error: [R-A1] closure.reason: expected one of: goals_met, no_coordination_need, "
        "consent_withdrawn, individual_request, other"
    ]
