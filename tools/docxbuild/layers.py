"""The DOCX templates that the example layers replace as whole files, with their own sections.

They mirror the layers' HTML overrides: Region Mellanland rewords the R-K10 section of the
kallelse, and Lillåns kommun (in Mellanland) keeps that and adds "Stöd inför mötet".
"""

from __future__ import annotations

from collections.abc import Callable

from tools.docxbuild import Letter, _, gettext_call, kallelse


def mellanland_unknown_individual(letter: Letter) -> None:
    name = {"name": "case.individual.name"}
    with letter.when("recipient.is_principal"):
        letter.heading(2, _("Om %(name)s inte är känd hos er", **name))
        letter.para(
            _(
                "I Region Mellanland gäller: den huvudman som tar emot kallelsen utser vem som "
                "deltar, även när %(name)s inte är känd hos verksamheten. Vidarebefordra kallelsen "
                "till rätt enhet samma dag och meddela den som kallar vem som kommer. Finns ingen "
                "pågående vårdkontakt kallas vårdcentralen där %(name)s är listad.",
                **name,
            )
        )


def lillan_support(letter: Letter) -> None:
    letter.heading(2, _("Stöd inför mötet"))
    help_msgid = (
        "Behöver {0} hjälp att ta {1} till mötet, eller stöd med att förbereda {1}, kan {0} "
        "ringa Medborgarkontoret i Lillån på 0123-400 00, vardagar kl. 8–16."
    )
    du, ni = help_msgid.format("du", "dig"), help_msgid.format("ni", "er")
    formal = "Frågor om kommunens lokaler och teknik besvaras av Medborgarkontoret i Lillån, 0123-400 00."
    letter.para(
        f"{{{{ {gettext_call(du)} if recipient.address_form == 'du' else "
        f"({gettext_call(ni)} if recipient.address_form == 'ni' else {gettext_call(formal)}) }}}}"
    )


# (layer, document) -> the builder of the layer's whole-file replacement, for a template version
LAYER_TEMPLATES: dict[tuple[str, str], Callable[[Letter, int], None]] = {
    ("mellanland", "kallelse"): lambda letter, version: kallelse.build(
        letter, unknown_individual=mellanland_unknown_individual, version=version
    ),
    ("lillan", "kallelse"): lambda letter, version: kallelse.build(
        letter,
        unknown_individual=mellanland_unknown_individual,
        extra=lillan_support,
        version=version,
    ),
}
