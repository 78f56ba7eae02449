"""The map's one error, importable without loading shapely."""


class MapError(Exception):
    """The map cannot be used; the message names the file and what is wrong."""
