"""Age-appropriate default settings (the `childsafe defaults` command)."""

from typing import Any, Dict, Optional

from ._calls import call_json, utf8
from ._library import library

__all__ = ["defaults", "default_setting", "version"]


def defaults(age: Optional[int] = None, *, band: Optional[str] = None, birth_date: Optional[str] = None,
             on: Optional[str] = None) -> Dict[str, Any]:
    """The default settings as a dict, for an ``age`` in years (None: unknown age), an age ``band``
    ("0-5" ... "18+") or a ``birth_date`` "YYYY-MM-DD" counted on ``on`` (default: today).

    Raises:
        ValueError: more than one of age, band and birth_date.
        ChildSafeError: status 5 for an age past 150, an unknown band or a malformed date.
    """
    if sum(x is not None for x in (age, band, birth_date)) > 1:
        raise ValueError("give only one of age, band and birth_date")
    if band is not None:
        return call_json(library().cs_defaults_band_json, utf8(band))
    if birth_date is not None:
        return call_json(library().cs_defaults_birth_date_json, utf8(birth_date), utf8(on) if on else None)
    return call_json(library().cs_defaults_json, -1 if age is None else age)


def default_setting(name: str, age: Optional[int] = None) -> Any:
    """One default setting's value for an age; ChildSafeError with status 10 when there is no such setting."""
    return call_json(library().cs_defaults_setting_json, -1 if age is None else age, utf8(name))


def version() -> str:
    """The loaded library's version, e.g. "0.1.0"."""
    return library().cs_version().decode("utf-8")
