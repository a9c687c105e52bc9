"""Pieces several documents share, as in templates/default/common/parts.html."""

from __future__ import annotations

from tools.docxbuild import Bold, Letter, _, gettext_call


def concerns(letter: Letter, heading: str, more: tuple[tuple[str, str], ...] = ()) -> None:
    """Whom the document is about: name, identity number, address, representative, guardians."""
    letter.heading(2, heading)
    letter.fact(_("Namn"), "{{ case.individual.name }}")
    with letter.when("disclosure.identity"):
        letter.fact(
            "{{ _('Personnummer') if case.individual.personal_id.kind == 'personnummer' else "
            "(_('Samordningsnummer') if case.individual.personal_id.kind == 'samordningsnummer' "
            "else _('Reservnummer')) }}",
            "{{ case.individual.personal_id }}",
        )
        with letter.when("case.individual.address"):
            letter.fact(
                _("Adress"),
                "{{ case.individual.address.one_line }}",
            )
    with letter.when("case.individual.representative"):
        letter.fact(
            _("Företrädare"),
            "{{ case.individual.representative.name }}, "
            "{{ _(representative_role(case.individual.representative.role)) }}",
        )
    with letter.when("case.individual.guardians"):
        letter.fact(
            _("Vårdnadshavare"),
            "{% for g in case.individual.guardians %}{{ g.name }}"
            "{% if not loop.last %}, {% endif %}{% endfor %}",
        )
    for label, value in more:
        letter.fact(label, value)


# The individual in a list, version 2: by name, and "(du)" in their own copy (R-W8).
INDIVIDUAL_2 = (
    "{{ case.individual.name }}{% if recipient.role == 'individual' %} (" + _("du") + "){% endif %}"
)


def participants(letter: Letter, people: str, took_part: str, version: int = 1) -> None:
    """Who took part: party people, relatives, guardians, and the individual if present;
    from version 2 the individual by name and whether guardians took part.
    """
    with letter.each(f"p in {people}"):
        letter.para(
            "{% if p.party %}{{ p.name }}, {{ party(p.party).name }}"
            "{% elif p.relative %}{{ p.relative }} (" + _("närstående") + ")"
            "{% else %}{{ p.guardian }} (" + _("vårdnadshavare") + "){% endif %}",
            style="List Bullet",
        )
    if version < 2:
        with letter.when(took_part):
            letter.para(
                "{{ case.individual.name }} (" + _("den enskilde") + ")", style="List Bullet"
            )
        return
    with letter.when(took_part):
        letter.para(INDIVIDUAL_2, style="List Bullet")
    with (
        letter.when("case.individual.guardians"),
        letter.scope(
            f"present = {people} | selectattr('guardian') | map(attribute='guardian') | list"
        ),
    ):
        letter.para(
            "{{ "
            + gettext_call("Vårdnadshavare som deltog: %(names)s.", names="and_join(present)")
            + " if present else "
            + gettext_call("Ingen vårdnadshavare deltog.")
            + " }}"
        )


def greeting(letter: Letter, card: str) -> None:
    """A closing greeting from the sender, on a letter to a private person (version 2)."""
    with letter.when(f"{card} and recipient.role != 'party'"):
        letter.para(_("Med vänliga hälsningar"))
        letter.para(
            f"{{% if {card}.name %}}{{{{ {card}.name }}}}{{% if {card}.title %}}, "
            f"{{{{ {card}.title }}}}{{% endif %}}, {{% endif %}}{{{{ {card}.organisation }}}}"
        )


def interventions(letter: Letter, items: str) -> None:
    """The interventions grouped by principal, one table each (R-P2 to R-P4)."""
    with letter.each(f"group in principal_groups({items})"):
        letter.heading(3, "{{ _(group.heading) }}")
        what, goal, who, status, start = letter.table(
            [_("Insats"), _("Mål"), _("Ansvarig"), _("Status"), _("Start")],
            [38, 7, 27, 14, 14],
            "row in group.rows",
        )
        letter.para("{{ t(row.intervention.what) }}", cell=what)
        with letter.when("row.intervention.awaiting", cell=what):
            letter.para(
                Bold(_("I väntan på beslut:")),
                " {{ t(row.intervention.awaiting.meanwhile) }}",
                style="Liten",
                cell=what,
            )
            for field, msgid in (
                ("decision_expected", "Beslut väntas %(date)s."),
                ("feedback_by", "Återkoppling senast %(date)s."),
            ):
                date = f"row.intervention.awaiting.{field}"
                with letter.when(date, cell=what):
                    letter.para(_(msgid, date=f"date_long({date})"), style="Liten", cell=what)
        letter.para("{{ row.goal_index or '–' }}", cell=goal)
        letter.para("{{ row.party.name }}", cell=who)
        with letter.when("row.party.contact and row.party.contact.name", cell=who):
            letter.para(
                "{{ row.party.contact.name }}{% if row.party.contact.phone %}, "
                "{{ row.party.contact.phone }}{% endif %}",
                style="Liten",
                cell=who,
            )
        letter.para("{{ _(status_label(row.intervention.status)) }}", cell=status)
        letter.para(
            "{{ date_short(row.intervention.start) if row.intervention.start else '–' }}",
            cell=start,
        )


