"""A shared location or venue as the line every chat's alert shows."""

from __future__ import annotations


def location_line(lat: float, lon: float, title: str = "", address: str = "") -> str:
    """'📍 Kerkplein, Markt 1 · 52.23525, 6.50711 · https://www.openstreetmap.org/...': the
    venue's name and address when it has them, the point and a link to a map of it."""
    named = ", ".join(part for part in (title.strip(), address.strip()) if part)
    link = (
        f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"
    )
    return " · ".join(
        part for part in (f"📍 {named}" if named else "📍", f"{lat:.5f}, {lon:.5f}", link) if part
    )
