"""The plan itself (R-P1 to R-P18): plan.html in Word."""

from __future__ import annotations

from tools.docxbuild import Bold, Letter, _, parts


def build(letter: Letter) -> None:
    letter.heading(1, _("Samordnad individuell plan (SIP)"))
    introduction(letter)
    with letter.when("disclosure.extract"):  # an other actor's extract says so (R-S5)
        letter.para(
            _(
                "Det här är ett utdrag ur planen med det som gäller er verksamhet: era insatser, "
                "målen de hör till, vem som är huvudansvarig och uppföljningen."
            )
        )
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
        number, own, professional, evaluation = letter.table(
            [
                _("Nr"),
                _("Målet med mina ord"),
                _("Målet så att det kan utvärderas"),
                _("Så följer vi upp målet"),
            ],
            [6, 27, 33, 34],
            "goal in case.plan.goals",
        )
        letter.para("{{ goal_number[goal.id] }}", cell=number)
        letter.para("{{ t(goal.own_words) }}", cell=own)
        letter.para("{{ t(goal.professional) }}", cell=professional)
        letter.para("{{ t(goal.evaluation) }}", cell=evaluation)


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
