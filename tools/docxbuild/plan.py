"""The plan itself (R-P1 to R-P18): plan.html in Word."""

from __future__ import annotations

from tools.docxbuild import Bold, Letter, _, either, gettext_call, parts


def build(letter: Letter, version: int = 1) -> None:
    if version >= 2:
        _build_2(letter)
        return
    letter.heading(1, _("Samordnad individuell plan (SIP)"))
    introduction(letter)
    _extract(letter)
    parts.concerns(
        letter, _("Planen gäller"), ((_("Planen upprättades"), "{{ date_long(case.plan.date) }}"),)
    )
    meeting(letter)
    with letter.when("not disclosure.extract"):
        own_words(letter)
    needs_and_goals(letter)
    letter.heading(2, _("Insatser: vem gör vad"))
    parts.interventions(letter, "case.plan.interventions")
    with letter.when("case.plan.own_actions"):
        letter.heading(2, _("Det här gör jag själv"))
        letter.bullets("action in case.plan.own_actions", "{{ t(action) }}")
    follow_up(letter)
    consent(letter)
    letter.heading(
        2, "{{ _('Ditt exemplar') if recipient.role == 'individual' else _('Exemplar') }}"
    )
    letter.para(
        _(
            "Den enskilde får ett eget exemplar av planen. Information ges även i annan form vid "
            "behov, till exempel lättläst, med stor stil eller på ett annat språk."
        )
    )


def _extract(letter: Letter) -> None:
    """An other actor's extract says so (R-S5)."""
    with letter.when("disclosure.extract"):
        letter.para(
            _(
                "Det här är ett utdrag ur planen med det som gäller er verksamhet: era insatser, "
                "målen de hör till, vem som är huvudansvarig och uppföljningen."
            )
        )


def introduction(letter: Letter) -> None:
    with letter.when("recipient.address_form == 'du' and recipient.role == 'individual'"):
        letter.para(
            _(
                "Här är din samordnade individuella plan. Den beskriver vad som är viktigt för "
                "dig, vilka mål du har och vem som gör vad."
            ),
            style="Ingress",
        )
        letter.otherwise("recipient.address_form == 'ni'")
        letter.para(
            _(
                "Här är ert barns samordnade individuella plan. Den beskriver vad som är viktigt "
                "för barnet, vilka mål som gäller och vem som gör vad."
            ),
            style="Ingress",
        )
        letter.otherwise()
        letter.para(
            _(
                "Här är den samordnade individuella planen. Ert exemplar skickas till er som "
                "deltar i planen."
            ),
            style="Ingress",
        )
    with letter.when("case.case.context == 'discharge'"):
        letter.para(
            Bold(
                _(
                    "Planen är upprättad inför utskrivning från slutenvård, enligt lagen (2017:612) "
                    "om samverkan vid utskrivning från sluten hälso- och sjukvård."
                )
            )
        )


def meeting(letter: Letter) -> None:
    letter.heading(2, _("Mötet"))
    with letter.when("case.plan.overall_responsible"):
        letter.fact(
            _("Huvudansvarig för planen"), "{{ party(case.plan.overall_responsible).name }}"
        )
    with letter.when("case.plan.chair"):
        letter.fact(
            _("Mötesledare"),
            "{{ case.plan.chair.name }}, {{ party(case.plan.chair.party).name }}",
        )
    with letter.when("case.plan.secretary"):
        letter.fact(
            _("Sekreterare"),
            "{{ case.plan.secretary.name }}, {{ party(case.plan.secretary.party).name }}",
        )
    with letter.when("case.plan.individual_participated is not none"):
        letter.fact(
            _("Den enskilde deltog"),
            "{{ _('Ja') if case.plan.individual_participated else _('Nej') }}",
        )
    with letter.when("case.plan.participants"):
        letter.heading(3, _("Deltagare"))
        parts.participants(letter, "case.plan.participants", "case.plan.individual_participated")


def own_words(letter: Letter) -> None:
    letter.heading(2, _("Det här är viktigt för mig"))
    with letter.when("case.plan.what_matters"):
        letter.para("{{ t(case.plan.what_matters) }}", style="Egna ord")
    with letter.when("case.plan.strengths"):
        letter.heading(3, _("Styrkor och resurser"))
        letter.para("{{ t(case.plan.strengths) }}")


