"""A follow-up with the revised plan (R-F1, R-F2) and the closure (R-A3): uppfoljning.html."""

from __future__ import annotations

from tools.docxbuild import Bold, Letter, _, either, parts


def build(letter: Letter, version: int = 1) -> None:
    letter.heading(1, "{{ doc.title }}")
    (_introduction_2 if version >= 2 else introduction)(letter)
    with letter.when("disclosure.extract"):  # an other actor's extract says so (R-S5)
        letter.para(
            _(
                "Det här är ett utdrag ur uppföljningen med det som gäller er verksamhet: era "
                "insatser och målen de hör till."
            )
        )
    parts.concerns(
        letter,
        _("Uppföljningen gäller"),
        (
            (_("Uppföljning nummer"), "{{ follow_up_number }}"),
            (_("Uppföljningen hölls"), "{{ date_long(follow_up.date) }}"),
        ),
    )
    with letter.when("case.plan"):
        letter.fact(_("Planen upprättades"), "{{ date_long(case.plan.date) }}")
    with letter.when("case.plan and case.plan.overall_responsible"):
        letter.fact(
            _("Huvudansvarig för planen"), "{{ party(case.plan.overall_responsible).name }}"
        )
    with letter.when("follow_up.participants"):
        letter.heading(2, _("Deltagare"))
        parts.participants(
            letter, "follow_up.participants", "follow_up.individual_participated", version
        )
    with letter.when("follow_up.goals or not disclosure.extract"):
        if version >= 2:
            letter.heading(2, _("Så har det gått med målen"))
            with letter.when("large_print and not follow_up.continued_need and goal_results"):
                with letter.each("row in goal_results"):
                    _outcome_block(letter, "row.number", "row.goal", "row.result", "row.earlier")
                letter.otherwise("large_print and follow_up.goals")
                with (
                    letter.each("result in follow_up.goals"),
                    letter.scope(
                        "goal = (case.plan.goals if case.plan else ()) "
                        "| selectattr('id', 'equalto', result.goal) | first"
                    ),
                ):
                    _outcome_block(letter, "goal_number[result.goal]", "goal", "result", "none")
                letter.otherwise("not follow_up.continued_need and goal_results")
                _all_goals(letter)
                letter.otherwise()
                goals(letter, heading=False)
        else:
            goals(letter)
    with letter.when("not disclosure.extract"):
        letter.heading(2, _("Förändrade förhållanden"))
        letter.para(
            "{{ t(follow_up.changed_circumstances) if follow_up.changed_circumstances else "
            "_('Inga förändrade förhållanden har kommit fram.') }}"
        )
    letter.heading(2, _("Insatser efter uppföljningen"))
    with letter.when("follow_up.interventions"):
        (parts.interventions_2 if version >= 2 else parts.interventions)(
            letter, "follow_up.interventions"
        )
        letter.otherwise()
        letter.para(
            either(
                "disclosure.extract",
                "Inga av era insatser fortsätter inom planen.",
                "Inga insatser fortsätter inom planen.",
            )
        )
    (_continued_2 if version >= 2 else continued)(letter)
    next_follow_up(letter)
    if version >= 2:
        letter.heading(2, _("Planen skickas till"))
        parts.recipients_list(letter, "everyone", version=2)
    parts.contact(letter, _("Kontakt"), "sender_card")


def introduction(letter: Letter) -> None:
    with letter.when("recipient.role == 'individual'"):
        letter.para(
            _(
                "Här är uppföljningen av din samordnade individuella plan. Den visar hur det har "
                "gått med dina mål och vad som händer nu."
            ),
            style="Ingress",
        )
        letter.otherwise("recipient.address_form == 'ni'")
        letter.para(
            _(
                "Här är uppföljningen av ert barns samordnade individuella plan. Den visar hur "
                "det har gått med målen och vad som händer nu."
            ),
            style="Ingress",
        )
        letter.otherwise()
        letter.para(
            _(
                "Här är uppföljningen av den samordnade individuella planen, med planen så som "
                "den gäller efter uppföljningen."
            ),
            style="Ingress",
        )


def goals(letter: Letter, heading: bool = True) -> None:
    if heading:
        letter.heading(2, _("Så har det gått med målen"))
    with letter.when("follow_up.goals"):
        number, goal, outcome, comment = letter.table(
            [_("Nr"), _("Mål"), _("Resultat"), _("Kommentar")],
            [8, 36, 18, 38],
            "result in follow_up.goals",
        )
        letter.para("{{ goal_number[result.goal] }}", cell=number)
        letter.para(
            "{% with goal = (case.plan.goals if case.plan else ()) "
            "| selectattr('id', 'equalto', result.goal) | first %}"
            "{{ t(goal.own_words or goal.professional) }}{% endwith %}",
            cell=goal,
        )
        letter.para("{{ _(outcome_label(result.outcome)) }}", cell=outcome)
        letter.para("{{ t(result.comment) }}", cell=comment)
        letter.otherwise()
        letter.para(_("Inga mål följdes upp vid det här tillfället."))


