"""The case format `sipdocs/1` as typed, immutable models.

Field descriptions are Swedish: they become the JSON Schema that editors show while a
coordinator writes a case file. Rules that span fields live in `rules.py`; this module only
says what each field may hold.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from sipdocs.findings import KeyPath
from sipdocs.ids import InvalidId, PersonalId, parse_personal_id
from sipdocs.languages import LANGUAGES, SOURCE_LANGUAGE, known_codes
from sipdocs.textsafety import visible

FORMAT = "sipdocs/1"
# The most a case holds, so that no case makes rendering take minutes or gigabytes: a list
# (parties, goals, interventions, ...) and one free text, in characters (about a page).
MAX_ITEMS = 100
MAX_TEXT = 4000
MAX_LINK = 2000
FORMATS_READ = (FORMAT,)

_IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
_CASE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _identifier(value: str) -> str:
    if not _IDENTIFIER.match(value):
        raise PydanticCustomError(
            "identifier",
            "an id is 1 to 40 letters, digits, '-' or '_', starting with a letter or digit",
        )
    return value


def _case_id(value: str) -> str:
    if not _CASE_ID.match(value):
        raise PydanticCustomError(
            "case_id",
            "a case id is 1 to 64 letters, digits, '.', '-' or '_' (it names the output folder)",
        )
    return value


def _language(value: str) -> str:
    if value not in LANGUAGES:
        raise PydanticCustomError(
            "language",
            "unknown language code '{code}' (known: {known})",
            {"code": visible(value[:12]), "known": known_codes()},
        )
    return value


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise PydanticCustomError("email", "not an e-mail address")
    return value


def _web_link(value: str) -> str:
    if not value.startswith(("https://", "http://")) or any(c.isspace() for c in value):
        raise PydanticCustomError("link", "a link is an https:// address without spaces")
    if len(value) > MAX_LINK:
        raise PydanticCustomError("link", f"a link is at most {MAX_LINK} characters")
    return value


def _personal_id(value: Any, info: ValidationInfo) -> PersonalId:
    if isinstance(value, PersonalId):
        return value
    reference = (info.context or {}).get("reference_date") or dt.date.today()
    try:
        return parse_personal_id(value, reference)
    except InvalidId as exc:
        raise PydanticCustomError("personal_id", str(exc)) from None


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Identifier = Annotated[str, AfterValidator(_identifier)]
Lang = Annotated[str, AfterValidator(_language)]
Email = Annotated[str, AfterValidator(_email)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Item = TypeVar("Item")
Items = Annotated[tuple[Item, ...], Field(max_length=MAX_ITEMS)]  # a list in the case file
PersonalIdField = Annotated[
    PersonalId,
    PlainValidator(_personal_id),
    PlainSerializer(str),
    WithJsonSchema(
        {
            "description": "Personnummer eller samordningsnummer (ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN, "
            "+ vid 100 år eller äldre), eller {reservnummer: ...}.",
            "anyOf": [
                {"type": "string", "pattern": r"^(\d{2})?\d{6}[-+]?\d{4}$"},
                {
                    "type": "object",
                    "properties": {"reservnummer": {"type": "string"}},
                    "required": ["reservnummer"],
                    "additionalProperties": False,
                },
            ],
        }
    ),
]


class Model(BaseModel):
    """Base of every case model: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)


class Text(Model):
    """Free text: Swedish, with optional translations and an easy-read (lättläst) wording."""

    sv: str
    lattlast: str | None = None
    translations: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _from_case_file(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise PydanticCustomError(
                "text", "expected text, or a mapping from language code to text"
            )
        if isinstance(value, str | int | float):
            return {"sv": _non_empty(str(value))}
        if not isinstance(value, dict):
            raise PydanticCustomError(
                "text", "expected text, or a mapping from language code to text"
            )
        if "translations" in value:
            return value
        data = dict(value)
        sv, easy = data.pop("sv", None), data.pop("lattlast", None)
        for code in data:
            _language(str(code))
        if sv is None:
            raise PydanticCustomError(
                "text_sv", "a text with translations also needs the Swedish original under 'sv'"
            )
        texts = {str(k): _text_value(v) for k, v in data.items()}
        return {
            "sv": _text_value(sv),
            "lattlast": None if easy is None else _text_value(easy),
            "translations": texts,
        }

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "description": "Text på svenska, eller en mappning från språkkod till text "
            "(nyckeln 'lattlast' är den lättlästa svenska formuleringen).",
            "anyOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "properties": {"sv": {"type": "string"}, "lattlast": {"type": "string"}},
                    "required": ["sv"],
                    "propertyNames": {"enum": ["lattlast", *LANGUAGES]},
                    "additionalProperties": {"type": "string"},
                },
            ],
        }

    def in_language(self, lang: str, easy_read: bool = False) -> tuple[str, str]:
        """The wording for `lang` and the language it is actually in (Swedish if untranslated)."""
        if lang == SOURCE_LANGUAGE:
            if easy_read and self.lattlast:
                return self.lattlast, SOURCE_LANGUAGE
            return self.sv, SOURCE_LANGUAGE
        if lang in self.translations:
            return self.translations[lang], lang
        return self.sv, SOURCE_LANGUAGE

    def __str__(self) -> str:
        return self.sv


