"""The DOCX templates that the example layers replace as whole files, with their own sections.

They mirror the layers' HTML overrides: Region Mellanland rewords the R-K10 section of the
kallelse, and Lillåns kommun (in Mellanland) keeps that and adds "Stöd inför mötet".
"""

from __future__ import annotations

from collections.abc import Callable

from tools.docxbuild import Letter, _, either, kallelse


def mellanland_unknown_individual(letter: Letter) -> None:
    with letter.when("recipient.is_principal"):
        letter.heading(2, _("Om den enskilde inte är känd hos er"))
        letter.para(
            _(
                "I Region Mellanland gäller: den huvudman som tar emot kallelsen utser vem som "
                "deltar, även när den enskilde inte är känd hos verksamheten. Vidarebefordra "
                "kallelsen till rätt enhet samma dag och meddela den som kallar vem som kommer. "
                "Har den enskilde ingen pågående vårdkontakt kallas vårdcentralen där hen är listad."
            )
        )


def lillan_support(letter: Letter) -> None:
    letter.heading(2, _("Stöd inför mötet"))
    letter.para(
        either(
            "recipient.address_form != 'formal'",
            "Kommunhuset har hörslinga och entré utan trappsteg. Behöver du hjälp att ta dig till "
            "mötet, eller stöd med att förbereda dig, kan du ringa Medborgarkontoret i Lillån på "
            "0123-400 00, vardagar kl. 8–16.",
            "Kommunhuset har hörslinga och entré utan trappsteg. Frågor om lokaler och teknik "
            "besvaras av Medborgarkontoret i Lillån, 0123-400 00.",
        )
    )


# (layer, document) -> the builder of the layer's whole-file replacement
LAYER_TEMPLATES: dict[tuple[str, str], Callable[[Letter], None]] = {
    ("mellanland", "kallelse"): lambda letter: kallelse.build(
        letter, unknown_individual=mellanland_unknown_individual
    ),
    ("lillan", "kallelse"): lambda letter: kallelse.build(
        letter, unknown_individual=mellanland_unknown_individual, extra=lillan_support
    ),
}
