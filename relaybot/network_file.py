"""The network file: which chats exist, how they hang together, and the house policy.

``config/network.toml`` is parsed with :mod:`tomllib`, checked section by section with
pydantic models, then checked as a whole (unique slugs and chat ids, adjacency that names
real neighbourhoods). Every problem becomes one line of a :class:`NetworkError` that names
the file and the offending entry. The result is the domain's frozen
:class:`~relaybot.domain.network.Network` (plain dataclasses, no pydantic), with the
adjacency graph made symmetric and the kernen indexed, so routing is a plain lookup.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from relaybot.domain.network import Neighbourhood, Network, Policy, kern_key

__all__ = ["RESERVED_SLUGS", "SLUG_PATTERN", "NetworkError", "load_network", "parse_network"]

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Words that `/doorsturen` reads as targets; a slug with one of these names could never be
# addressed on its own.
RESERVED_SLUGS = frozenset({"alle", "all", "buren", "neighbours", "neighbors"})


def _no_control_characters(value: str, info: ValidationInfo) -> str:
    """Names end up in every alert and in the logs' chat lines: a NUL, a line break or a
    right-to-left override in one would garble or disguise them."""
    for char in value:
        if is_control(char):
            raise ValueError(
                f"{info.field_name} {value[:40]!r} contains the control character "
                f"U+{ord(char):04X}; names may not hold control characters"
            )
    return value


_CONTROL_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})  # C0/C1 controls, line/paragraph breaks
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_control(char: str) -> bool:
    """A character no name may hold: a C0/C1 control, a line or paragraph break, or a
    direction override (`relaybot discover` takes them out of group titles)."""
    return unicodedata.category(char) in _CONTROL_CATEGORIES or char in _BIDI_CONTROLS


_NonEmpty = Annotated[
    str,
    StringConstraints(strict=True, strip_whitespace=True, min_length=1),
    AfterValidator(_no_control_characters),
]
_ChatId = Annotated[int, Field(strict=True, lt=0)]  # groups have negative ids
_AreaCode = Annotated[
    str,
    StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=40),
    AfterValidator(_no_control_characters),
]


class _PolicySection(BaseModel):
    """The ``[policy]`` table: every key optional, defaults as in the spec."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    auto_forward_adjacent: bool = Field(default=True, strict=True)
    incident_ttl_hours: float = Field(default=12, gt=0, strict=True, allow_inf_nan=False)
    flag_window_minutes: float = Field(default=60, gt=0, strict=True, allow_inf_nan=False)
    max_warnings: int = Field(default=3, ge=1, strict=True)
    inactive_days: int = Field(default=60, ge=1, strict=True)
    show_author_names: bool = Field(default=False, strict=True)
    # an unknown group that has not asked to be linked (/koppel) within this long is left
    unknown_group_hours: float = Field(default=24, gt=0, strict=True, allow_inf_nan=False)
    # an incident's text, names and notes are erased this long after it closes
    retention_days: int = Field(default=90, ge=1, strict=True)
    warning_days: float = Field(default=90, gt=0, strict=True, allow_inf_nan=False)
    flood_per_minute: int = Field(default=10, ge=1, strict=True)
    digest: str = Field(default="monday 09:00", strict=True)  # "" = no weekly digest
    cards_per_minute: int = Field(default=6, ge=1, strict=True)
    signups_per_hour: int = Field(default=20, ge=1, strict=True)
    alert_radius_m: float = Field(default=0, ge=0, le=50_000, allow_inf_nan=False)
    round_max_hours: float = Field(default=4, gt=0, le=24, allow_inf_nan=False)
    start_group_at: int = Field(default=5, ge=2, strict=True)

    @field_validator("digest")
    @classmethod
    def _digest_time(cls, value: str) -> str:
        from relaybot.domain.schedule import parse_weekly

        parse_weekly(value)  # raises ValueError with a line an operator can act on
        return value.strip()