def _non_empty(text: str) -> str:
    text = text.strip()
    if not text:
        raise PydanticCustomError("text_empty", "the text is empty")
    if len(text) > MAX_TEXT:
        raise PydanticCustomError("text_long", f"is longer than {MAX_TEXT} characters")
    return text


def _text_value(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PydanticCustomError("text", "expected text")
    return _non_empty(str(value))


class Context(StrEnum):
    ADULT = "adult"
    CHILD = "child"
    DISCHARGE = "discharge"


class Principal(StrEnum):
    MUNICIPALITY = "municipality"
    REGION = "region"
    OTHER = "other"


class PartyKind(StrEnum):
    SCHOOL = "school"
    PRESCHOOL = "preschool"
    AUTHORITY = "authority"
    ASSOCIATION = "association"
    CARE = "care"
    OTHER = "other"


class RepresentativeRole(StrEnum):
    GOD_MAN = "god_man"
    FORVALTARE = "forvaltare"
    FRAMTIDSFULLMAKT = "framtidsfullmakt"
    FULLMAKT = "fullmakt"


class ConsentGiver(StrEnum):
    INDIVIDUAL = "individual"
    GUARDIANS = "guardians"
    REPRESENTATIVE = "representative"


class ConsentForm(StrEnum):
    WRITTEN = "written"
    ORAL = "oral"
    OTHER = "other"


class MeetingKind(StrEnum):
    INITIAL = "initial"
    FOLLOW_UP = "follow_up"


class Status(StrEnum):
    DECIDED = "decided"
    PLANNED = "planned"
    ONGOING = "ongoing"
    AWAITING_DECISION = "awaiting_decision"


class Outcome(StrEnum):
    ACHIEVED = "achieved"
    PARTLY = "partly"
    NOT_ACHIEVED = "not_achieved"


class ClosureReason(StrEnum):
    GOALS_MET = "goals_met"
    NO_COORDINATION_NEED = "no_coordination_need"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    INDIVIDUAL_REQUEST = "individual_request"
    OTHER = "other"


class Address(Model):
    street: Name = Field(description="Gatuadress, eller c/o och gatuadress.")
    postal_code: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)
    ] = Field(description='Postnummer, till exempel "123 45".')
    city: Name = Field(description="Postort.")

    @property
    def postal_line(self) -> str:
        """'123 45 Lillån': one value, so a right-to-left copy keeps it in order."""
        return f"{self.postal_code} {self.city}"

    @property
    def one_line(self) -> str:
        """'Storgatan 12 B, 123 45 Lillån'."""
        return f"{self.street}, {self.postal_line}"


class Contact(Model):
    name: Name | None = Field(None, description="Kontaktpersonens namn.")
    title: Name | None = Field(None, description="Titel, till exempel socialsekreterare.")
    phone: Phone | None = Field(None, description="Telefonnummer.")
    email: Email | None = Field(None, description="E-postadress.")


class Party(Model):
    id: Identifier = Field(description="Kort id som resten av filen använder, till exempel soc.")
    name: Name = Field(description="Verksamhetens namn.")
    principal: Principal = Field(
        description="Huvudman: municipality (kommunen), region (regionen) eller other (annan aktör)."
    )
    kind: PartyKind | None = Field(
        None,
        description="Slag av verksamhet: school, preschool, authority, association, care, other.",
    )
    unit: Name | None = Field(None, description="Enhet inom verksamheten.")
    address: Address | None = Field(None, description="Postadress.")
    contact: Contact | None = Field(None, description="Kontaktperson.")


