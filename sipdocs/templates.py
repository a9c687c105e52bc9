"""The template registry: documents, their versions, and the layers that brand them.

A layer is a folder with a `layer.yaml` profile. The built-in `default` layer holds the
templates, one folder per document version with a `manifest.yaml`, and the parts documents
share (`common/<version>/`: the letter, macros, styles, pictograms), versioned too, so that a
released template version never changes its output. A manifest names the shared parts it
uses and the laws it cites (R-W9). Region and municipality layers hold only a profile, a
logo and `overrides/` with named blocks; a region's profile declares the guideline it
follows (R-W10). Like MkDocs' theme overrides, a layer's `overrides/plan.html` redefines
blocks of the layer below it and is never a copy of a whole template: the loader makes it
extend the next layer down.

Every template renders in Jinja's immutable sandbox with autoescape on.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from gettext import NullTranslations
from pathlib import Path
from typing import Annotated, Any, Literal

from jinja2 import (
    BaseLoader,
    Environment,
    StrictUndefined,
    Template,
    TemplateNotFound,
    pass_context,
)
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from sipdocs.errors import TemplateError, UsageError
from sipdocs.guard import check_pixels, check_resource, template_refusals
from sipdocs.i18n import LOCALES, marking_gettext, translations
from sipdocs.languages import LANGUAGES
from sipdocs.model import Address, Text, as_written
from sipdocs.source import SourceProblem, load
from sipdocs.textsafety import isolated, isolated_always, printable

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
if not TEMPLATES.is_dir():  # running from a source checkout
    TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

DEFAULT = "default"
LAYERS_VARIABLE = "SIPDOCS_LAYERS"
PROFILE_FILE = "layer.yaml"
MANIFEST_FILE = "manifest.yaml"
OVERRIDES = "overrides"
COMMON = "common"
PICTOGRAMS = "pictograms"
_PICTOGRAM_NAME = re.compile(r"[a-z][a-z0-9-]*")
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")  # in any letter case
DOCX_SUFFIX = ".docx"
HTML_OPTIONS: dict[str, Any] = {"trim_blocks": True, "lstrip_blocks": True}  # HTML templates
_LAYER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")  # as model.Identifier
_COLOUR = re.compile(r"^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$")


# The lightest background a profile colour is set on: the tables' striped rows (style.css).
_STRIPE = "#f1f5f9"
_MIN_CONTRAST = 4.5  # WCAG 2.1 AA, 1.4.3, for text of any size


def _luminance(colour: str) -> float:
    """The relative luminance of #rgb or #rrggbb, as WCAG 2.1 defines it."""
    digits = colour[1:] if len(colour) == 7 else "".join(c * 2 for c in colour[1:])
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """The contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _sfs_number(value: str) -> str:
    if not re.fullmatch(r"\d{4}:\d{1,4}", value):
        raise ValueError("an SFS number is written YYYY:N, for example 2025:400")
    return value


def _colour(value: str) -> str:
    if not _COLOUR.match(value):
        raise ValueError("a colour is written #rgb or #rrggbb")
    # Each colour is text on white and on the tables' stripe, or (the accent) white text's
    # background: all three need the contrast of WCAG 2.1 AA.
    if (ratio := contrast(value, _STRIPE)) < _MIN_CONTRAST:
        raise ValueError(
            f"{value} has a contrast of {ratio:.1f}:1 on the light background {_STRIPE}; "
            f"text needs at least {_MIN_CONTRAST}:1 (WCAG 2.1 AA), so choose a darker colour"
        )
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Colours(_Strict):
    accent: Annotated[str, AfterValidator(_colour)] = "#24527a"
    text: Annotated[str, AfterValidator(_colour)] = "#1a1a1a"
    muted: Annotated[str, AfterValidator(_colour)] = "#595959"


class Validity(_Strict):
    """A period from `valid_from` to `valid_to` (open-ended when it is not given)."""

    valid_from: dt.date
    valid_to: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def period(self) -> str:
        """'2025-07-01 to further notice', as warnings and `templates list` show it."""
        return f"{self.valid_from} to {self.valid_to or 'further notice'}"


class Guideline(Validity):
    """A regional guideline for SIP, as the region's own record gives it (R-G1, R-W10)."""

    name: str
    version: str
    record_number: str

    @property
    def label(self) -> str:
        return f"{self.name}, version {self.version} ({self.record_number})"


