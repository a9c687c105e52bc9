"""Fictional case files for benchmarks: the two reference cases, varied.

Cases alternate between the adult and the child reference. Each gets invented names (the
individual, relatives, guardians, every contact), identity numbers with correct check digits
and plausible birth dates, its own case id, phone numbers and `.example` e-mail addresses,
a party list with optional parties dropped and others added (consistently in consent,
invitations, participants and interventions), and agendas, needs, goals and free text of
varied length. The same seed gives the same files.

Run: .venv/bin/python -m benchmarks.fictional_cases OUT N [--seed S]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from sipdocs.ids import luhn_check_digit
from sipdocs.source import parse

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
REFERENCES = (SAMPLES / "adult-reference.yaml", SAMPLES / "child-reference.yaml")

FEMALE = (
    "Agnes", "Alva", "Amina", "Anna", "Astrid", "Aisha", "Beata", "Dalia", "Ebba", "Elin",
    "Fatima", "Freja", "Hanna", "Ida", "Ines", "Jasmin", "Karin", "Klara", "Layla", "Lina",
    "Linnea", "Maja", "Malin", "Mira", "Nadia", "Olivia", "Rahel", "Sanna", "Siv", "Tuula",
    "Vera", "Yasmin", "Zofia",
)  # fmt: skip
MALE = (
    "Adam", "Ahmed", "Alvar", "Arvid", "Bashir", "Björn", "David", "Elias", "Erik", "Filip",
    "Goran", "Hugo", "Isak", "Jonas", "Kalle", "Karim", "Lars", "Leo", "Mattias", "Mikael",
    "Noah", "Olle", "Omar", "Oskar", "Pekka", "Rasmus", "Sami", "Teodor", "Tomas", "Yonas",
)  # fmt: skip
SURNAMES = (
    "Abdi", "Andersson", "Backlund", "Bergqvist", "Dahl", "Ekström", "Falk", "Gebre",
    "Hassan", "Hedlund", "Isaksson", "Jansson", "Karimi", "Kowalski", "Lindgren", "Lundin",
    "Mäkinen", "Moberg", "Nyström", "Öberg", "Petrov", "Rahimi", "Sandberg", "Sundqvist",
    "Tesfaye", "Wallin", "Virtanen", "Yilmaz", "Åkesson", "Östlund",
)  # fmt: skip
STREETS = ("Storgatan", "Björkvägen", "Skolgatan", "Ängsvägen", "Kvarngatan", "Tallstigen")
MALE_RELATIONS = {"bror", "far", "pappa", "son", "morfar", "farfar"}
FEMALE_RELATIONS = {"syster", "mor", "mamma", "dotter", "mormor", "farmor"}

# Parties a case may do without (gone from every list that names them), and parties it may add.
OPTIONAL_PARTIES = ("vc", "af", "hab")
EXTRA_PARTIES = (
    {"id": "fritid", "name": "Fritidsförvaltningen, Lillåns kommun", "principal": "municipality"},
    {"id": "tand", "name": "Folktandvården Lillån", "principal": "region"},
    {"id": "rehab", "name": "Rehabenheten, Region Mellanland", "principal": "region"},
)
TITLES = ("handläggare", "kurator", "sjuksköterska", "fysioterapeut", "samordnare")
EXTRA_AGENDA = (
    "Skola eller sysselsättning",
    "Ekonomi",
    "Hälsa och sömn",
    "Fritid",
    "Frågor från familjen",
    "Övrigt",
)
# A need, its goal (own words, professional, evaluation), an intervention and the principal
# of the party responsible for it.
EXTRA_NEEDS = (
    ("fritid", "En meningsfull fritid.", "Jag vill träffa andra.", "Deltar i en aktivitet varje vecka.", "Närvarolista.", "Stöd att hitta en fritidsaktivitet.", "municipality"),
    ("somn", "Bättre sömn.", "Jag vill sova hela natten.", "Sover sju timmar per natt.", "Sömndagbok.", "Samtal om sömnvanor.", "region"),
    ("tander", "Friska tänder.", "Jag vill inte ha ont i tänderna.", "Har besökt tandvården.", "Journal från tandvården.", "Tid hos tandhygienist.", "region"),
    ("rorelse", "Mer rörelse i vardagen.", "Jag vill orka gå längre.", "Promenerar tre gånger i veckan.", "Egen anteckning.", "Träningsprogram med uppföljning.", "region"),
)  # fmt: skip
EXTRA_SENTENCES = (
    "Det finns kaffe och te.",
    "Säg till om du behöver hjälp att hitta.",
    "Ta gärna med en vän.",
    "Du får gärna ta med dina frågor.",
    "Hör av dig om tiden inte passar.",
)


def write_cases(folder: Path, count: int, seed: int = 0) -> list[Path]:
    """Write `count` fictional cases into `folder`, alternating the two references."""
    references = [parse(path.read_text(encoding="utf-8")).data for path in REFERENCES]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        reference = REFERENCES[index % 2]
        data = fictional_case(references[index % 2], index + 1, random.Random(f"{seed}-{index}"))
        path = folder / f"{data['case']['id']}.yaml"
        header = f"# Fictional case from {reference.name} (benchmarks/fictional_cases.py, seed {seed}).\n"
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        path.write_text(header + text, encoding="utf-8")
        paths.append(path)
    return paths


def fictional_case(reference: dict[str, Any], number: int, rng: random.Random) -> dict[str, Any]:
    """A varied copy of `reference` (plain case data) with case id number `number`."""
    data = copy.deepcopy(reference)
    created: dt.date = data["case"]["created"]
    data["case"]["id"] = f"SIP-{created.year}-{number:04d}"
    names = _Names(rng)
    _rename_people(data, names, rng)
    _vary_parties(data, names, rng)
    _vary_lengths(data, rng)
    link = data["meeting"].get("digital_link")
    if link:
        data["meeting"]["digital_link"] = (
            f"https://mote.lillan.example/{data['case']['id'].lower()}"
        )
    return data


# --- Parties ---------------------------------------------------------------------------


def _vary_parties(data: dict[str, Any], names: _Names, rng: random.Random) -> None:
    """Drop some optional parties and add some extra ones, everywhere the case names them."""
    for party in OPTIONAL_PARTIES:
        if any(p["id"] == party for p in data["parties"]) and rng.random() < 0.3:
            _drop_party(data, party)
    for extra in rng.sample(EXTRA_PARTIES, rng.randint(0, 2)):
        name = " ".join(names.person(None))
        contact = {"name": name, "title": rng.choice(TITLES), "phone": _office_phone(rng)}
        data["parties"].append({**extra, "contact": contact})
        data["consent"]["actors"].append(extra["id"])
        data["meeting"]["invited"].append(extra["id"])
        data["plan"]["participants"].append({"party": extra["id"], "name": name})


def _drop_party(data: dict[str, Any], party: str) -> None:
    """Remove `party` and every mention of it: consent, invitations, participants, interventions."""
    data["parties"] = [p for p in data["parties"] if p["id"] != party]
    consent = data["consent"]
    for key in ("actors", "excluded_actors"):
        consent[key] = [p for p in consent.get(key, []) if p != party]
    data["meeting"]["invited"] = [p for p in data["meeting"]["invited"] if p != party]
    for section in (data["plan"], *data.get("follow_ups", [])):
        section["participants"] = [p for p in section["participants"] if p.get("party") != party]
        section["interventions"] = [
            i for i in section["interventions"] if i["responsible"] != party
        ]


# --- People ----------------------------------------------------------------------------


class _Names:
    """Invented names, none used twice in one case."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self, female: bool | None, surname: str | None = None) -> tuple[str, str]:
        """A first name (of the gender, if given) and a surname (`surname`, if given)."""
        while True:
            if female is None:
                first = self.rng.choice(FEMALE + MALE)
            else:
                first = self.rng.choice(FEMALE if female else MALE)
            last = surname or self.rng.choice(SURNAMES)
            if first not in self.used and f"{first} {last}" not in self.used:
                self.used |= {first, f"{first} {last}"}
                return first, last