class Guardian(Model):
    name: Name = Field(description="Vårdnadshavarens namn.")
    personal_id: PersonalIdField | None = None
    custody: bool = Field(True, description="Har vårdnaden (måste då samtycka).")
    language: Lang = Field(SOURCE_LANGUAGE, description="Språket vårdnadshavaren läser.")
    phone: Phone | None = None
    email: Email | None = None
    address: Address | None = Field(None, description="Adress, om en annan än barnets.")
    interpreter: Lang | None = Field(
        None, description="Tolk behövs för vårdnadshavaren på detta språk, annars null."
    )


class Representative(Model):
    role: RepresentativeRole = Field(
        description="god_man, forvaltare, framtidsfullmakt eller fullmakt."
    )
    name: Name = Field(description="Ställföreträdarens namn.")
    phone: Phone | None = None
    email: Email | None = None
    address: Address | None = Field(
        None, description="Ställföreträdarens egen postadress: dit går hens exemplar."
    )


class Individual(Model):
    name: Name = Field(description="Den enskildes namn.")
    personal_id: PersonalIdField
    address: Address | None = None
    phone: Phone | None = None
    email: Email | None = None
    language: Lang = Field(
        SOURCE_LANGUAGE, description="Språket den enskilde läser; ett eget exemplar görs på det."
    )
    easy_read: bool = Field(False, description="Gör ett lättläst exemplar.")
    large_print: bool = Field(False, description="Gör ett exemplar med stor stil.")
    interpreter: Lang | None = Field(None, description="Tolk behövs på detta språk, annars null.")
    representative: Representative | None = Field(
        None, description="God man, förvaltare, framtidsfullmakt eller fullmakt."
    )
    guardians: Items[Guardian] = Field((), description="Vårdnadshavare (för barn).")


class Relative(Model):
    name: Name = Field(description="Den närståendes namn.")
    relation: Name = Field(description="Relation, till exempel bror.")
    phone: Phone | None = None
    email: Email | None = None
    address: Address | None = None
    language: Lang = SOURCE_LANGUAGE
    invited: bool = Field(
        False, description="Bjuds in till mötet (om den enskilde inte motsätter sig)."
    )


class Consent(Model):
    given_by: ConsentGiver = Field(
        description="individual (den enskilde), guardians (vårdnadshavarna) eller representative."
    )
    guardians_consented: Items[Name] = Field(
        (), description="Namnen på de vårdnadshavare som har samtyckt."
    )
    child_heard: Text | None = Field(
        None, description="Barnets inställning, efter ålder och mognad."
    )
    form: ConsentForm = Field(description="written (skriftligt), oral (muntligt) eller other.")
    date: dt.date = Field(description="Dagen då samtycket gavs.")
    documented_by: Identifier | None = Field(
        None, description="Verksamheten (id) som dokumenterade samtycket; krävs för muntligt."
    )
    valid_until: dt.date = Field(description="Sista giltighetsdag, högst ett år efter datum.")
    actors: Items[Identifier] = Field(description="Verksamheter (id) som samtycket omfattar.")
    excluded_actors: Items[Identifier] = Field(
        (), description="Verksamheter (id) som den enskilde undantar."
    )
    excluded_information: Items[Text] = Field(
        (), description="Uppgifter som den enskilde undantar."
    )
    withdrawn: dt.date | None = Field(
        None, description="Dagen då samtycket återkallades, annars null."
    )
    relatives: Items[Name] = Field(
        (),
        description="Närstående (namn som i relatives) som får planen, uppföljningarna och "
        "avslutningen skriftligt.",
    )
    full_plan: Items[Identifier] = Field(
        (),
        description="Andra aktörer (id, principal: other) som får hela planen och "
        "uppföljningarna i stället för ett utdrag.",
    )


class PartyPerson(Model):
    party: Identifier = Field(description="Verksamhetens id.")
    name: Name = Field(description="Personens namn.")
    phone: Phone | None = None
    email: Email | None = None


class Participant(Model):
    party: Identifier | None = Field(None, description="Verksamhetens id, för en yrkesperson.")
    name: Name | None = Field(None, description="Personens namn.")
    relative: Name | None = Field(None, description="En närståendes namn (som i relatives).")
    guardian: Name | None = Field(None, description="En vårdnadshavares namn.")

    @model_validator(mode="after")
    def _one_kind(self) -> Participant:
        if sum(x is not None for x in (self.party, self.relative, self.guardian)) != 1:
            raise PydanticCustomError(
                "participant",
                "a participant has exactly one of: party (with name), relative, guardian",
            )
        return self