def needs_and_goals(letter: Letter) -> None:
    with letter.when("case.plan.needs"):
        letter.heading(2, _("Behov"))
        letter.bullets("need in case.plan.needs", "{{ t(need.description) }}")
    with letter.when("case.plan.goals"):
        letter.heading(2, _("Mål"))
        goals_table(letter, _("Målet med mina ord"), "case.plan.goals")


def follow_up(letter: Letter) -> None:
    letter.heading(2, _("Uppföljning"))
    with letter.when("case.plan.follow_up"):
        letter.fact(_("Datum"), "{{ date_long(case.plan.follow_up.date) }}")
        letter.fact(_("Ansvarig"), "{{ party(case.plan.follow_up.responsible).name }}")
        with letter.when("case.plan.follow_up.form"):
            letter.fact(_("Hur"), "{{ t(case.plan.follow_up.form) }}")


def consent(letter: Letter) -> None:
    with letter.when("case.consent"):
        letter.heading(2, _("Samtycke"))
        letter.para(
            _(
                "Samtycket gavs %(form)s av %(giver)s den %(date)s och gäller till och med "
                "%(until)s. Det kan när som helst återkallas.",
                form="_(consent_form(case.consent.form))",
                giver="_(consent_giver(case.consent.given_by))",
                date="date_long(case.consent.date)",
                until="date_long(case.consent.valid_until)",
            )
        )


# --- Version 2 --------------------------------------------------------------------------


def _build_2(letter: Letter) -> None:
    """plan/2/plan.html in Word: each copy speaking to its reader (R-W1, R-W8)."""
    letter.heading(1, _("Samordnad individuell plan (SIP)"))
    with letter.scope(
        "plan = case.plan, own = recipient.role == 'individual', name = case.individual.name"
    ):
        _introduction_2(letter)
        _extract(letter)
        parts.concerns(
            letter, _("Planen gäller"), ((_("Planen upprättades"), "{{ date_long(plan.date) }}"),)
        )
        _meeting_2(letter)
        with letter.when("not disclosure.extract"):
            letter.heading(
                2,
                either_name("own", "Det här är viktigt för mig", "Det här är viktigt för %(name)s"),
            )
            with letter.when("plan.what_matters"):
                letter.para("{{ t(plan.what_matters) }}", style="Egna ord")
            with letter.when("plan.strengths"):
                letter.heading(3, _("Styrkor och resurser"))
                letter.para("{{ t(plan.strengths) }}")
        _needs_and_goals_2(letter)
        letter.heading(2, _("Insatser: vem gör vad"))
        parts.interventions_2(letter, "plan.interventions")
        with letter.when("plan.own_actions"):
            letter.heading(
                2, either_name("own", "Det här gör jag själv", "Det här gör %(name)s själv")
            )
            letter.bullets("action in plan.own_actions", "{{ t(action) }}")
        follow_up(letter)
        _consent_2(letter)
        with letter.when("not disclosure.extract"):
            letter.heading(2, _("Planen skickas till"))
            parts.recipients_list(letter, "everyone", version=2)
        _closing_2(letter)


def either_name(condition: str, msgid: str, otherwise: str) -> str:
    """`either`, where the second string names the individual (`name` in scope)."""
    return (
        f"{{{{ {gettext_call(msgid)} if {condition} else "
        f"{gettext_call(otherwise, name='name')} }}}}"
    )


def _introduction_2(letter: Letter) -> None:
    with letter.when("own"):
        letter.para(
            _(
                "Här är din samordnade individuella plan. Den beskriver vad som är viktigt för "
                "dig, vilka mål du har och vem som gör vad."
            ),
            style="Ingress",
        )
        letter.otherwise("recipient.address_form == 'ni'")
        letter.para(
            _(
                "Här är ert barns samordnade individuella plan. Den beskriver vad som är viktigt "
                "för barnet, vilka mål som gäller och vem som gör vad."
            ),
            style="Ingress",
        )
        letter.otherwise("recipient.role == 'representative'")
        letter.para(
            _(
                "Här är den samordnade individuella planen för %(name)s, som du företräder.",
                name="name",
            ),
            style="Ingress",
        )
        letter.otherwise("recipient.role == 'relative'")
        letter.para(
            _("Här är den samordnade individuella planen för %(name)s.", name="name"),
            style="Ingress",
        )
        letter.otherwise()
        letter.para(
            _(
                "Här är den samordnade individuella planen för %(name)s. Ni får den som "
                "deltagare i planen.",
                name="name",
            ),
            style="Ingress",
        )
    with letter.when("case.case.context == 'discharge'"):
        letter.para(
            Bold(
                _(
                    "Planen är upprättad inför utskrivning från slutenvård, enligt %(law)s.",
                    law="laws.utskrivningslagen.citation",
                )
            )
        )


