"""Kallelse to a principal, inbjudan to everyone else (R-K1 to R-K11): kallelse.html in Word."""

from __future__ import annotations

from collections.abc import Callable

from tools.docxbuild import Bold, Letter, _, either, parts

Block = Callable[[Letter], None]


def build(
    letter: Letter, unknown_individual: Block | None = None, extra: Block | None = None
) -> None:
    """The kallelse; a layer's version may replace the R-K10 section and add one before the end."""
    letter.heading(1, "{{ doc.title }}")
    introduction(letter)
    parts.concerns(letter, _("Mötet gäller"))
    when_where(letter)
    question(letter)
    letter.heading(2, _("Inbjudna till mötet"))
    parts.recipients_list(letter, "everyone")
    other_information(letter)
    with letter.when("not disclosure.archive"):  # the sender's own copy: nothing to answer
        reply(letter)
        (unknown_individual or _unknown_individual)(letter)
    with letter.when("recipient.role in ('individual', 'guardian', 'representative')"):
        letter.heading(2, _("Det kostar ingenting"))
        free = "Det kostar ingenting att ha en samordnad individuell plan."
        letter.para(
            either(
                "recipient.address_form == 'du'",
                f"{free} Du kan när som helst ändra dig om ditt samtycke.",
                f"{free} Ni kan när som helst ändra er om ert samtycke.",
            )
        )
    if extra:
        extra(letter)
    parts.contact(
        letter,
        _("Den som kallar"),
        "contact_card(case.meeting.convener.party, case.meeting.convener)",
    )


def _unknown_individual(letter: Letter) -> None:
    """R-K10: what a principal does when the individual is not known to it."""
    with letter.when("recipient.is_principal"):
        letter.heading(2, _("Om den enskilde inte är känd hos er"))
        letter.para(
            _(
                "Är den enskilde inte känd hos er verksamhet avgör huvudmannen vem som ska delta. "
                "Är ni inte rätt verksamhet ska ni hitta rätt verksamhet och meddela den som kallar "
                "vem som kommer. Hittar ni ingen som kan delta deltar ni själva. Saknas en pågående "
                "vårdkontakt kallas vårdcentralen."
            )
        )


def introduction(letter: Letter) -> None:
    name = {"name": "case.individual.name"}
    with letter.when("recipient.role == 'individual'"):
        letter.para(
            _(
                "Välkommen till ett möte om din samordnade individuella plan (SIP). På mötet gör "
                "vi tillsammans en plan för det stöd du får. Det är din plan: det som är viktigt "
                "för dig kommer först."
            ),
            style="Ingress",
        )
        letter.otherwise("recipient.address_form == 'ni'")
        letter.para(
            _(
                "Välkomna till ett möte om en samordnad individuell plan (SIP) för ert barn "
                "%(name)s. På mötet gör vi tillsammans en plan för det stöd barnet och familjen får.",
                **name,
            ),
            style="Ingress",
        )
        letter.otherwise("recipient.role == 'representative'")
        letter.para(
            _(
                "Du är inbjuden som företrädare för %(name)s till ett möte om en samordnad "
                "individuell plan (SIP).",
                **name,
            ),
            style="Ingress",
        )
        letter.otherwise("recipient.role == 'relative'")
        letter.para(
            _(
                "%(name)s vill att du är med på ett möte om en samordnad individuell plan (SIP).",
                **name,
            ),
            style="Ingress",
        )
        letter.otherwise("recipient.is_principal")
        letter.para(
            _(
                "Ni kallas till ett möte om en samordnad individuell plan (SIP) enligt 2 kap. 7 § "
                "socialtjänstlagen och 16 kap. 4 § hälso- och sjukvårdslagen. Den enskilde har "
                "samtyckt till att ni deltar."
            ),
            style="Ingress",
        )
        letter.otherwise()
        letter.para(
            _(
                "Ni bjuds in till ett möte om en samordnad individuell plan (SIP). Den enskilde "
                "har samtyckt till att ni deltar."
            ),
            style="Ingress",
        )
    with letter.when("case.case.context == 'discharge'"):
        letter.para(
            Bold(
                _(
                    "Mötet hålls inför utskrivning från slutenvård, enligt lagen (2017:612) om "
                    "samverkan vid utskrivning från sluten hälso- och sjukvård."
                )
            )
        )