def continued(letter: Letter) -> None:
    letter.heading(2, _("Fortsatt behov av samordning"))
    with letter.when("follow_up.continued_need"):
        letter.para(
            _("Det finns fortsatt behov av samordnade insatser. Planen fortsätter att gälla.")
        )
        letter.otherwise()
        letter.para(
            Bold(
                _(
                    "Det finns inte längre behov av samordnade insatser. Planen avslutas med den här "
                    "uppföljningen."
                )
            )
        )
        with letter.when("case.closure"):
            letter.fact(_("Planen avslutas"), "{{ date_long(case.closure.date) }}")
            letter.fact(_("Skäl"), "{{ _(closure_reason(case.closure.reason)) }}")


def next_follow_up(letter: Letter) -> None:
    with (
        letter.when("follow_up.next_follow_up and follow_up.next_follow_up.date"),
        letter.scope("next = follow_up.next_follow_up"),
    ):
        letter.heading(2, _("Nästa uppföljning"))
        letter.fact(_("Datum"), "{{ date_long(next.date) }}")
        with letter.when("next.responsible"):
            letter.fact(_("Ansvarig"), "{{ party(next.responsible).name }}")
        with letter.when("next.form"):
            letter.fact(_("Hur"), "{{ t(next.form) }}")


# --- Version 2 --------------------------------------------------------------------------


def _introduction_2(letter: Letter) -> None:
    with letter.when("recipient.role == 'individual' or recipient.address_form == 'ni'"):
        introduction(letter)
        letter.otherwise()
        letter.para(
            _(
                "Här är uppföljningen av den samordnade individuella planen för %(name)s, med "
                "planen så som den gäller efter uppföljningen.",
                name="case.individual.name",
            ),
            style="Ingress",
        )


def _all_goals(letter: Letter) -> None:
    """The last follow-up: every goal of the plan with its latest outcome."""
    number, goal, outcome, comment = letter.table(
        [_("Nr"), _("Mål"), _("Resultat"), _("Kommentar")],
        [8, 36, 18, 38],
        "row in goal_results",
    )
    letter.para("{{ row.number }}", cell=number)
    letter.para("{{ t(row.goal.own_words or row.goal.professional) }}", cell=goal)
    letter.para(
        "{% if row.result %}{{ _(outcome_label(row.result.outcome)) }}"
        "{% if row.earlier %} "
        + _("(vid uppföljningen %(date)s)", date="date_long(row.earlier.date)")
        + "{% endif %}{% else %}"
        + _("Inte uppföljt")
        + "{% endif %}",
        cell=outcome,
    )
    letter.para("{{ t(row.result.comment) if row.result else '' }}", cell=comment)


def _outcome_block(letter: Letter, number: str, goal: str, result: str, earlier: str) -> None:
    """Large print: a goal and how it went as a block (issue 19), as uppfoljning/2's."""
    letter.heading(
        3,
        _("Mål") + f" {{{{ {number} }}}}: {{{{ t({goal}.own_words or {goal}.professional) }}}}",
    )
    letter.para(
        Bold(_("Resultat") + ":"),
        f" {{% if {result} %}}{{{{ _(outcome_label({result}.outcome)) }}}}"
        f"{{% if {earlier} %}} "
        + _("(vid uppföljningen %(date)s)", date=f"date_long({earlier}.date)")
        + "{% endif %}{% else %}"
        + _("Inte uppföljt")
        + "{% endif %}",
    )
    with letter.when(f"{result} and {result}.comment"):
        letter.para(Bold(_("Kommentar") + ":"), f" {{{{ t({result}.comment) }}}}")


def _continued_2(letter: Letter) -> None:
    """R-W3: the closure worded by its reason, said once."""
    letter.heading(2, _("Fortsatt behov av samordning"))
    with letter.when("follow_up.continued_need"):
        letter.para(
            _("Det finns fortsatt behov av samordnade insatser. Planen fortsätter att gälla.")
        )
        with letter.when("case.plan"):
            parts.overall_responsible(letter, "case.plan")
        letter.otherwise("case.closure")
        letter.para(Bold("{{ closure_statement }}"))
        letter.fact(_("Planen avslutas"), "{{ date_long(case.closure.date) }}")
        letter.otherwise()
        letter.para(Bold(_("Planen avslutas med den här uppföljningen.")))