def _meeting_2(letter: Letter) -> None:
    letter.heading(2, _("Mötet"))
    parts.overall_responsible(letter, "plan")
    with letter.when("plan.chair"):
        letter.fact(_("Mötesledare"), "{{ plan.chair.name }}, {{ party(plan.chair.party).name }}")
    with letter.when("plan.secretary"):
        letter.fact(
            _("Sekreterare"), "{{ plan.secretary.name }}, {{ party(plan.secretary.party).name }}"
        )
    with letter.when("plan.individual_participated is not none"):
        letter.fact(
            either_name("own", "Du var med på mötet", "%(name)s var med på mötet"),
            "{{ _('Ja') if plan.individual_participated else _('Nej') }}",
        )
    with letter.when("plan.participants"):
        letter.heading(3, _("Deltagare"))
        parts.participants(letter, "plan.participants", "plan.individual_participated", 2)


def _needs_and_goals_2(letter: Letter) -> None:
    with letter.when("plan.needs"):
        letter.heading(2, _("Behov"))
        letter.bullets("need in plan.needs", "{{ t(need.description) }}")
    with letter.when("plan.goals"):
        letter.heading(2, _("Mål"))
        with letter.when("large_print"):  # a block per goal (issue 19)
            with letter.each("goal in plan.goals"):
                letter.heading(3, _("Mål") + " {{ goal_number[goal.id] }}")
                parts.line(
                    letter,
                    either_name("own", "Målet med mina ord", "Målet så som %(name)s säger det"),
                    "{{ t(goal.own_words) }}",
                )
                parts.line(
                    letter, _("Målet så att det kan utvärderas"), "{{ t(goal.professional) }}"
                )
                letter.para(Bold(_("Så följer vi upp målet") + ":"), " {{ t(goal.evaluation) }}")
            letter.otherwise()
            goals_table(
                letter,
                either_name("own", "Målet med mina ord", "Målet så som %(name)s säger det"),
                "plan.goals",
            )


def goals_table(letter: Letter, own_words: str, goals: str) -> None:
    """The goals as a table: number, the individual's words (headed `own_words`), the goal
    so that it can be evaluated, and how it is followed up."""
    number, own, professional, evaluation = letter.table(
        [_("Nr"), own_words, _("Målet så att det kan utvärderas"), _("Så följer vi upp målet")],
        [6, 27, 33, 34],
        f"goal in {goals}",
    )
    letter.para("{{ goal_number[goal.id] }}", cell=number)
    letter.para("{{ t(goal.own_words) }}", cell=own)
    letter.para("{{ t(goal.professional) }}", cell=professional)
    letter.para("{{ t(goal.evaluation) }}", cell=evaluation)


def _consent_2(letter: Letter) -> None:
    with letter.when("case.consent"):
        letter.heading(2, _("Samtycke"))
        letter.para(
            _(
                "Samtycket gavs %(form)s av %(who)s den %(date)s och gäller till och med "
                "%(until)s.",
                form="_(consent_form(case.consent.form))",
                who="consented.who",
                date="date_long(case.consent.date)",
                until="date_long(case.consent.valid_until)",
            )
            + " {% if consented.reader_consented %}"
            + either(
                "recipient.address_form == 'ni'",
                "Ni kan när som helst återkalla det.",
                "Du kan när som helst återkalla det.",
            )
            + "{% else %}"
            + _("Det kan när som helst återkallas.")
            + "{% endif %}"
        )


def _closing_2(letter: Letter) -> None:
    letter.heading(2, either("own", "Ditt exemplar", "Exemplar"))
    with letter.when("own"):
        letter.para(
            _(
                "Du får ett eget exemplar av planen. Du kan också få den lättläst, med stor stil "
                "eller på ett annat språk."
            )
        )
        letter.otherwise("recipient.address_form == 'ni'")
        letter.para(
            _(
                "Ni och %(name)s får egna exemplar av planen. Ni kan också få den lättläst, med "
                "stor stil eller på ett annat språk.",
                name="name",
            )
        )
        letter.otherwise()
        letter.para(
            _(
                "%(name)s får ett eget exemplar av planen. Information ges även i annan form vid "
                "behov, till exempel lättläst, med stor stil eller på ett annat språk.",
                name="name",
            )
        )
