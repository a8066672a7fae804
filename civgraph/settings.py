"""Thresholds the policy leaves open, as documented and overridable settings.

Defaults live in ``settings.toml`` beside this module; nothing numeric is written into a query.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from civgraph.errors import InputError

DEFAULTS_FILE = Path(__file__).with_name("settings.toml")


class SettingError(InputError):
    """A setting name or value that cannot be used."""


@dataclass(frozen=True, kw_only=True)
class Settings:
    """The engine's thresholds (see ``settings.toml`` for what each means)."""

    long_unresolved_days: int
    assessment_grace_days: int
    circulation_grace_days: int
    persisting_escalation_days: int

    @classmethod
    def defaults(cls) -> Settings:
        with DEFAULTS_FILE.open("rb") as handle:
            raw = tomllib.load(handle)
        return cls(**{f.name: int(raw[f.name]) for f in fields(cls)})

    def with_overrides(self, pairs: list[str] | tuple[str, ...]) -> Settings:
        """Apply ``key=value`` overrides; unknown keys and non-integers are errors."""
        known = {f.name for f in fields(self)}
        changes: dict[str, int] = {}
        for pair in pairs:
            key, sep, value = pair.partition("=")
            key = key.strip().replace("-", "_")
            if not sep:
                raise SettingError(f"setting {pair!r} is not of the form key=value")
            if key not in known:
                raise SettingError(
                    f"unknown setting {key!r}; known settings: {', '.join(sorted(known))}"
                )
            try:
                number = int(value.strip())
            except ValueError:
                raise SettingError(f"setting {key} needs a whole number, got {value!r}") from None
            if number < 0:
                raise SettingError(f"setting {key} cannot be negative, got {number}")
            changes[key] = number
        return replace(self, **changes)
