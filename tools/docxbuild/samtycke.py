"""The consent (R-C1 to R-C9), the copy to sign and one per actor: samtycke.html in Word."""

from __future__ import annotations

from tools.docxbuild import Letter, _, either, gettext_call, parts


def build(letter: Letter, version: int = 1) -> None:
    letter.heading(1, "{{ doc.title }}")
    with letter.scope("consent = case.consent, signing = recipient.role != 'party'"):
        (_introduction_2 if version >= 2 else introduction)(letter)
        parts.concerns(letter, _("Samtycket gäller"))
        given(letter)
        child(letter)
        actors(letter)
        exclusions(letter)
        meaning(letter)
        (_signatures_2 if version >= 2 else signatures)(letter)
    parts.contact(letter, _("Kontakt"), "sender_card")
    if version >= 2:
        with letter.when("recipient.role != 'party'"):
            parts.greeting(letter, "sender_card")


def introduction(letter: Letter) -> None:
    with letter.when("not signing"):
        letter.para(
            _(
                "Här är samtycket till en samordnad individuell plan (SIP). Det skickas till er så "
                "snart det har lämnats, så att ni kan samverka under hela processen, även före "
                "det första mötet."
            ),
            style="Ingress",
        )
        letter.otherwise("recipient.role == 'representative'")
        letter.para(
            _(
                "Här är samtycket till en samordnad individuell plan (SIP) för %(name)s, som du "
                "företräder. Läs igenom det, skriv under och lämna det till kontaktpersonen.",
                name="case.individual.name",
            ),
            style="Ingress",
        )
        letter.otherwise("recipient.address_form == 'ni'")
        letter.para(
            _(
                "Här är samtycket till en samordnad individuell plan (SIP) för ert barn. Läs "
                "igenom det, skriv under och lämna det till kontaktpersonen."
            ),
            style="Ingress",
        )
        letter.otherwise()
        letter.para(
            _(
                "Här är samtycket till din samordnade individuella plan (SIP). Läs igenom det, "
                "skriv under och lämna det till kontaktpersonen."
            ),
            style="Ingress",
        )


def given(letter: Letter) -> None:
    letter.heading(2, _("Samtycket"))
    letter.fact(
        _("Lämnat av"),
        "{% if consent.given_by == 'guardians' %}{{ consent.guardians_consented | join(', ') }} ("
        + _("vårdnadshavare")
        + "){% elif consent.given_by == 'representative' and case.individual.representative %}"
        "{{ case.individual.representative.name }} "
        "({{ _(representative_role(case.individual.representative.role)) }})"
        "{% else %}{{ case.individual.name }}{% endif %}",
    )
    letter.fact(_("Form"), "{{ _(consent_form(consent.form)) | capitalize }}")
    with letter.when("consent.documented_by"):
        letter.fact(_("Dokumenterat av"), "{{ party(consent.documented_by).name }}")
    letter.fact(_("Datum"), "{{ date_long(consent.date) }}")
    letter.fact(_("Gäller till och med"), "{{ date_long(consent.valid_until) }}")
    with letter.when("consent.withdrawn"):
        letter.fact(_("Återkallat"), "{{ date_long(consent.withdrawn) }}")


def child(letter: Letter) -> None:
    with letter.when("consent.child_heard"):
        letter.heading(
            2,
            either("disclosure.young_person", "Den unges egen inställning", "Barnets inställning"),
        )
        letter.para("{{ t(consent.child_heard) }}")


def actors(letter: Letter) -> None:
    letter.heading(2, _("Verksamheter som samtycket omfattar"))
    letter.para(
        _(
            "Uppgifter får lämnas mellan de här verksamheterna, och de får delta i arbetet med "
            "planen:"
        )
    )
    letter.bullets("actor in consent.actors", "{{ party(actor).name }}")


def exclusions(letter: Letter) -> None:
    letter.heading(2, _("Undantag"))
    with letter.when("disclosure.exclusions_withheld"):
        letter.para(
            "{% if disclosure.ask_first %}"
            + _(
                "Samtycket har undantag som inte står i det här exemplaret. Fråga %(party)s "
                "innan ni lämnar ut uppgifter inom planen.",
                party="disclosure.ask_first.name",
            )
            + "{% else %}"
            + _(
                "Samtycket har undantag som inte står i det här exemplaret. Fråga den som "
                "dokumenterade samtycket innan ni lämnar ut uppgifter inom planen."
            )
            + "{% endif %}"
        )
        letter.otherwise("consent.excluded_actors or consent.excluded_information")
        with letter.when("consent.excluded_actors"):
            letter.para(
                _(
                    "Samtycket omfattar inte de här verksamheterna. De bjuds inte in och får "
                    "inga uppgifter:"
                )
            )
            letter.bullets("actor in consent.excluded_actors", "{{ party(actor).name }}")
        with letter.when("consent.excluded_information"):
            letter.para(_("De här uppgifterna lämnas inte ut:"))
            letter.bullets("item in consent.excluded_information", "{{ t(item) }}")
        letter.otherwise()
        letter.para(_("Inga verksamheter eller uppgifter är undantagna."))


def meaning(letter: Letter) -> None:
    letter.heading(2, _("Det här innebär samtycket"))
    for item in (
        _(
            "Samtycket gäller bara arbetet med den samordnade individuella planen. Det är inte "
            "ett allmänt samtycke."
        ),
        _(
            "Bara de uppgifter som behövs för att planera och ge insatserna lämnas mellan "
            "verksamheterna."
        ),
        _(
            "Samtycket gäller i högst ett år, till och med %(date)s.",
            date="date_long(consent.valid_until)",
        ),
        _(
            "Samtycket kan när som helst återkallas, helt eller delvis. Säg till någon av "
            "verksamheterna."
        ),
    ):
        letter.para(item, style="List Bullet")


