"""The notice that the plan is closed (R-A1, R-A2): avslutning.html in Word."""

from __future__ import annotations

from tools.docxbuild import Letter, _, parts


def build(letter: Letter) -> None:
    letter.heading(1, "{{ doc.title }}")
    with letter.scope("closure = case.closure"):
        introduction(letter)
        parts.concerns(
            letter, _("Planen gällde"), ((_("Avslutad"), "{{ date_long(closure.date) }}"),)
        )
        with letter.when("case.plan"):  # the last of the facts, as in the HTML's `facts`
            letter.fact(_("Planen upprättades"), "{{ date_long(case.plan.date) }}")
        reason(letter)
    what_now(letter)
    letter.heading(2, _("De här får besked om att planen är avslutad"))
    parts.recipients_list(letter, "everyone")
    parts.contact(letter, _("Kontakt"), "sender_card")


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
