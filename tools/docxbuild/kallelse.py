"""Kallelse to a principal, inbjudan to everyone else (R-K1 to R-K11): kallelse.html in Word."""

from __future__ import annotations

from collections.abc import Callable

from tools.docxbuild import Bold, Letter, _, either, gettext_call, parts

Block = Callable[[Letter], None]


def build(
    letter: Letter,
    unknown_individual: Block | None = None,
    extra: Block | None = None,
    version: int = 1,
) -> None:
    """The kallelse; a layer's version may replace the R-K10 section and add one before the end.
    Version 2 words what happened (R-W1 to R-W8) and cites the manifest's laws (R-W9).
    """
    if version >= 2:
        _build_2(letter, unknown_individual, extra)
        return
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


# --- Version 2 --------------------------------------------------------------------------


def _build_2(letter: Letter, unknown_individual: Block | None, extra: Block | None) -> None:
    """kallelse/2/kallelse.html in Word."""
    letter.heading(1, "{{ doc.title }}")
    with letter.scope(
        "meeting = case.meeting, follow_up_meeting = case.meeting.kind == 'follow_up', "
        "name = case.individual.name"
    ):
        _introduction_2(letter)
        parts.concerns(letter, _("Mötet gäller"))
        _when_where_2(letter)
        question(letter)
        _prepare(letter)
        letter.heading(2, _("Inbjudna till mötet"))
        parts.recipients_list(letter, "everyone", version=2)
        _other_information_2(letter)
        with letter.when("not disclosure.archive"):  # the sender's own copy: nothing to answer
            _reply_2(letter)
            (unknown_individual or _unknown_individual_2)(letter)
        _fees(letter)
        if extra:
            extra(letter)
        with letter.scope("card = contact_card(meeting.convener.party, meeting.convener)"):
            parts.contact(letter, _("Den som kallar"), "card")
            parts.greeting(letter, "card")


def _choose(*pairs: tuple[str, str], otherwise: str) -> str:
    """One expression choosing a translatable string: `_('a') if c1 else (_('b') if c2 else ...)`."""
    expression = gettext_call(otherwise)
    for condition, msgid in reversed(pairs):
        expression = f"{gettext_call(msgid)} if {condition} else ({expression})"
    return "{{ " + expression + " }}"


_NAME = {"name": "name"}
_LAWS = {
    "name": "name",
    "sol": "laws.socialtjanstlagen.citation",
    "hsl": "laws.halso_och_sjukvardslagen.citation",
}


def _introduction_2(letter: Letter) -> None:
    def lead(new: str, follow: str, **params: str) -> None:
        letter.para(
            "{{ "
            + gettext_call(follow, **params)
            + " if follow_up_meeting else "
            + gettext_call(new, **params)
            + " }}",
            style="Ingress",
        )

    with letter.when("recipient.role == 'individual'"):
        lead(
            "Välkommen till ett möte om din samordnade individuella plan (SIP). På mötet gör vi "
            "tillsammans en plan för det stöd du får. Det är din plan: det som är viktigt för dig "
            "kommer först.",
            "Välkommen till ett möte där vi följer upp din samordnade individuella plan (SIP). Vi "
            "går igenom hur det har gått med dina mål och om något behöver ändras.",
        )
        letter.otherwise("recipient.address_form == 'ni'")
        lead(
            "Välkomna till ett möte om en samordnad individuell plan (SIP) för ert barn %(name)s. "
            "På mötet gör vi tillsammans en plan för det stöd barnet och familjen får.",
            "Välkomna till ett möte där vi följer upp den samordnade individuella planen (SIP) för "
            "ert barn %(name)s.",
            **_NAME,
        )
        letter.otherwise("recipient.role == 'representative'")
        lead(
            "Du är inbjuden som företrädare för %(name)s till ett möte om en samordnad individuell "
            "plan (SIP).",
            "Du är inbjuden som företrädare för %(name)s till ett möte där den samordnade "
            "individuella planen (SIP) följs upp.",
            **_NAME,
        )
        letter.otherwise("recipient.role == 'relative'")
        lead(
            "%(name)s vill att du är med på ett möte om en samordnad individuell plan (SIP).",
            "%(name)s vill att du är med på ett möte där den samordnade individuella planen (SIP) "
            "för %(name)s följs upp.",
            **_NAME,
        )
        letter.otherwise("recipient.is_principal")
        lead(
            "Ni kallas till ett möte om en samordnad individuell plan (SIP) för %(name)s, enligt "
            "%(sol)s och %(hsl)s.",
            "Ni kallas till ett möte där den samordnade individuella planen (SIP) för %(name)s "
            "följs upp, enligt %(sol)s och %(hsl)s.",
            **_LAWS,
        )
        letter.otherwise()
        lead(
            "Ni bjuds in till ett möte om en samordnad individuell plan (SIP) för %(name)s.",
            "Ni bjuds in till ett möte där den samordnade individuella planen (SIP) för %(name)s "
            "följs upp.",
            **_NAME,
        )
    with letter.when("recipient.role == 'party' and consented"):
        letter.para(_("Samtycke till att ni deltar har lämnats av %(who)s.", who="consented.who"))
    with letter.when("case.case.context == 'discharge'"):
        letter.para(
            Bold(
                _(
                    "Mötet hålls inför utskrivning från slutenvård, enligt %(law)s.",
                    law="laws.utskrivningslagen.citation",
                )
            )
        )


