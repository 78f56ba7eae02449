"""Geography: the CBS buurten a network covers, read from GeoJSON with shapely.

Every shape is held in RD New metres (EPSG:28992), whatever the file's coordinates: borders
are measured and radii drawn in metres, and a point from Telegram (WGS84) is projected before
it is looked up. The domain never sees a shape: it is given codes, slugs and distances.

This package file imports nothing, so that `relaybot.geo.errors` is cheap to import; shapely
and pyproj load with the modules that use them.
"""
