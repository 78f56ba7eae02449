"""The waiting list for streets without a group: which area a resident waits in (their
street), and when the regiegroep hears of it. Pure."""

from __future__ import annotations

from relaybot.domain.signup import parse_address, street_key

__all__ = ["BUTTONS", "PREFIX", "area_of"]

PREFIX = "wachtlijst"
BUTTONS = r"^wachtlijst:(ok|no):\d+$"  # the admission card: admit them all, or not yet


def area_of(address: str) -> tuple[str, str]:
    """(key, name) of the street an address lies in: 'Kerkakker 12' -> ('kerkakker',
    'Kerkakker'). Residents who write a street alike ('kerk akker', 'Kerkakker') share a key."""
    parsed = parse_address(address)
    street = parsed.street if parsed is not None else address.strip()
    return street_key(street), street
