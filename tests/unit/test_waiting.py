"""The waiting list's areas: residents of one street wait together, however they spell it."""

from __future__ import annotations

from relaybot.domain.waiting import area_of


def test_one_street_spelt_alike_is_one_area() -> None:
    """Case, spaces and accents do not split a street; the house number is not part of it."""
    assert area_of("Kerkakker 12") == ("kerkakker", "Kerkakker")
    assert area_of("kerk akker 3a")[0] == "kerkakker"
    assert area_of("Kérkakker 5-2")[0] == "kerkakker"
    assert area_of("Kerkakker 12")[0] != area_of("Kerkstraat 12")[0]
