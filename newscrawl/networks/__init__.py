"""Network families: one declarative profile per CMS family, looked up by name.

Adding a family is one module with a ``PROFILE`` plus its fixtures under tests/fixtures/<name>/,
and its name in ``NETWORK_NAMES``. Nothing here may name a portal's host.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newscrawl.networks.base import Profile

# Order matters for detection: specific families first, generic last.
NETWORK_NAMES: tuple[str, ...] = ("prmn", "tribun", "suara", "detik", "kompas", "radar", "generic")

_PROFILES: dict[str, Profile] = {}


def get_profile(name: str) -> Profile:
    """Return the profile of family `name` (KeyError for an unknown name)."""
    if name not in NETWORK_NAMES:
        raise KeyError(name)
    profile = _PROFILES.get(name)
    if profile is None:
        profile = import_module(f"newscrawl.networks.{name}").PROFILE
        _PROFILES[name] = profile
    return profile


def all_profiles() -> tuple[Profile, ...]:
    """Every family's profile, in detection order."""
    return tuple(get_profile(name) for name in NETWORK_NAMES)