def _when_where_2(letter: Letter) -> None:
    letter.heading(2, _("Tid och plats"))
    letter.fact(
        _("Tid"),
        "{{ meeting_time(meeting.start) }}–"
        "{{ clock(minutes_later(meeting.start, meeting.duration_minutes)) }}",
    )
    letter.fact(_("Mötets längd"), _("%(minutes)s minuter", minutes="meeting.duration_minutes"))
    letter.fact(
        _("Mötesform"),
        "{{ {'on_site': _('På plats'), 'digital': _('Digitalt'), "
        "'hybrid': _('På plats och digitalt')}[meeting_form] }}",
    )
    with letter.when("venue"):
        letter.fact(
            _("Plats"),
            "{{ t(venue.name) }}{% if meeting.location %}, {{ meeting.location }}{% endif %}"
            "{% if venue.address %}, {{ venue.address.one_line }}{% endif %}",
        )
        letter.otherwise("meeting.location")
        letter.fact(_("Plats"), "{{ meeting.location }}")
    with letter.when("meeting.digital_link"):
        letter.fact(_("Länk till mötet"), "{{ meeting.digital_link }}")
    with letter.when("venue and venue.facts"):
        letter.fact(
            _("Lokalen"),
            "{% for fact in venue.facts %}{{ t(fact) }}{% if not loop.last %} {% endif %}"
            "{% endfor %}",
        )
    with letter.when("case.individual.interpreter"):
        letter.fact(
            _("Tolk"),
            "{% with language = _(language_name(case.individual.interpreter)) %}"
            "{{ "
            + gettext_call("%(language)s, bokad till dig", language="language")
            + " if recipient.role == 'individual' else "
            + gettext_call("%(language)s, bokad till %(name)s", language="language", name="name")
            + " }}{% endwith %}",
        )
    with letter.each("g in case.individual.guardians if g.interpreter"):
        letter.fact(
            _("Tolk"),
            _(
                "%(language)s, bokad till %(name)s",
                language="_(language_name(g.interpreter))",
                name="g.name",
            ),
        )


def _prepare(letter: Letter) -> None:
    """For the individual and the guardians: voluntary, and what to think about beforehand."""
    with (
        letter.when("recipient.role == 'individual' or recipient.address_form == 'ni'"),
        letter.scope("own = recipient.role == 'individual'"),
    ):
        letter.heading(2, _("Inför mötet"))
        letter.para(
            _("Det är frivilligt att ha en SIP.")
            + "{% if consented and consented.reader_consented %} "
            + either(
                "own",
                "Du bestämmer själv om du vill ha en plan.",
                "Ni bestämmer om ert barn ska ha en plan.",
            )
            + "{% endif %}{% if follow_up_meeting %} "
            + _("Fundera gärna på hur det har gått sedan planen gjordes.")
            + "{% endif %}"
        )
        letter.para(
            either(
                "own",
                "Det här kan du tänka på före mötet:",
                "Det här kan ni tänka på före mötet, gärna tillsammans med ert barn:",
            )
        )
        for own, theirs in (
            ("Vad är viktigt för dig?", "Vad är viktigt för ert barn och för er?"),
            ("Vad fungerar bra i dag?", "Vad fungerar bra i dag?"),
            ("Vad vill du ha hjälp med?", "Vad vill ni ha hjälp med?"),
        ):
            letter.para(either("own", own, theirs), style="List Bullet")