def line(letter: Letter, label: str, value: str) -> None:
    """One line of a block: the label in bold, then its value, kept with the next line."""
    letter.para(Bold(label + ":"), " " + value).paragraph_format.keep_with_next = True


def block_heading(letter: Letter, text: str) -> None:
    """A block's heading inside a section: bold, kept with the block."""
    letter.para(Bold(text)).paragraph_format.keep_with_next = True


def interventions_2(letter: Letter, items: str) -> None:
    """Version 2: `interventions`, and in large print a block per intervention under the
    heading of the goal it serves (issue 19), as in common/2/parts.html.
    """
    with letter.when("large_print"):
        with letter.each(f"group in principal_groups({items})"):
            letter.heading(3, "{{ _(group.heading) }}")
            with letter.each("row in group.rows"):
                with (
                    letter.when("loop.first or loop.previtem.goal_index != row.goal_index"),
                    letter.scope(
                        "goal = (case.plan.goals if case.plan else ()) "
                        "| selectattr('id', 'equalto', row.intervention.goal) | first"
                    ),
                ):
                    block_heading(
                        letter,
                        "{% if goal %}" + _("Mål") + " {{ row.goal_index }}: "
                        "{{ t(goal.own_words or goal.professional) }}{% else %}"
                        + _("Insats")
                        + "{% endif %}",
                    )
                line(
                    letter,
                    _("Ansvarig"),
                    "{{ row.party.name }}{% if row.party.contact and row.party.contact.name %}, "
                    "{{ row.party.contact.name }}{% if row.party.contact.phone %}, "
                    "{{ row.party.contact.phone }}{% endif %}{% endif %}",
                )
                line(letter, _("Insats"), "{{ t(row.intervention.what) }}")
                with letter.when("row.intervention.awaiting"):
                    letter.para(
                        Bold(_("I väntan på beslut:")),
                        " {{ t(row.intervention.awaiting.meanwhile) }}",
                    )
                    for field, msgid in (
                        ("decision_expected", "Beslut väntas %(date)s."),
                        ("feedback_by", "Återkoppling senast %(date)s."),
                    ):
                        date = f"row.intervention.awaiting.{field}"
                        with letter.when(date):
                            letter.para(_(msgid, date=f"date_long({date})"))
                line(
                    letter,
                    _("Start"),
                    "{{ date_short(row.intervention.start) if row.intervention.start else '–' }}",
                )
                letter.para(
                    Bold(_("Status") + ":"), " {{ _(status_label(row.intervention.status)) }}"
                )
        letter.otherwise()
        interventions(letter, items)


def contact(letter: Letter, heading: str, card: str) -> None:
    """Who to contact (`card`, an expression for a ContactCard): person, organisation, phone."""
    with letter.scope(f"card = {card}"), letter.when("card"):
        letter.heading(2, heading)
        with letter.when("card.name"):
            letter.fact(
                _("Kontaktperson"),
                "{{ card.name }}{% if card.title %}, {{ card.title }}{% endif %}",
            )
        letter.fact(
            _("Verksamhet"),
            "{{ card.organisation }}{% if card.unit %}, {{ card.unit }}{% endif %}",
        )
        with letter.when("card.phone"):
            letter.fact(_("Telefon"), "{{ card.phone }}")
        with letter.when("card.email"):
            letter.fact(_("E-post"), "{{ card.email }}")


def recipients_list(letter: Letter, people: str, version: int = 1) -> None:
    """Everyone who gets the document, with their role; from version 2 the individual by name."""
    individual = (
        "{% elif r.role == 'individual' %}{% if recipient.role == 'individual' %} (" + _("du") + ")"
        "{% endif %}"
        if version >= 2
        else "{% elif r.role == 'individual' %} (" + _("den enskilde") + ")"
    )
    with letter.each(f"r in {people}"):
        letter.para(
            "{{ r.name }}{% if r.role == 'party' %}{% if r.attention %} ({{ r.attention }}){% endif %}"
            + individual
            + "{% elif r.role == 'guardian' %} ("
            + _("vårdnadshavare")
            + ")"
            "{% elif r.role == 'representative' %} (" + _("företrädare") + ")"
            "{% else %} (" + _("närstående") + "){% endif %}",
            style="List Bullet",
        )


def overall_responsible(letter: Letter, plan: str) -> None:
    """The party with the overall responsibility for the plan and its named lead person."""
    with (
        letter.when(f"{plan}.overall_responsible"),
        letter.scope(f"lead = contact_card({plan}.overall_responsible)"),
    ):
        letter.fact(
            _("Huvudansvarig för planen"),
            "{{ lead.organisation }}{% if lead.name %}, "
            + _("Kontaktperson: %(name)s", name="lead.name")
            + "{% if lead.phone %}, {{ lead.phone }}{% endif %}{% endif %}",
        )