class Venue(_Strict):
    """A place where SIP meetings are held, with what a visitor needs to know about it (a
    hearing loop, a step-free entrance): shown only for a meeting held there (R-W5).
    """

    name: Text
    address: Address | None = None
    facts: tuple[Text, ...] = ()


class Profile(_Strict):
    """What a layer says about its organisation, for the letterhead and footer; a region's
    profile also declares the guideline it follows (R-W10).
    """

    kind: Literal["default", "region", "municipality"]
    name: str | None = None
    region: str | None = None
    logo: str | None = None
    logo_alt: str | None = None
    address: Address | None = None
    phone: str | None = None
    email: str | None = None
    org_number: str | None = None
    web: str | None = None
    colours: Colours = Field(default_factory=Colours)
    footer: str | None = None
    guideline: Guideline | None = None
    # Who may see what (R-S6, R-S10): the secrecy notice's wording (a msgid, so the layer's
    # catalogs translate it), and the age from which a child gets letters of their own.
    secrecy_notice: str | None = None
    own_letter_from_age: int = Field(12, ge=0, le=18)
    venues: dict[str, Venue] = Field(default_factory=dict)


class Law(_Strict):
    """A statute a template version cites (R-W9): its name as cited, with the SFS number in
    it, and a provision only where it is verified. `in_force` is when the law applies.
    """

    name: str
    sfs: Annotated[str, AfterValidator(_sfs_number)]
    provision: str | None = None
    in_force: Validity

    @model_validator(mode="after")
    def _name_carries_the_number(self) -> Law:
        if f"({self.sfs})" not in self.name:
            raise ValueError(f"the name of the law must carry its number: '({self.sfs})'")
        return self

    @property
    def citation(self) -> str:
        """'16 kap. 4 § hälso- och sjukvårdslagen (2017:30)', or the name alone."""
        return f"{self.provision} {self.name}" if self.provision else self.name


class Manifest(Validity):
    """A document version: when it applies, which shared parts it uses, the laws it cites,
    and what changed in it.
    """

    version: str
    common: str = Field(pattern=r"^[0-9]+$")
    laws: dict[str, Law] = Field(default_factory=dict)
    changes: tuple[str, ...] = ()

    @property
    def basis(self) -> str:
        """What the version rests on, as `templates list` shows it: the laws it cites."""
        return "; ".join(law.citation for law in self.laws.values()) or "none given"


@dataclass(frozen=True)
class Layer:
    name: str
    folder: Path
    profile: Profile

    def override(self, name: str) -> Path | None:
        path = self.folder.joinpath(OVERRIDES, *split_template_path(name))
        return path if path.is_file() else None

    @property
    def logo(self) -> Path | None:
        return self.folder / self.profile.logo if self.profile.logo else None


def effective_profile(chain: Sequence[Layer]) -> Profile:
    """The chain's profiles merged: what a higher layer sets wins, the rest comes from below."""
    merged: dict[str, Any] = {}
    colours: dict[str, Any] = {}
    for layer in chain:
        profile = layer.profile
        merged.update({name: getattr(profile, name) for name in profile.model_fields_set})
        colours.update(
            {name: getattr(profile.colours, name) for name in profile.colours.model_fields_set}
        )
    merged.update(kind=chain[-1].profile.kind, colours=Colours(**colours))
    return Profile(**merged)


def catalog_folders(chain: Sequence[Layer]) -> tuple[Path, ...]:
    """Where the chain's message catalogs are, lowest first: the default's, then each layer's."""
    return (LOCALES, *(layer.folder / LOCALES.name for layer in chain[1:]))


def effective_logo(chain: Sequence[Layer]) -> Layer | None:
    """The highest layer that has a logo."""
    return next((layer for layer in reversed(chain) if layer.logo), None)


def pictogram(chain: Sequence[Layer], shared: Sequence[Path], name: str) -> Path:
    """The SVG pictogram `name`: the highest layer's `overrides/pictograms/<name>.svg`, else
    the one in the version's shared parts (`common/<version>/pictograms`, newest first). An
    unknown name is a template error.
    """
    if _PICTOGRAM_NAME.fullmatch(name):
        folders = [layer.folder / OVERRIDES for layer in reversed(chain[1:])] + list(shared)
        for folder in folders:
            path = folder / PICTOGRAMS / f"{name}.svg"
            if path.is_file():
                return path
    known = sorted({path.stem for folder in shared for path in (folder / PICTOGRAMS).glob("*.svg")})
    raise TemplateError(f"unknown pictogram {name!r} (pictograms: {', '.join(known)})")


