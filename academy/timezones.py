"""Time zones: which zones exist, and moving a wall-clock time in one of them to UTC.

Times are stored as aware UTC. A page shows them in the reader's zone (their own
choice, else their organisation's, else the platform's ``ACADEMY_TIME_ZONE``), and a
form that asks for a time reads it in that zone too. Nothing here needs a request.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pytz


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    """The zones a person may choose: the IANA regions ("Asia/Shanghai"), sorted, plus UTC."""
    # Flask-Babel formats with pytz, so a zone must be known to both databases.
    regions = {
        name
        for name in available_timezones() & pytz.all_timezones_set
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    }
    return ("UTC", *sorted(regions))


def is_time_zone(name: str | None) -> bool:
    """Whether ``name`` is a zone the platform knows."""
    if not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return name in time_zone_names()


def local_to_utc(value: datetime | None, zone: str) -> datetime | None:
    """A wall-clock time read from a form in ``zone``, as aware UTC (aware values pass through)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(UTC)


def utc_to_local(value: datetime | None, zone: str) -> datetime | None:
    """An aware UTC time as the naive wall-clock time a form field shows in ``zone``."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