class _NeighbourhoodEntry(BaseModel):
    """One ``[[neighbourhood]]`` entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    slug: str = Field(strict=True)
    name: _NonEmpty
    kern: _NonEmpty
    chat_id: _ChatId | None = None
    adjacent: tuple[_NonEmpty, ...] = ()
    streets: tuple[_NonEmpty, ...] = ()
    signs: int = Field(default=0, ge=0, le=5, strict=True)  # attention signs placed
    vests_eur: float = Field(default=0, ge=0, le=250, strict=True, allow_inf_nan=False)
    # CBS buurt codes in the [map] file: `areas` a list, `area` one
    areas: tuple[_AreaCode, ...] = ()
    area: _AreaCode | None = None

    @model_validator(mode="after")
    def _one_way_to_give_areas(self) -> _NeighbourhoodEntry:
        if self.area is not None and self.areas:
            raise ValueError("give either area (one buurt) or areas (a list), not both")
        return self

    def all_areas(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.area,) if self.area is not None else self.areas))

    @field_validator("slug")
    @classmethod
    def _slug_shape(cls, value: str) -> str:
        if not SLUG_PATTERN.match(value):
            raise ValueError("slug must be lowercase letters, digits and '-'")
        if value in RESERVED_SLUGS:
            raise ValueError(f"slug {value!r} is reserved as a /doorsturen target")
        return value

    @field_validator("kern")
    @classmethod
    def _kern_filled_in(cls, value: str) -> str:
        if value.upper() == "TODO":  # the placeholder `relaybot discover` writes
            raise ValueError(
                "kern is still 'TODO': write the village or town the neighbourhood lies in"
            )
        return value

    @field_validator("adjacent")
    @classmethod
    def _dedupe(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value))


class _NetworkSection(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: _NonEmpty
    timezone: str = Field(default="Europe/Amsterdam", strict=True)
    # optional: the municipality's contact line, given in sign-up answers
    contact: Annotated[str, StringConstraints(strict=True, strip_whitespace=True)] = ""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{value!r} is not a known time zone (use a name such as 'Europe/Amsterdam')"
            ) from None
        return value


class _MapSection(BaseModel):
    """The ``[map]`` table: the buurten's GeoJSON, relative to the network file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: _NonEmpty