class Meeting(Model):
    kind: MeetingKind = Field(MeetingKind.INITIAL, description="initial eller follow_up.")
    start: dt.datetime = Field(description="Tid, till exempel 2026-11-20T13:00.")
    duration_minutes: int = Field(gt=0, le=600, description="Mötets längd i minuter.")
    location: Name | None = Field(None, description="Plats.")
    venue: Identifier | None = Field(
        None,
        description="Lokalen (id) bland de lokaler som kommunens eller regionens mallprofil "
        "beskriver under venues; dess fakta, till exempel hörslinga, visas bara för den.",
    )
    digital_link: Annotated[str, AfterValidator(_web_link)] | None = Field(
        None, description="Länk till digitalt möte."
    )
    convener: PartyPerson = Field(description="Sammankallande.")
    reply_by: dt.date | None = Field(None, description="Svara senast.")
    question: Text | None = Field(None, description="Frågeställning.")
    agenda: Items[Text] = Field((), description="Dagordning, en punkt per rad.")
    invited: Items[Identifier] = Field(description="Verksamheter (id) som kallas.")
    other_information: Text | None = Field(
        None, description="Tolk, tidsgräns, digitala hjälpmedel."
    )


class Need(Model):
    id: Identifier
    description: Text = Field(description="Behovet.")


class Goal(Model):
    id: Identifier
    need: Identifier | None = Field(None, description="Behovet (id) som målet gäller.")
    own_words: Text | None = Field(None, description="Målet med den enskildes egna ord.")
    professional: Text | None = Field(
        None, description="Målet som de professionella uttrycker det."
    )
    evaluation: Text | None = Field(None, description="Hur målet utvärderas.")


class Awaiting(Model):
    meanwhile: Text | None = Field(None, description="Vad som görs i väntan på beslut.")
    decision_expected: dt.date | None = Field(None, description="När beslutet väntas.")
    feedback_by: dt.date | None = Field(None, description="När beslutet återkopplas.")


class Intervention(Model):
    goal: Identifier | None = Field(None, description="Målet (id) som insatsen gäller.")
    what: Text = Field(description="Insatsen.")
    responsible: Identifier = Field(description="Ansvarig verksamhet (id).")
    status: Status = Field(description="decided, planned, ongoing eller awaiting_decision.")
    start: dt.date | None = None
    end: dt.date | None = None
    awaiting: Awaiting | None = Field(None, description="Krävs när status är awaiting_decision.")


class FollowUpPlan(Model):
    date: dt.date | None = Field(None, description="Datum för uppföljningen.")
    responsible: Identifier | None = Field(None, description="Ansvarig verksamhet (id).")
    form: Text | None = Field(None, description="Hur uppföljningen görs.")


class Plan(Model):
    date: dt.date = Field(description="Dagen då planen upprättades.")
    overall_responsible: Identifier | None = Field(
        None, description="Huvudansvarig huvudman (id), en kommun- eller regionverksamhet."
    )
    chair: PartyPerson | None = Field(None, description="Mötesledare.")
    secretary: PartyPerson | None = Field(None, description="Sekreterare.")
    participants: Items[Participant] = ()
    individual_participated: bool | None = Field(None, description="Den enskilde deltog.")
    what_matters: Text | None = Field(None, description="Vad är viktigt för dig? Egna ord.")
    strengths: Text | None = Field(None, description="Styrkor och resurser.")
    own_actions: Items[Text] = Field((), description="Det här gör jag själv.")
    needs: Items[Need] = ()
    goals: Items[Goal] = ()
    interventions: Items[Intervention] = ()
    follow_up: FollowUpPlan | None = Field(None, description="När och hur planen följs upp.")


class GoalOutcome(Model):
    goal: Identifier
    outcome: Outcome = Field(description="achieved, partly eller not_achieved.")
    comment: Text | None = None


class FollowUp(Model):
    date: dt.date
    participants: Items[Participant] = ()
    individual_participated: bool | None = None
    goals: Items[GoalOutcome] = ()
    changed_circumstances: Text | None = None
    interventions: Items[Intervention] = ()
    continued_need: bool = Field(description="Finns fortsatt behov av samordning?")
    next_follow_up: FollowUpPlan | None = None


class Closure(Model):
    date: dt.date
    reason: ClosureReason = Field(
        description="goals_met, no_coordination_need, consent_withdrawn, individual_request eller other."
    )
    informed_by: Identifier | None = Field(
        None, description="Verksamheten (id) som informerar alla."
    )
    note: Text | None = None