def signatures(letter: Letter) -> None:
    with letter.when("signing and consent.form == 'written'"):
        letter.heading(2, _("Underskrift"))
        with letter.when("consent.given_by == 'guardians'"):
            with letter.each("guardian in case.individual.guardians if guardian.custody"):
                signature(letter, "{{ guardian.name }}")
            with letter.when("disclosure.young_person"):  # R-S9
                signature(letter, "{{ case.individual.name }}")
            letter.otherwise(
                "consent.given_by == 'representative' and case.individual.representative"
            )
            signature(letter, "{{ case.individual.representative.name }}")
            letter.otherwise()
            signature(letter, "{{ case.individual.name }}")


def signature(letter: Letter, name: str) -> None:
    """The line to sign on, with "Datum och underskrift" under it, then the signer's name."""
    letter.para(
        _("Datum och underskrift"), style="Underskrift"
    ).paragraph_format.keep_with_next = True
    letter.para(name)


# --- Version 2: only written consent is signed (R-W2) ----------------------------------


def _introduction_2(letter: Letter) -> None:
    name = {"name": "case.individual.name"}
    with letter.when("not signing"):
        letter.para(
            _(
                "Här är samtycket till en samordnad individuell plan (SIP). Det skickas till er så "
                "snart det har lämnats, så att ni kan samverka under hela processen, även före "
                "det första mötet."
            ),
            style="Ingress",
        )
        letter.otherwise("consent.form != 'written'")
        letter.para(
            _(
                "Här är en bekräftelse av samtycket till en samordnad individuell plan (SIP) för "
                "%(name)s. Samtycket lämnades %(form)s, så det behöver inte skrivas under.",
                form="_(consent_form(consent.form))",
                **name,
            ),
            style="Ingress",
        )
        letter.otherwise("recipient.role == 'representative'")
        letter.para(
            _(
                "Här är samtycket till en samordnad individuell plan (SIP) för %(name)s, som du "
                "företräder. Läs igenom det, skriv under och lämna det till kontaktpersonen.",
                **name,
            ),
            style="Ingress",
        )
        letter.otherwise("recipient.address_form == 'ni'")
        letter.para(
            _(
                "Här är samtycket till en samordnad individuell plan (SIP) för ert barn %(name)s. "
                "Läs igenom det, skriv under och lämna det till kontaktpersonen.",
                **name,
            ),
            style="Ingress",
        )
        letter.otherwise()
        letter.para(
            _(
                "Här är samtycket till din samordnade individuella plan (SIP). Läs igenom det, "
                "skriv under och lämna det till kontaktpersonen."
            ),
            style="Ingress",
        )


def _signatures_2(letter: Letter) -> None:
    receiver = (
        "party(consent.documented_by).name if consent.documented_by "
        "else (sender.name if sender else '')"
    )
    with (
        letter.scope(f"receiver = {receiver}"),
        letter.when("signing and consent.form == 'written'"),
    ):
        letter.heading(2, _("Underskrift"))
        with letter.when("consent.given_by == 'guardians'"):
            letter.para(
                _(
                    "Vi samtycker till det som står ovan: att verksamheterna får lämna "
                    "uppgifter till varandra och delta i arbetet med den samordnade "
                    "individuella planen för vårt barn %(name)s, med de undantag som anges.",
                    name="case.individual.name",
                )
            )
            letter.otherwise(
                "consent.given_by == 'representative' and case.individual.representative"
            )
            letter.para(
                _(
                    "Jag samtycker som %(role)s för %(name)s till det som står ovan: att "
                    "verksamheterna får lämna uppgifter till varandra och delta i arbetet med "
                    "den samordnade individuella planen, med de undantag som anges.",
                    role="_(representative_role(case.individual.representative.role))",
                    name="case.individual.name",
                )
            )
            letter.otherwise()
            letter.para(
                _(
                    "Jag samtycker till det som står ovan: att verksamheterna får lämna "
                    "uppgifter till varandra och delta i arbetet med min samordnade "
                    "individuella plan, med de undantag som anges."
                )
            )
        # the young person signs beside the guardians (R-S9)
        young = "((case.individual.name,) if disclosure.young_person else ())"
        with letter.each(f"signer in consented.names + {young}"):
            letter.para(
                _("Ort och datum"), style="Underskrift"
            ).paragraph_format.keep_with_next = True
            letter.para(
                _("Underskrift"), style="Underskrift"
            ).paragraph_format.keep_with_next = True
            letter.para(_("Namnförtydligande: %(name)s", name="signer"))
        letter.para(
            _("Mottaget av, datum"), style="Underskrift"
        ).paragraph_format.keep_with_next = True
        letter.para("{{ receiver }}")
        letter.otherwise("signing")
        letter.heading(2, _("Bekräftelse"))
        letter.para(
            _(
                "Samtycket lämnades %(form)s av %(who)s den %(date)s och dokumenterades av "
                "%(receiver)s.",
                form="_(consent_form(consent.form))",
                who="consented.who",
                date="date_long(consent.date)",
                receiver="receiver",
            )
            + " {% if sender_card and sender_card.name %}"
            + "{{ "
            + gettext_call("Stämmer något inte, hör av er till %(name)s.", name="sender_card.name")
            + " if recipient.address_form == 'ni' else "
            + gettext_call("Stämmer något inte, hör av dig till %(name)s.", name="sender_card.name")
            + " }}{% else %}"
            + either(
                "recipient.address_form == 'ni'",
                "Stämmer något inte, hör av er till kontaktpersonen nedan.",
                "Stämmer något inte, hör av dig till kontaktpersonen nedan.",
            )
            + "{% endif %}"
        )
