"""A store's time zone, from its address: what "09:00" means for that store.

Google's Location has no time-zone field. Most countries have one zone; for the few
with several, the state or province decides (US, Canada, Australia, Brazil, Mexico),
and anything unknown falls back to the workspace's `timezone` setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from localcx.errors import UsageError

SINGLE_ZONE = {
    "JP": "Asia/Tokyo", "KR": "Asia/Seoul", "TW": "Asia/Taipei", "HK": "Asia/Hong_Kong",
    "SG": "Asia/Singapore", "TH": "Asia/Bangkok", "VN": "Asia/Ho_Chi_Minh", "PH": "Asia/Manila",
    "IN": "Asia/Kolkata", "CN": "Asia/Shanghai", "GB": "Europe/London", "IE": "Europe/Dublin",
    "FR": "Europe/Paris", "DE": "Europe/Berlin", "IT": "Europe/Rome", "ES": "Europe/Madrid",
    "NL": "Europe/Amsterdam", "BE": "Europe/Brussels", "CH": "Europe/Zurich", "AT": "Europe/Vienna",
    "SE": "Europe/Stockholm", "NO": "Europe/Oslo", "DK": "Europe/Copenhagen", "FI": "Europe/Helsinki",
    "PL": "Europe/Warsaw", "PT": "Europe/Lisbon", "NZ": "Pacific/Auckland",
}
US_STATES = {
    **dict.fromkeys(["CT", "DE", "DC", "FL", "GA", "IN", "KY", "ME", "MD", "MA", "MI", "NH", "NJ", "NY", "NC", "OH", "PA", "RI", "SC", "VT", "VA", "WV"], "America/New_York"),
    **dict.fromkeys(["AL", "AR", "IL", "IA", "KS", "LA", "MN", "MS", "MO", "NE", "ND", "OK", "SD", "TN", "TX", "WI"], "America/Chicago"),
    **dict.fromkeys(["CO", "MT", "NM", "UT", "WY", "ID"], "America/Denver"),
    "AZ": "America/Phoenix",
    **dict.fromkeys(["CA", "NV", "OR", "WA"], "America/Los_Angeles"),
    "AK": "America/Anchorage",
    "HI": "Pacific/Honolulu",
}
BY_AREA = {"US": US_STATES}


def zone(name: str) -> ZoneInfo:
    """A zone by IANA name, or a clear error with examples."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"unknown time zone {name!r}", hint="use an IANA name such as Asia/Tokyo or America/Los_Angeles"
        ) from None


def store_zone(location: Mapping[str, Any], default: str) -> ZoneInfo:
    """The zone of a store (Google's Location JSON), else `default`."""
    address = location.get("storefrontAddress") or {}
    country = str(address.get("regionCode") or "").upper()
    area = str(address.get("administrativeArea") or "").upper()
    name = BY_AREA.get(country, {}).get(area) or SINGLE_ZONE.get(country) or default
    return zone(name)
