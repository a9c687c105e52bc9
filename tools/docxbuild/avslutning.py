"""The notice that the plan is closed (R-A1, R-A2): avslutning.html in Word."""

from __future__ import annotations

from tools.docxbuild import Letter, _, parts


def build(letter: Letter, version: int = 1) -> None:
    letter.heading(1, "{{ doc.title }}")
    with letter.scope("closure = case.closure"):
        (_introduction_2 if version >= 2 else introduction)(letter)
        parts.concerns(
            letter, _("Planen gällde"), ((_("Avslutad"), "{{ date_long(closure.date) }}"),)
        )
        with letter.when("case.plan"):  # the last of the facts, as in the HTML's `facts`
            letter.fact(_("Planen upprättades"), "{{ date_long(case.plan.date) }}")
        (_reason_2 if version >= 2 else reason)(letter)
        if version >= 2:
            _what_now_2(letter)
    if version < 2:
        what_now(letter)
    letter.heading(2, _("De här får besked om att planen är avslutad"))
    parts.recipients_list(letter, "everyone", version)
    parts.contact(letter, _("Kontakt"), "sender_card")
    if version >= 2:
        parts.greeting(letter, "sender_card")


def introduction(letter: Letter) -> None:
    date = {"date": "date_long(closure.date)"}
    with letter.when("recipient.role == 'individual'"):
        letter.para(
            _("Din samordnade individuella plan är avslutad från och med %(date)s.", **date),
            style="Ingress",
        )
        letter.otherwise("recipient.address_form == 'ni'")
        letter.para(
            _("Ert barns samordnade individuella plan är avslutad från och med %(date)s.", **date),
            style="Ingress",
        )
        letter.otherwise()
        letter.para(
            _(
                "Den samordnade individuella planen är avslutad från och med %(date)s. Planen "
                "gäller inte längre.",
                **date,
            ),
            style="Ingress",
        )


def reason(letter: Letter) -> None:
    letter.heading(2, _("Därför avslutas planen"))
    letter.para("{{ _(closure_reason(closure.reason)) }}")
    with letter.when("closure.note"):
        letter.para("{{ t(closure.note) }}")
    with letter.when("case.consent and case.consent.withdrawn"):
        letter.para(
            _(
                "Samtycket återkallades %(date)s. Verksamheterna lämnar inte längre uppgifter "
                "till varandra inom ramen för planen.",
                date="date_long(case.consent.withdrawn)",
            )
        )


def what_now(letter: Letter) -> None:
    letter.heading(2, _("Vad händer nu"))
    with letter.when("recipient.role == 'party'"):
        letter.para(
            _(
                "Insatser som fortsätter gör det inom respektive verksamhet, utan samordning i "
                "planen. Dokumentationen bevaras enligt era egna rutiner."
            )
        )
        letter.otherwise("recipient.address_form == 'ni'")
        letter.para(
            _(
                "Insatser som fortsätter gör det inom respektive verksamhet. Om ni behöver "
                "samordnat stöd igen kan ni när som helst be om en ny samordnad individuell plan."
            )
        )
        letter.otherwise()
        letter.para(
            _(
                "Insatser som fortsätter gör det inom respektive verksamhet. Om du behöver "
                "samordnat stöd igen kan du när som helst be om en ny samordnad individuell plan."
            )
        )


# --- Version 2 --------------------------------------------------------------------------


def _introduction_2(letter: Letter) -> None:
    with letter.when("recipient.role == 'individual' or recipient.address_form == 'ni'"):
        introduction(letter)
        letter.otherwise()
        letter.para(
            _(
                "Den samordnade individuella planen för %(name)s är avslutad från och med "
                "%(date)s. Planen gäller inte längre.",
                name="case.individual.name",
                date="date_long(closure.date)",
            ),
            style="Ingress",
        )


def _reason_2(letter: Letter) -> None:
    """R-W3: the reason once; the note only where the copy may show it, without repeating."""
    letter.heading(2, _("Därför avslutas planen"))
    letter.para("{{ closure_statement }}")
    with letter.when("closure_note"):
        letter.para("{{ t(closure_note) }}")


def _what_now_2(letter: Letter) -> None:
    letter.heading(2, _("Vad händer nu"))
    with letter.when("recipient.role == 'party'"):
        letter.para(
            _(
                "Insatser som fortsätter gör det inom respektive verksamhet, utan samordning i "
                "planen. Dokumentationen bevaras enligt era egna rutiner."
            )
            + "{% if closure.reason == 'consent_withdrawn' %} "
            + _("Verksamheterna lämnar inte längre uppgifter till varandra inom ramen för planen.")
            + "{% endif %}"
        )
        letter.otherwise("recipient.role == 'relative'")
        letter.para(_("Insatser som fortsätter gör det inom respektive verksamhet."))
        letter.otherwise("recipient.role == 'representative'")
        letter.para(
            _(
                "Insatser som fortsätter gör det inom respektive verksamhet. Om %(name)s behöver "
                "samordnat stöd igen kan du som företrädare när som helst be om en ny samordnad "
                "individuell plan.",
                name="case.individual.name",
            )
        )
        letter.otherwise("recipient.address_form == 'ni'")
        letter.para(
            _(
                "Insatser som fortsätter gör det inom respektive verksamhet. Om ni behöver "
                "samordnat stöd igen kan ni när som helst be om en ny samordnad individuell plan."
            )
        )
        letter.otherwise()
        letter.para(
            _(
                "Insatser som fortsätter gör det inom respektive verksamhet. Om du behöver "
                "samordnat stöd igen kan du när som helst be om en ny samordnad individuell plan."
            )
        )