class _ChatSection(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    chat_id: _ChatId


class _NetworkFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    network: _NetworkSection
    regie: _ChatSection
    coordinators: _ChatSection | None = None
    policy: _PolicySection = _PolicySection()
    map: _MapSection | None = None
    neighbourhood: list[_NeighbourhoodEntry] = []


class NetworkError(Exception):
    """The network file is missing or wrong; one line per problem, each naming the file."""

    def __init__(self, source: str, problems: Iterable[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__("\n".join(f"{source}: {problem}" for problem in self.problems))


def load_network(path: Path | str) -> Network:
    """Read and validate the network file at ``path``."""
    path = Path(path)
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NetworkError(
            source,
            [
                "file not found (copy config/network.example.toml there, or point "
                "RELAYBOT_NETWORK_FILE at your network file)"
            ],
        ) from None
    except OSError as exc:
        raise NetworkError(source, [f"cannot be read: {exc.strerror or exc}"]) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NetworkError(source, [f"is not UTF-8 text (byte {exc.start})"]) from None
    return _build(text, source, path)


def parse_network(text: str, source: str = "<inline>") -> Network:
    """Validate a network file given as text; ``source`` names it in error messages."""
    return _build(text, source, Path(source))


def _build(text: str, source: str, path: Path) -> Network:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NetworkError(source, [f"is not valid TOML: {exc}"]) from None
    except RecursionError:
        raise NetworkError(source, [_TOO_DEEP]) from None
    try:
        parsed = _NetworkFile.model_validate(data)
    except ValidationError as exc:
        try:
            problems = _describe_errors(exc, data)
        except RecursionError:
            problems = [_TOO_DEEP]
        raise NetworkError(source, problems) from None
    except RecursionError:
        raise NetworkError(source, [_TOO_DEEP]) from None
    problems = _cross_check(parsed)
    map_file = path.parent / parsed.map.file if parsed.map is not None else None
    if map_file is not None and not map_file.is_file():
        problems.append(f"[map].file: no map at {map_file} (`relaybot map import` writes one)")
    if problems:
        raise NetworkError(source, problems)
    return Network(
        name=parsed.network.name,
        timezone=ZoneInfo(parsed.network.timezone),
        regie_chat_id=parsed.regie.chat_id,
        coordinators_chat_id=parsed.coordinators.chat_id if parsed.coordinators else None,
        policy=Policy(**dict(parsed.policy)),
        neighbourhoods={hood.slug: _neighbourhood(hood) for hood in parsed.neighbourhood},
        source_path=path,
        contact=parsed.network.contact,
        map_file=map_file,
    )


def _neighbourhood(entry: _NeighbourhoodEntry) -> Neighbourhood:
    fields = entry.model_dump(exclude={"area", "areas"})
    return Neighbourhood(**fields, areas=entry.all_areas())


_TOO_DEEP = (
    "is nested too deeply (lists or tables inside each other); a network file needs at most "
    "a list of names inside a [[neighbourhood]] entry"
)


def _cross_check(parsed: _NetworkFile) -> list[str]:
    """The rules that span entries: unique slugs and chat ids, real adjacency, one kern spelling."""
    problems: list[str] = []
    hoods = parsed.neighbourhood

    positions: dict[str, list[int]] = {}
    for index, hood in enumerate(hoods, start=1):
        positions.setdefault(hood.slug, []).append(index)
    for slug, where in positions.items():
        if len(where) > 1:
            entries = _join([f"#{i}" for i in where])
            problems.append(f"neighbourhood {slug!r}: slug is used by entries {entries}")

    owners: dict[int, list[str]] = {}
    owners.setdefault(parsed.regie.chat_id, []).append("[regie]")
    if parsed.coordinators is not None:
        owners.setdefault(parsed.coordinators.chat_id, []).append("[coordinators]")
    for hood in hoods:
        if hood.chat_id is not None:
            owners.setdefault(hood.chat_id, []).append(f"neighbourhood {hood.slug!r}")
    for chat_id, who in owners.items():
        if len(who) > 1:
            both = "both " if len(who) == 2 else ""
            problems.append(f"chat_id {chat_id} is used by {both}{_join(who)}")

    slugs = list(positions)
    for hood in hoods:
        for other in hood.adjacent:
            if other == hood.slug:
                problems.append(f"neighbourhood {hood.slug!r}: adjacent lists itself")
            elif other not in positions:
                hint = difflib.get_close_matches(other, slugs, n=1)
                guess = f" (did you mean {hint[0]!r}?)" if hint else ""
                problems.append(
                    f"neighbourhood {hood.slug!r}: adjacent {other!r} is not a neighbourhood "
                    f"in this file{guess}"
                )

    covered: dict[str, str] = {}
    for hood in hoods:
        for code in hood.all_areas():
            first = covered.setdefault(code, hood.slug)
            if first != hood.slug:
                problems.append(
                    f"neighbourhood {hood.slug!r}: area {code!r} is also {first!r}'s; "
                    "a buurt belongs to one neighbourhood"
                )

    spellings: dict[str, str] = {}
    for hood in hoods:
        first = spellings.setdefault(kern_key(hood.kern), hood.kern)
        if first != hood.kern:
            problems.append(
                f"neighbourhood {hood.slug!r}: kern {hood.kern!r} is also written {first!r}; "
                "use one spelling"
            )
    return problems


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


# --- turning pydantic's errors into lines an operator can act on -------------------------

_SECTIONS = {"network", "regie", "coordinators", "policy", "map"}
_TOP_KEYS = sorted(_NetworkFile.model_fields)


def _describe_errors(exc: ValidationError, data: dict[str, Any]) -> list[str]:
    lines = [_describe(error, data) for error in exc.errors(include_url=False)]
    return list(dict.fromkeys(lines))


def _describe(error: Any, data: dict[str, Any]) -> str:
    loc = list(error["loc"])
    kind = error["type"]
    if not loc:
        return _problem(error)
    head = loc.pop(0)
    if head == "neighbourhood" and loc and isinstance(loc[0], int):
        entry = _neighbourhood_entry(data, loc.pop(0))
    elif head in _SECTIONS or head == "neighbourhood":
        entry = "[[neighbourhood]]" if head == "neighbourhood" else f"[{head}]"
        if not loc and kind == "missing":
            return f"{entry} is missing{_MISSING_HINTS.get(str(head), '')}"
    else:
        if kind == "extra_forbidden":
            return f"unknown key {head!r}{_did_you_mean(str(head), _TOP_KEYS)}"
        entry = str(head)
    if not loc:
        return f"{entry}: {_problem(error)}"
    key = str(loc[0])
    if kind == "extra_forbidden" and len(loc) == 1:
        allowed = _allowed_keys(str(head))
        return f"{entry}: unknown key {key!r}{_did_you_mean(key, allowed)}"
    where = key + "".join(f"[{part}]" for part in loc[1:])
    if head in _SECTIONS:
        return f"[{head}].{where}: {_problem(error)}"
    if kind == "value_error":
        return f"{entry}: {_problem(error)}"
    return f"{entry}: {where} {_problem(error)}"


_MISSING_HINTS = {
    "network": ' (it needs at least: name = "...")',
    "regie": " (the regiegroep is required: [regie] with chat_id = ...)",
}

_TYPE_NAMES = {
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "string_type": "text in quotes",
    "list_type": "a list",
    "tuple_type": "a list",
    "model_type": "a table",
    "dict_type": "a table",
    "model_attributes_type": "a table",
}


def _problem(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = f" (got {_cut(repr(error.get('input')))})" if "input" in error else ""
    if kind == "missing":
        return "is missing"
    if kind in _TYPE_NAMES:
        return f"must be {_TYPE_NAMES[kind]}{got}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "greater_than":
        return f"must be greater than {ctx.get('gt')}{got}"
    if kind == "greater_than_equal":
        return f"must be at least {_number(ctx.get('ge'))}{got}"
    if kind == "less_than_equal":
        return f"must be at most {_number(ctx.get('le'))}{got}"
    if kind == "finite_number":
        return f"must be a finite number{got}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    message = str(error["msg"])
    return f"{message[:1].lower()}{message[1:]}{got}"


def _cut(text: str, limit: int = 80) -> str:
    """An echo of the input, cut so that one problem stays one readable line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: Any) -> Any:
    """250.0 -> 250: a limit reads as the operator would write it."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _neighbourhood_entry(data: dict[str, Any], index: int) -> str:
    entries = data.get("neighbourhood")
    raw = entries[index] if isinstance(entries, list) and index < len(entries) else None
    slug = raw.get("slug") if isinstance(raw, dict) else None
    if isinstance(slug, str) and slug.strip():
        return f"neighbourhood {slug!r}"
    return f"neighbourhood #{index + 1}"


def _allowed_keys(head: str) -> list[str]:
    models: dict[str, type[BaseModel]] = {
        "network": _NetworkSection,
        "regie": _ChatSection,
        "coordinators": _ChatSection,
        "policy": _PolicySection,
        "map": _MapSection,
        "neighbourhood": _NeighbourhoodEntry,
    }
    model = models.get(head)
    return sorted(model.model_fields) if model else []


def _did_you_mean(word: str, choices: list[str]) -> str:
    hint = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {hint[0]!r}?)" if hint else ""