def _other_information_2(letter: Letter) -> None:
    with letter.when("meeting.other_information or meeting.digital_link"):
        letter.heading(2, _("Övrig information"))
        with letter.when("meeting.other_information"):
            letter.para("{{ t(meeting.other_information) }}")
        with letter.when("meeting.digital_link and meeting_form == 'hybrid'"):
            letter.para(
                _choose(
                    (
                        "recipient.address_form == 'du'",
                        "Du kan vara med på plats eller digitalt. Vill du vara med digitalt, "
                        "öppna länken i en webbläsare en stund innan mötet börjar. Hör av dig "
                        "till kontaktpersonen om du behöver hjälp.",
                    ),
                    (
                        "recipient.address_form == 'ni'",
                        "Ni kan vara med på plats eller digitalt. Vill ni vara med digitalt, "
                        "öppna länken i en webbläsare en stund innan mötet börjar. Hör av er "
                        "till kontaktpersonen om ni behöver hjälp.",
                    ),
                    otherwise="Mötet hålls på plats och digitalt. Meddela den som kallar om ni "
                    "deltar på plats eller digitalt.",
                )
            )
            letter.otherwise("meeting.digital_link")
            letter.para(
                _choose(
                    (
                        "recipient.address_form == 'du'",
                        "Mötet hålls digitalt. Öppna länken i en webbläsare en stund innan mötet "
                        "börjar. Hör av dig till kontaktpersonen om du behöver hjälp eller "
                        "digitala hjälpmedel.",
                    ),
                    (
                        "recipient.address_form == 'ni'",
                        "Mötet hålls digitalt. Öppna länken i en webbläsare en stund innan mötet "
                        "börjar. Hör av er till kontaktpersonen om ni behöver hjälp eller "
                        "digitala hjälpmedel.",
                    ),
                    otherwise="Mötet hålls digitalt. Kontakta den som kallar om ni behöver hjälp "
                    "att ansluta eller digitala hjälpmedel.",
                )
            )


def _reply_2(letter: Letter) -> None:
    letter.heading(2, either("recipient.is_principal", "Svara på kallelsen", "Svara på inbjudan"))

    def by_date(with_date: str, without: str) -> str:
        return (
            "{% if meeting.reply_by %}"
            + _(with_date, date="date_long(meeting.reply_by)")
            + "{% else %}"
            + _(without)
            + "{% endif %}"
        )

    with letter.when("recipient.role == 'party'"):
        letter.para(
            by_date(
                "Meddela senast %(date)s vem från er verksamhet som kommer till mötet.",
                "Meddela så snart som möjligt vem från er verksamhet som kommer till mötet.",
            )
            + " "
            + either(
                "recipient.is_principal",
                "Om den som skulle delta får förhinder ska ni utse en ersättare.",
                "Meddela den som kallar om ni får förhinder. Ni är välkomna att skicka någon "
                "annan från er verksamhet.",
            )
        )
        letter.otherwise("recipient.address_form == 'ni'")
        letter.para(
            by_date(
                "Hör av er senast %(date)s om ni inte kan komma.", "Hör av er om ni inte kan komma."
            )
            + " "
            + _("Ni får gärna ta med någon ni litar på.")
        )
        letter.otherwise("recipient.role == 'individual'")
        letter.para(
            by_date(
                "Hör av dig senast %(date)s om du inte kan komma.",
                "Hör av dig om du inte kan komma.",
            )
            + " "
            + _("Du får gärna ta med dig någon du litar på.")
        )
        letter.otherwise()
        letter.para(
            by_date(
                "Hör av dig senast %(date)s om du inte kan komma.",
                "Hör av dig om du inte kan komma.",
            )
        )


def _unknown_individual_2(letter: Letter) -> None:
    """R-K10, naming the individual."""
    with letter.when("recipient.is_principal"):
        letter.heading(2, _("Om %(name)s inte är känd hos er", **_NAME))
        letter.para(
            _(
                "Är %(name)s inte känd hos er verksamhet avgör huvudmannen vem som ska delta. Är "
                "ni inte rätt verksamhet ska ni hitta rätt verksamhet och meddela den som kallar "
                "vem som kommer. Hittar ni ingen som kan delta deltar ni själva. Saknas en "
                "pågående vårdkontakt kallas vårdcentralen.",
                **_NAME,
            )
        )


def _fees(letter: Letter) -> None:
    """R-W6, and R-W1: only someone who consented is told they may change their mind."""
    with letter.when("recipient.role in ('individual', 'guardian', 'representative')"):
        letter.heading(2, _("Avgifter"))
        letter.para(
            _(
                "Det kostar ingenting att ha ett SIP-möte och en samordnad individuell plan. För "
                "insatserna i planen gäller de vanliga avgifterna."
            )
        )
        with letter.when("consented and consented.reader_consented"):
            letter.para(
                either(
                    "recipient.address_form == 'ni'",
                    "Ni kan när som helst ändra er om ert samtycke.",
                    "Du kan när som helst ändra dig om ditt samtycke.",
                )
            )