class CaseInfo(Model):
    id: Annotated[str, AfterValidator(_case_id)] = Field(
        description="Ärendets id, till exempel SIP-2026-0142."
    )
    municipality: Identifier | None = Field(
        None, description="Kommunens mallprofil, till exempel lillan."
    )
    context: Context = Field(
        Context.ADULT, description="adult, child eller discharge (utskrivning)."
    )
    created: dt.date = Field(description="Dagen då ärendet skapades; kallelsens datum.")
    templates: dict[Identifier, Annotated[str, StringConstraints(min_length=1, max_length=20)]] = (
        Field(
            default_factory=dict,
            description="Mallversion per dokument, om en annan än den som gällde på dokumentets "
            'datum ska användas, till exempel {plan: "1"}.',
        )
    )


class Case(Model):
    """One SIP case: everything its documents are made from."""

    format: Literal["sipdocs/1"]
    case: CaseInfo
    individual: Individual
    relatives: Items[Relative] = ()
    parties: Items[Party] = ()
    consent: Consent | None = None
    meeting: Meeting | None = None
    plan: Plan | None = None
    follow_ups: Items[FollowUp] = Field((), description="Uppföljningar, den senaste sist.")
    closure: Closure | None = None

    def party(self, party_id: str) -> Party | None:
        return next((p for p in self.parties if p.id == party_id), None)


def leaves(value: object, path: KeyPath = ()) -> Iterator[tuple[KeyPath, object]]:
    """Every value of a case that is free text or not a model, tuple or mapping, with its
    key path."""
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from leaves(getattr(value, name), (*path, name))
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, str(key)))
    else:
        yield path, value


def text_values(value: object, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Every piece of text in a case, with its key path: where a printed character came from."""
    for where, field in leaves(value, path):
        if isinstance(field, Text):
            yield (*where, SOURCE_LANGUAGE), field.sv
            if field.lattlast is not None:
                yield (*where, "lattlast"), field.lattlast
            for code, wording in field.translations.items():
                yield (*where, code), wording
        elif isinstance(field, str):
            yield where, field
        elif isinstance(field, PersonalId):
            yield where, str(field)


def as_written(
    value: Any, annotation: Any, written: Callable[[KeyPath], str | None], path: KeyPath = ()
) -> Any:
    """Case data with each value that `annotation` (a model) wants as text given as the
    characters `written` at its key path, if YAML read them as something else: a phone
    number `0701234567` stays that, not an octal number, a postal code `78433` keeps its
    digits, `no` stays no. Elsewhere each value is what YAML reads.
    """
    annotation = _unwrapped(annotation)
    if isinstance(value, dict):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields = annotation.model_fields
            if annotation is not Text:
                return {
                    key: as_written(
                        item,
                        fields[key].annotation if key in fields else Any,
                        written,
                        (*path, key),
                    )
                    for key, item in value.items()
                }
            annotation = str  # every value of a free text is text
        elif typing.get_origin(annotation) is dict:
            annotation = typing.get_args(annotation)[1]
        elif annotation is not PersonalId:  # {reservnummer: ...} is text
            annotation = Any
        return {
            key: as_written(item, annotation, written, (*path, key)) for key, item in value.items()
        }
    if isinstance(value, list):
        arguments = typing.get_args(annotation) if typing.get_origin(annotation) is tuple else ()
        item_type = arguments[0] if arguments else Any
        return [
            as_written(item, item_type, written, (*path, index)) for index, item in enumerate(value)
        ]
    if value is not None and not isinstance(value, str) and _is_text(annotation):
        return written(path) or value
    return value


def _unwrapped(annotation: Any) -> Any:
    """The type inside `Annotated[...]` and `... | None`."""
    # Recursive, not a `while True` loop: atheris 2.3 instruments that loop on Python 3.11
    # into code that crashes the fuzzer (fuzz/fuzz_case.py).
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _unwrapped(typing.get_args(annotation)[0])
    if origin in (types.UnionType, typing.Union):
        arms = [arm for arm in typing.get_args(annotation) if arm is not type(None)]
        return _unwrapped(arms[0]) if len(arms) == 1 else annotation
    return annotation


def _is_text(annotation: Any) -> bool:
    """Whether a value of this type is written as text: str, enums, ids, free text."""
    if typing.get_origin(annotation) is Literal:
        return all(isinstance(choice, str) for choice in typing.get_args(annotation))
    return isinstance(annotation, type) and issubclass(annotation, str | Text | PersonalId)