def when_where(letter: Letter) -> None:
    letter.heading(2, _("Tid och plats"))
    letter.fact(
        _("Tid"),
        "{{ meeting_time(case.meeting.start) }}–"
        "{{ clock(minutes_later(case.meeting.start, case.meeting.duration_minutes)) }}",
    )
    letter.fact(
        _("Mötets längd"), _("%(minutes)s minuter", minutes="case.meeting.duration_minutes")
    )
    with letter.when("case.meeting.location"):
        letter.fact(_("Plats"), "{{ case.meeting.location }}")
    with letter.when("case.meeting.digital_link"):
        letter.fact(_("Digitalt möte"), "{{ case.meeting.digital_link }}")
    with letter.when("case.individual.interpreter"):
        letter.fact(_("Tolk"), "{{ _(language_name(case.individual.interpreter)) }}")


def question(letter: Letter) -> None:
    with letter.when("case.meeting.question"):
        letter.heading(2, _("Frågeställning"))
        letter.para("{{ t(case.meeting.question) }}")
    with letter.when("case.meeting.agenda"):
        letter.heading(2, _("Dagordning"))
        letter.bullets("item in case.meeting.agenda", "{{ t(item) }}", numbered=True)


def other_information(letter: Letter) -> None:
    with letter.when("case.meeting.other_information or case.meeting.digital_link"):
        letter.heading(2, _("Övrig information"))
        with letter.when("case.meeting.other_information"):
            letter.para("{{ t(case.meeting.other_information) }}")
        with letter.when("case.meeting.digital_link"):
            letter.para(
                either(
                    "recipient.address_form != 'formal'",
                    "Mötet hålls digitalt. Öppna länken i en webbläsare en stund innan mötet "
                    "börjar. Hör av dig till kontaktpersonen om du behöver hjälp eller digitala "
                    "hjälpmedel.",
                    "Mötet hålls digitalt. Kontakta den som kallar om ni behöver hjälp att ansluta "
                    "eller digitala hjälpmedel.",
                )
            )


def reply(letter: Letter) -> None:
    letter.heading(2, either("recipient.is_principal", "Svara på kallelsen", "Svara på inbjudan"))
    date = {"date": "date_long(case.meeting.reply_by)"}
    with letter.when("recipient.role == 'party'"):
        letter.para(
            "{% if case.meeting.reply_by %}"
            + _("Meddela senast %(date)s vem från er verksamhet som kommer till mötet.", **date)
            + "{% else %}"
            + _("Meddela så snart som möjligt vem från er verksamhet som kommer till mötet.")
            + "{% endif %} "
            + _("Om den som skulle delta får förhinder ska ni utse en ersättare.")
        )
        letter.otherwise("recipient.address_form == 'ni'")
        letter.para(
            "{% if case.meeting.reply_by %}"
            + _(
                "Hör av er senast %(date)s om ni inte kan komma, eller om ni vill ha med er någon.",
                **date,
            )
            + "{% else %}"
            + _("Hör av er om ni inte kan komma, eller om ni vill ha med er någon.")
            + "{% endif %}"
        )
        letter.otherwise()
        letter.para(
            "{% if case.meeting.reply_by %}"
            + _(
                "Hör av dig senast %(date)s om du inte kan komma, eller om du vill ha med dig "
                "någon.",
                **date,
            )
            + "{% else %}"
            + _("Hör av dig om du inte kan komma, eller om du vill ha med dig någon.")
            + "{% endif %}"
        )