def _rename_people(data: dict[str, Any], names: _Names, rng: random.Random) -> None:
    """New names, identity numbers, addresses, phones and e-mail addresses for everyone."""
    renames: dict[str, str] = {}

    def rename(old: str, female: bool | None, surname: str | None = None) -> tuple[str, str]:
        first, last = names.person(female, surname)
        renames[old] = f"{first} {last}"
        renames[old.split()[0]] = first
        return first, last

    individual = data["individual"]
    old_family = individual["name"].split()[-1]
    family = rng.choice(SURNAMES)
    ages = (7, 16) if data["case"]["context"] == "child" else (22, 75)
    for person, (youngest, oldest) in [
        (individual, ages),
        *((g, (28, 55)) for g in individual.get("guardians", [])),
    ]:
        female = _is_female(person["personal_id"])
        surname = family if person["name"].endswith(f" {old_family}") else None
        rename(person["name"], female, surname)
        born = data["case"]["created"] - dt.timedelta(
            days=rng.randint(365 * youngest, 365 * oldest)
        )
        person["personal_id"] = personnummer(born, female, rng)
        if person.get("phone"):
            person["phone"] = _mobile(rng)
    individual["address"]["street"] = f"{rng.choice(STREETS)} {rng.randint(1, 60)}"
    individual["address"]["postal_code"] = f"123 {rng.randint(40, 49)}"
    for relative in data.get("relatives", []):
        surname = family if relative["name"].endswith(f" {old_family}") else None
        rename(relative["name"], _relation_is_female(relative["relation"]), surname)
        relative["phone"] = _mobile(rng)
    for party in data["parties"]:
        contact = party.get("contact")
        if contact:
            first, last = rename(contact["name"], None)
            contact["phone"] = _office_phone(rng)
            if contact.get("email") or rng.random() < 0.3:
                contact["email"] = f"{_ascii(first)}.{_ascii(last)}@lillan.example"
    _replace_names(data, renames)