@dataclass(frozen=True)
class TemplateVersion:
    """One version of a document: its folder, its manifest, and the shared parts it uses:
    `common/<n>/` as its manifest names, then each earlier `common/` folder, which a later
    one builds on (a released one never changes).
    """

    document: str
    folder: Path
    manifest: Manifest
    shared: tuple[Path, ...]

    @property
    def revision(self) -> int:
        """The number of the shared parts it uses: code that words something differently
        for newer versions asks for it, so that older versions keep their output.
        """
        return int(self.manifest.common)

    @property
    def version(self) -> str:
        return self.manifest.version

    def valid_on(self, day: dt.date) -> bool:
        return self.manifest.valid_on(day)


@dataclass(frozen=True)
class Selection:
    """The version chosen for a document date, and warnings when it, a law it cites, or the
    region's guideline is not valid then (R-G1, R-W9, R-W10).
    """

    version: TemplateVersion
    warnings: tuple[str, ...] = ()


def _read_yaml(path: Path, model: type[_Strict]) -> Any:
    """A profile or manifest, read with the case reader's limits (no alias bombs, no tags)."""
    try:
        source = load(path)
        return model.model_validate(as_written(source.data, model, source.written_at))
    except SourceProblem as exc:
        place = exc.position
        raise TemplateError(f"{path}:{place.line}:{place.column}: {exc.message}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise TemplateError(f"{path}: {where}: {first['msg']}") from None


def _layer(folder: Path) -> Layer:
    """The layer in `folder`; its logo must be an SVG, PNG or JPEG file inside the folder."""
    layer = Layer(folder.name, folder, _read_yaml(folder / PROFILE_FILE, Profile))
    if layer.profile.guideline is not None and layer.profile.kind != "region":
        raise TemplateError(
            f"{folder / PROFILE_FILE}: guideline: only a region layer declares a guideline (R-W10)"
        )
    if layer.logo is not None:
        logo = layer.logo.resolve()
        if (
            logo.suffix.lower() not in LOGO_SUFFIXES
            or not logo.is_relative_to(folder.resolve())
            or not logo.is_file()
        ):
            raise TemplateError(
                f"{folder / PROFILE_FILE}: logo: '{layer.profile.logo}' is not an .svg, .png or .jpg "
                "file in the layer folder"
            )
        check_resource(layer.logo)
        check_pixels(layer.logo, layer.logo.read_bytes())
    return layer


def _layer_folders(root: Path) -> list[Path]:
    """The layer folders in `root`, a folder of layers given by --layers or $SIPDOCS_LAYERS
    (relative to the working folder) or the built-in one.
    """
    if not root.is_dir():
        raise TemplateError(f"{root}: the layer folder does not exist")
    if (root / PROFILE_FILE).is_file():
        parent = root.parent if root.name else root.resolve().parent
        raise TemplateError(
            f"{root}: this is a layer itself (it has {PROFILE_FILE}); give the folder that "
            f"holds your layers: --layers {parent}"
        )
    folders = sorted(p for p in root.resolve().iterdir() if (p / PROFILE_FILE).is_file())
    if not folders:
        raise TemplateError(
            f"{root}: no layer in this folder (a layer is a folder with a {PROFILE_FILE})"
        )
    return folders


class Registry:
    """Templates and layers: the built-in ones, after any folders given or in $SIPDOCS_LAYERS."""

    def __init__(self, layer_folders: Sequence[Path] = ()) -> None:
        from_env = [Path(p) for p in os.environ.get(LAYERS_VARIABLE, "").split(os.pathsep) if p]
        self.roots = (*layer_folders, *from_env, TEMPLATES)
        self._environments: dict[tuple[Any, ...], Environment] = {}

    @cached_property
    def layers(self) -> dict[str, Layer]:
        """Every layer by name; a folder given earlier wins over a later one of the same name."""
        found: dict[str, Layer] = {}
        for root in self.roots:
            for folder in _layer_folders(root):
                if folder.name in found or (folder.name == DEFAULT and root != TEMPLATES):
                    continue
                found[folder.name] = _layer(folder)
                log.debug(
                    "layer %s (%s) in %s", folder.name, found[folder.name].profile.kind, folder
                )
        return found

    def checked(self) -> Registry:
        """This registry once its layers are read, so that a wrong layer folder fails now."""
        if DEFAULT not in self.layers:
            raise TemplateError(f"{TEMPLATES}: the built-in layer '{DEFAULT}' is missing")
        return self

    def municipalities(self) -> list[str]:
        return sorted(n for n, layer in self.layers.items() if layer.profile.kind == "municipality")

    def unknown_municipality(self, municipality: str | None) -> str | None:
        """Why `municipality` has no layer, with what to do; None if it has one (or is None)."""
        if municipality is None or municipality in self.municipalities():
            return None
        known = ", ".join(self.municipalities()) or "none"
        return (
            f"unknown municipality '{municipality}' (known: {known}); give the folder that "
            f"holds its layer with --layers or {LAYERS_VARIABLE}"
        )

    def chain(self, municipality: str | None) -> tuple[Layer, ...]:
        """The layers from the default up to the municipality: default, region, municipality."""
        default = self.layers[DEFAULT]
        if municipality is None:
            return (default,)
        if problem := self.unknown_municipality(municipality):
            raise TemplateError(f"case.municipality: {problem}")
        layer = self.layers[municipality]
        region_name = layer.profile.region
        if region_name is None:
            return (default, layer)
        region = self.layers.get(region_name)
        if region is None or region.profile.kind != "region":
            raise TemplateError(
                f"{layer.folder / PROFILE_FILE}: region '{region_name}' is not a known region layer"
            )
        return (default, region, layer)

    @cached_property
    def versions(self) -> dict[str, tuple[TemplateVersion, ...]]:
        """Each document's versions, oldest first."""
        found: dict[str, tuple[TemplateVersion, ...]] = {}
        default = self.layers[DEFAULT].folder
        for document in sorted(p for p in default.iterdir() if p.is_dir() and p.name != COMMON):
            versions = [
                self._version(document.name, folder)
                for folder in document.iterdir()
                if (folder / MANIFEST_FILE).is_file()
            ]
            found[document.name] = tuple(sorted(versions, key=lambda v: v.manifest.valid_from))
        return found

    def _version(self, document: str, folder: Path) -> TemplateVersion:
        """The version in `folder`; the shared parts its manifest names must exist."""
        manifest: Manifest = _read_yaml(folder / MANIFEST_FILE, Manifest)
        common = self.layers[DEFAULT].folder / COMMON / manifest.common
        if not common.is_dir():
            raise TemplateError(
                f"{folder / MANIFEST_FILE}: common: no shared parts version "
                f"'{manifest.common}' ({common} does not exist)"
            )
        earlier = (common.parent / str(n) for n in range(int(manifest.common) - 1, 0, -1))
        shared = (common, *(path for path in earlier if path.is_dir()))
        return TemplateVersion(document, folder, manifest, shared)

    def select(
        self,
        document: str,
        day: dt.date,
        pinned: str | None = None,
        chain: Sequence[Layer] = (),
    ) -> Selection:
        """The version valid on `day`, or the pinned one; warnings when it, a law it cites,
        or the guideline of the chain's region is not valid on `day`.
        """
        versions = self.versions.get(document)
        if not versions:
            raise TemplateError(f"no template versions for document '{document}'")
        if pinned is not None:
            chosen = next((v for v in versions if v.version == pinned), None)
            if chosen is None:
                known = ", ".join(v.version for v in versions)
                raise TemplateError(
                    f"case.templates.{document}: no version '{pinned}' (versions: {known})"
                )
        else:
            valid = [v for v in versions if v.valid_on(day)]
            earlier = [v for v in versions if v.manifest.valid_from <= day]
            chosen = (valid or earlier or list(versions[:1]))[-1]
        return Selection(chosen, tuple(validity_warnings(chosen, chain, day)))

    def environment(
        self, chain: tuple[Layer, ...], version: TemplateVersion, language: str
    ) -> Environment:
        """A sandboxed environment over the layer chain, for one version and one language."""
        key = (tuple(layer.name for layer in chain), version.folder, language)
        environment = self._environments.get(key)
        if environment is None:
            rtl = LANGUAGES[language].rtl
            environment = sandbox(
                translations(language, catalog_folders(chain)),
                loader=LayeredLoader(chain, version.folder, version.shared),
                finalize=isolated if rtl else printable,
                isolate_variables=rtl and version.revision >= 2,
                **HTML_OPTIONS,
            )
            self._environments[key] = environment
        return environment

    def docx_environment(self, chain: tuple[Layer, ...], language: str) -> Environment:
        """The sandboxed environment DOCX templates render in: one file each, no loader."""
        key = ("docx", tuple(layer.name for layer in chain), language)
        environment = self._environments.get(key)
        if environment is None:
            environment = self._environments[key] = sandbox(
                translations(language, catalog_folders(chain)),
                SourceCachingSandbox,
                finalize=isolated_always if LANGUAGES[language].rtl else printable,
            )
        return environment


def venues(chain: Sequence[Layer]) -> dict[str, Venue]:
    """The venues the chain's layers describe; a municipality's entry wins over its region's."""
    return {name: venue for layer in chain for name, venue in layer.profile.venues.items()}


def region_guideline(chain: Sequence[Layer]) -> Guideline | None:
    """The guideline the chain's region layer declares (R-W10), if any."""
    return next((layer.profile.guideline for layer in chain if layer.profile.guideline), None)


def validity_warnings(
    version: TemplateVersion, chain: Sequence[Layer], day: dt.date
) -> Iterator[str]:
    """R-G1: the template version and the region's guideline outside their validity on
    `day`; R-W9: a law the version cites that is not in force on `day`.
    """
    manifest = version.manifest
    if not manifest.valid_on(day):
        yield (
            f"[R-G1] template {version.document} version {manifest.version} is used outside "
            f"its validity ({manifest.period})"
        )
    for law in manifest.laws.values():
        if not law.in_force.valid_on(day):
            yield (
                f"[R-W9] template {version.document} version {manifest.version} rests on "
                f"{law.name}, which is not in force on {day} (in force {law.in_force.period})"
            )
    guideline = region_guideline(chain)
    if guideline is not None and not guideline.valid_on(day):
        region = next(layer for layer in chain if layer.profile.guideline is guideline)
        yield (
            f"[R-G1] the guideline of layer {region.name}, {guideline.label}, is outside its "
            f"validity on {day} ({guideline.period})"
        )


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, where `*` and `**` cannot make a value too large to hold:
    `{{ 'x' * 10**10 }}` is a SecurityError, not 10 GB. (Jinja already caps `range`.)
    """

    intercepted_binops = frozenset({"*", "**"})
    LONGEST = 1_000_000  # items of a string or list made by `*`
    LARGEST_BITS = 100_000  # of a number made by `**`

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                sized = isinstance(sequence, str | list | tuple) and isinstance(times, int)
                if sized and len(sequence) * times > self.LONGEST:
                    raise SecurityError(f"'*' would make more than {self.LONGEST} items")
        elif isinstance(left, int) and isinstance(right, int) and right > 0:
            bits = max(abs(left).bit_length() - 1, 0) * right
            if bits > self.LARGEST_BITS:
                raise SecurityError(
                    f"'**' would make a number of more than {self.LARGEST_BITS} bits"
                )
        return super().call_binop(context, operator, left, right)


class SourceCachingSandbox(BoundedSandbox):
    """A sandbox that compiles each template source once.

    docxtpl hands every part of a DOCX to `from_string` on every render; compiling that XML
    is most of the cost of a DOCX, and the source is the same for every copy.
    """

    CACHED_SOURCES = 256

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            if len(self._compiled) >= self.CACHED_SOURCES:
                self._compiled.clear()
            template = self._compiled[source] = super().from_string(source)
        return template


def sandbox(
    translations: NullTranslations,
    kind: type[ImmutableSandboxedEnvironment] = BoundedSandbox,
    finalize: Callable[[Any], Any] = printable,
    isolate_variables: bool = False,
    **options: Any,
) -> Environment:
    """Jinja's immutable sandbox (bounded) with autoescape, strict undefined names and gettext.

    `finalize` cleans each printed value (see textsafety), and in a right-to-left copy
    bidi-isolates it. `isolate_variables`: the values a translated sentence takes
    (`_('Kontaktperson: %(name)s', name=...)`) are cleaned and isolated by `finalize` too,
    so a Swedish name keeps its order in an Arabic sentence and is one unit beside the next.
    """
    environment = kind(
        autoescape=True,
        undefined=StrictUndefined,
        finalize=finalize,
        extensions=["jinja2.ext.i18n"],
        **options,
    )
    gettext, ngettext = marking_gettext(translations)
    environment.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    if isolate_variables:
        _finalize_variables(environment, finalize)
    return environment


def _finalize_variables(environment: Environment, finalize: Callable[[Any], Any]) -> None:
    """Make `_`, `gettext` and `ngettext` pass each variable through `finalize` first."""

    def finalizing(function: Callable[..., Any]) -> Callable[..., Any]:
        @pass_context
        def call(context: Context, *arguments: Any, **variables: Any) -> Any:
            values = {name: finalize(value) for name, value in variables.items()}
            return context.call(function, *arguments, **values)  # Markup, as Jinja's own

        return call

    environment.globals.update(
        gettext=finalizing(environment.globals["gettext"]),  # type: ignore[arg-type]
        ngettext=finalizing(environment.globals["ngettext"]),  # type: ignore[arg-type]
    )


def docx_template(chain: Sequence[Layer], version: TemplateVersion) -> Path:
    """The highest layer's DOCX replacement, else the version's own DOCX template.

    A DOCX template is replaced as a whole file: Word has no blocks to override, so a
    replacement holds the wording of the version it was made from. A layer's
    `overrides/<n>/<document>.docx` replaces version n; `overrides/<document>.docx` replaces
    every version that has no replacement of its own.
    """
    name = f"{version.document}{DOCX_SUFFIX}"
    for layer in reversed(chain[1:]):
        path = layer.override(f"{version.version}/{name}") or layer.override(name)
        if path is not None:
            return path
    path = version.folder / name
    if not path.is_file():
        raise TemplateError(f"{path}: the DOCX template is missing")
    return path


# `{% extends "kallelse/1/kallelse.html" %}` or `{% import "common/1/parts.html" ... %}`
_EXTENDS_VERSION = re.compile(r"""\{%-?\s*(?:extends|import)\s+["']([a-z]+/[0-9]+/[^"']+)["']""")


def source_files(chain: Sequence[Layer], version: TemplateVersion, name: str) -> list[Path]:
    """The files a template is made of: the released version's file it extends, if any, the
    version's own (or its shared parts'), then each layer's override of it, lowest first.
    """
    folders = (version.folder, *version.shared)
    own = next((folder / name for folder in folders if (folder / name).is_file()), None)
    overrides = [path for layer in chain[1:] if (path := layer.override(name))]
    inherited: list[Path] = []
    path = own
    while path is not None and (found := _EXTENDS_VERSION.search(_read(path))):
        parent = chain[0].folder.joinpath(*split_template_path(found.group(1)))
        path = parent if parent.is_file() else None
        inherited[:0] = [parent] if path else []
    return inherited + ([own] if own else []) + overrides


class LayeredLoader(BaseLoader):
    """Finds `name` in the highest layer that overrides it, else in the version's folder or
    the shared parts it uses (`common/<n>/`, then the earlier ones); `kallelse/1/kallelse.html`
    names a file of another version, which a new version extends.

    `@layer/name` asks for one layer's file. A layer's file is made to extend the next layer
    below that has the same file, so it can only redefine blocks.
    """

    def __init__(
        self, chain: tuple[Layer, ...], version_folder: Path, shared: Sequence[Path]
    ) -> None:
        self.chain = chain
        self.version_folder = version_folder
        self.shared = tuple(shared)

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        layer_name, _, name = (
            template[1:].partition("/") if template.startswith("@") else ("", "", template)
        )
        pieces = split_template_path(name)
        names = [layer.name for layer in self.chain]
        if layer_name and layer_name not in names:
            raise TemplateNotFound(template)
        level = names.index(layer_name) if layer_name else len(self.chain) - 1
        for index in range(level, 0, -1):
            path = self.chain[index].override(name)
            if path is not None:
                source = _read(path)
                if refusals := template_refusals(source, name, environment):
                    line, reason = refusals[0]
                    raise TemplateError(f"{path}:{line}: refused: {reason}")
                parent = next(
                    (
                        f"@{self.chain[i].name}/{name}"
                        for i in range(index - 1, 0, -1)
                        if self.chain[i].override(name)
                    ),
                    f"@{DEFAULT}/{name}",
                )
                return _source(path, source, f'{{% extends "{parent}" %}}')
        # A name with a folder, `kallelse/1/kallelse.html` or `common/1/base.html`, is another
        # version's file: a new version extends it and overrides its blocks.
        folders = (
            self.version_folder,
            *self.shared,
            *([self.chain[0].folder] if len(pieces) > 1 else []),
        )
        for folder in folders:
            path = folder.joinpath(*pieces)
            if path.is_file():
                return _source(path, _read(path))
        raise TemplateNotFound(template)


def _read(path: Path) -> str:
    check_resource(path)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TemplateError(f"{path}: not UTF-8 text") from None


def _source(path: Path, source: str, prefix: str = "") -> tuple[str, str, Callable[[], bool]]:
    mtime = path.stat().st_mtime
    # The prefix shares the first line, so line numbers in errors stay those of the file.
    return prefix + source, str(path), lambda: path.stat().st_mtime == mtime


def overview(registry: Registry) -> list[str]:
    """Documents with their versions, validity, shared parts and basis, then the layers
    with any guideline they declare: what `templates list` shows.
    """
    lines = ["Documents:"]
    for document, versions in registry.versions.items():
        for version in versions:
            manifest = version.manifest
            lines.append(
                f"  {document:<12} version {manifest.version:<4} valid {manifest.period}  "
                f"common {manifest.common}  basis: {manifest.basis}"
            )
    lines.append("Layers:")
    for name, layer in registry.layers.items():
        profile = layer.profile
        overrides = sorted(
            path.relative_to(layer.folder / OVERRIDES).as_posix()
            for path in (layer.folder / OVERRIDES).rglob("*")
            if path.is_file()
        )
        details = [profile.kind, *([profile.name] if profile.name else [])]
        if profile.region:
            details.append(f"region {profile.region}")
        if profile.guideline:
            guideline = profile.guideline
            details.append(f"guideline {guideline.label} valid {guideline.period}")
        if profile.logo:
            details.append(f"logo {profile.logo}")
        if overrides:
            details.append(f"overrides {', '.join(overrides)}")
        lines.append(f"  {name:<12} {', '.join(details)}  ({layer.folder})")
    return lines


_STARTER_LAYER = """\
# The {kind} layer '{name}', started by `sipdocs layer new`. docs/layers.md explains
# each field. Every field but kind may be left out; what this layer leaves out comes
# from {below}.
kind: {kind}
name: {name}                     # the organisation as the letterhead shows it
{region}# logo: logo.svg                 # an .svg or .png in this folder
# logo_alt: "..."                # what the logo shows, for screen readers
# address: {{street: "...", postal_code: "123 45", city: ...}}
# phone: "0123-456 00"
# email: info@{name}.example
# org_number: "212000-0000"
# web: https://www.{name}.example
# colours: {{accent: "#24527a", text: "#1a1a1a", muted: "#595959"}}
# footer: "..."                  # the line at the foot of every page
{guideline}"""

_STARTER_GUIDELINE = """\
# guideline:                     # the region's SIP guideline (R-W10), see docs/templates.md
#   name: "..."
#   version: "1"
#   record_number: "..."
#   valid_from: 2026-01-01
"""


def write_starter_layer(
    folder: Path, name: str, kind: Literal["municipality", "region"], region: str | None = None
) -> Path:
    """Start the layer `name` in `folder`: a commented layer.yaml and an empty overrides/
    folder. Returns the layer's folder; an existing one is never overwritten.
    """
    if not _LAYER_NAME.fullmatch(name):
        raise UsageError(
            f"layer name '{name}': 1 to 40 letters, digits, '-' or '_', starting with a letter "
            "or digit (cases name it in case.municipality)"
        )
    if region is not None and kind != "municipality":
        raise UsageError("--region: only a municipality layer belongs to a region")
    layer = folder / name
    if layer.exists():
        raise UsageError(f"{layer} exists; choose another name or folder")
    below = f"the region '{region}', then the default" if region else "the default layer"
    text = _STARTER_LAYER.format(
        kind=kind,
        name=name,
        below=below,
        region=f"region: {region}\n" if region else "",
        guideline=_STARTER_GUIDELINE if kind == "region" else "",
    )
    (layer / OVERRIDES).mkdir(parents=True)
    (layer / PROFILE_FILE).write_text(text, encoding="utf-8")
    return layer
