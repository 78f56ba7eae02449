"""The network's frozen values: which chats exist, how they hang together, and the house
policy. The domain routes on these; relaybot/network_file.py reads them from the network file
(TOML, checked with pydantic), and tests and benchmarks may build them in code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Policy:
    """The house policy (the file's ``[policy]`` table), defaults as in the spec."""

    auto_forward_adjacent: bool = True
    incident_ttl_hours: float = 12
    flag_window_minutes: float = 60
    max_warnings: int = 3
    inactive_days: int = 60
    show_author_names: bool = False
    # an unknown group that has not asked to be linked (/koppel) within this long is left
    unknown_group_hours: float = 24
    # an incident's text, names and notes are erased this long after it closes
    retention_days: int = 90
    warning_days: float = 90
    flood_per_minute: int = 10
    digest: str = "monday 09:00"  # "" = no weekly digest
    cards_per_minute: int = 6  # sign-up cards and other cards sent to one chat a minute
    signups_per_hour: int = 20  # new sign-up cards a network an hour; the rest try later
    alert_radius_m: float = 0  # a located alert also reaches areas this near (0 = off)
    round_max_hours: float = 4  # a surveillance round left open ends itself after this
    start_group_at: int = 5  # waiting residents of one street or buurt that make a card

    @property
    def incident_ttl(self) -> timedelta:
        """How long an open incident lives before it expires."""
        return timedelta(hours=self.incident_ttl_hours)

    @property
    def flag_window(self) -> timedelta:
        """How recent an incident must be for an untargeted 112 report."""
        return timedelta(minutes=self.flag_window_minutes)

    @property
    def inactive_after(self) -> timedelta:
        """How long a neighbourhood may be quiet before it is reported as inactive."""
        return timedelta(days=self.inactive_days)


@dataclass(frozen=True)
class Neighbourhood:
    """One neighbourhood (a ``[[neighbourhood]]`` entry).

    ``adjacent`` is what the file lists; use :meth:`Network.neighbours` for the symmetric
    adjacency that routing needs.
    """

    slug: str
    name: str
    kern: str
    chat_id: int | None = None
    adjacent: tuple[str, ...] = ()
    streets: tuple[str, ...] = ()
    signs: int = 0  # attention signs placed
    vests_eur: float = 0
    areas: tuple[str, ...] = ()  # CBS buurt codes ("BU07530001") the neighbourhood covers


@dataclass(frozen=True)
class Network:
    """The validated network: chats, kernen, symmetric adjacency and policy."""

    name: str
    timezone: ZoneInfo
    regie_chat_id: int
    coordinators_chat_id: int | None
    policy: Policy
    neighbourhoods: Mapping[str, Neighbourhood]  # by slug, in file order; read-only
    source_path: Path
    contact: str = ""  # the municipality's contact line ("" when the file gives none)
    map_file: Path | None = None  # the buurten's GeoJSON ([map] file), resolved
    _neighbours: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _kernen: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _by_chat_id: Mapping[int, Neighbourhood] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        hoods = MappingProxyType(dict(self.neighbourhoods))
        linked: dict[str, set[str]] = {slug: set() for slug in hoods}
        for hood in hoods.values():
            for other in hood.adjacent:
                if other in linked and other != hood.slug:
                    linked[hood.slug].add(other)
                    linked[other].add(hood.slug)
        position = {slug: index for index, slug in enumerate(hoods)}  # file order
        neighbours = {slug: tuple(sorted(linked[slug], key=position.__getitem__)) for slug in hoods}
        kernen: dict[str, list[str]] = {}
        for hood in hoods.values():
            kernen.setdefault(hood.kern, []).append(hood.slug)
        by_chat = {h.chat_id: h for h in hoods.values() if h.chat_id is not None}
        object.__setattr__(self, "neighbourhoods", hoods)
        object.__setattr__(self, "_neighbours", MappingProxyType(neighbours))
        object.__setattr__(
            self, "_kernen", MappingProxyType({k: tuple(v) for k, v in kernen.items()})
        )
        object.__setattr__(self, "_by_chat_id", MappingProxyType(by_chat))

    def neighbours(self, slug: str) -> tuple[str, ...]:
        """Slugs adjacent to ``slug`` in either direction, in file order.

        Raises :class:`KeyError` for a slug that is not in the network.
        """
        try:
            return self._neighbours[slug]
        except KeyError:
            raise KeyError(f"no neighbourhood {slug!r} in {self.source_path}") from None

    def kernen(self) -> dict[str, tuple[str, ...]]:
        """Kern name -> its neighbourhoods' slugs; kernen and slugs in file order."""
        return dict(self._kernen)

    def find_kern(self, name: str) -> str | None:
        """The kern's name as written in the file, matched ignoring case, '-' and spacing."""
        wanted = kern_key(name)
        return next((kern for kern in self._kernen if kern_key(kern) == wanted), None)

    def by_chat_id(self, chat_id: int) -> Neighbourhood | None:
        """The neighbourhood whose ``chat_id`` in the file is ``chat_id``, if any."""
        return self._by_chat_id.get(chat_id)

    def by_area(self) -> dict[str, str]:
        """Buurt code -> the slug of the neighbourhood that covers it."""
        return {code: hood.slug for hood in self.neighbourhoods.values() for code in hood.areas}


def kern_key(name: str) -> str:
    """A kern's name as compared: ignoring case, '-', '_' and spacing."""
    return " ".join(name.replace("-", " ").replace("_", " ").split()).casefold()