def _is_female(personal_id: str) -> bool:
    """A personnummer's second to last digit is even for women."""
    return int(personal_id[-2]) % 2 == 0


def _relation_is_female(relation: str) -> bool | None:
    """Whether a relation (bror, mamma) is a woman's; None if it does not say."""
    if relation in FEMALE_RELATIONS:
        return True
    return False if relation in MALE_RELATIONS else None


def personnummer(born: dt.date, female: bool, rng: random.Random) -> str:
    """A fictional personnummer YYYYMMDD-NNNC for the birth date and gender, check digit valid."""
    gender = rng.choice("02468" if female else "13579")
    serial = f"{rng.randint(0, 99):02d}{gender}"
    digits = f"{born:%y%m%d}{serial}"
    return f"{born:%Y%m%d}-{serial}{luhn_check_digit(digits)}"


def _mobile(rng: random.Random) -> str:
    return f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def _office_phone(rng: random.Random) -> str:
    return f"0123-{rng.randint(100, 999)} {rng.randint(10, 99)}"


def _ascii(name: str) -> str:
    """'Ekström' → 'ekstrom': a name as the local part of an e-mail address."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def _replace_names(data: dict[str, Any], renames: dict[str, str]) -> None:
    """Replace every old full or first name in the string values of `data` (whole words)."""
    pattern = re.compile(
        r"\b(" + "|".join(map(re.escape, sorted(renames, key=len, reverse=True))) + r")\b"
    )
    _map_strings(data, lambda text: pattern.sub(lambda match: renames[match[1]], text))


def _map_strings(data: Any, change: Callable[[str], str]) -> Any:
    """Apply `change` to every string value inside `data`, in place; returns the new value."""
    if isinstance(data, str):
        return change(data)
    if isinstance(data, dict):
        for key, value in data.items():
            data[key] = _map_strings(value, change)
    elif isinstance(data, list):
        data[:] = [_map_strings(value, change) for value in data]
    return data


# --- Lengths ---------------------------------------------------------------------------


def _vary_lengths(data: dict[str, Any], rng: random.Random) -> None:
    """Shorter or longer agendas, extra needs with goals and interventions, longer texts."""
    meeting = data["meeting"]
    agenda = meeting["agenda"]
    kept = agenda[: rng.randint(2, len(agenda) - 1)]
    meeting["agenda"] = [*kept, *rng.sample(EXTRA_AGENDA, rng.randint(0, 4)), agenda[-1]]
    plan = data["plan"]
    for need, description, own, professional, evaluation, what, principal in rng.sample(
        EXTRA_NEEDS, rng.randint(0, 3)
    ):
        responsible = [
            p["id"]
            for p in data["parties"]
            if p["principal"] == principal and p["id"] in data["consent"]["actors"]
        ]
        goal = f"m-{need}"
        plan["needs"].append({"id": need, "description": description})
        plan["goals"].append(
            {
                "id": goal,
                "need": need,
                "own_words": own,
                "professional": professional,
                "evaluation": evaluation,
            }
        )
        start = plan["date"] + dt.timedelta(days=rng.randint(7, 45))
        plan["interventions"].append(
            {
                "goal": goal,
                "what": what,
                "responsible": rng.choice(responsible),
                "status": "decided",
                "start": start,
            }
        )
    plan["strengths"] = _longer(plan["strengths"], rng)
    meeting["other_information"] = _longer(meeting["other_information"], rng)


def _longer(text: Any, rng: random.Random) -> Any:
    """Swedish text with up to three more sentences; a text with translations stays as it is."""
    if not isinstance(text, str):
        return text
    return " ".join([text, *rng.sample(EXTRA_SENTENCES, rng.randint(0, 3))])


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write fictional case files for benchmarks.")
    parser.add_argument("out", type=Path, help="folder for the case files")
    parser.add_argument("count", type=int, help="how many cases")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(None if argv is None else list(argv))
    paths = write_cases(args.out, args.count, args.seed)
    print(f"wrote {len(paths)} cases to {args.out}")


if __name__ == "__main__":
    main()
