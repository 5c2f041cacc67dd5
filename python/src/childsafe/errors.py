"""Exceptions raised by the binding."""

from typing import Optional, Sequence, Tuple

__all__ = ["ChildSafeError", "LibraryNotFoundError", "STATUS_NAMES"]

#: The library's status codes (``cs_status`` in childsafe.h) by value.
STATUS_NAMES = {
    0: "CS_OK",
    1: "CS_ERR_INVALID_ARGUMENT",
    2: "CS_ERR_INVALID_UTF8",
    3: "CS_ERR_TOO_LARGE",
    4: "CS_ERR_SYNTAX",
    5: "CS_ERR_INVALID_VALUE",
    6: "CS_ERR_IO",
    7: "CS_ERR_CORRUPT",
    8: "CS_ERR_UNICODE",
    9: "CS_ERR_NO_MEMORY",
    10: "CS_ERR_NOT_FOUND",
    11: "CS_ERR_INTERNAL",
}


class ChildSafeError(Exception):
    """A call into libchildsafe failed.

    Attributes:
        status: the library's ``cs_status`` code (e.g. 2 for invalid UTF-8, 3 for too large).
        name: the code's name in childsafe.h, e.g. ``"CS_ERR_INVALID_UTF8"``.
        message: what went wrong, as the library words it (file:line:column where it applies).
    """

    def __init__(self, status: int, message: Optional[str] = None) -> None:
        self.status = status
        self.name = STATUS_NAMES.get(status, "CS_ERR_UNKNOWN")
        self.message = message or _status_description(status)
        super().__init__(f"{self.message} ({self.name}, status {status})")


class LibraryNotFoundError(OSError):
    """libchildsafe could not be loaded from any of the places the binding looks.

    Attributes:
        tried: every place tried, in order, as ``(where, why it failed)`` pairs.
    """

    def __init__(self, tried: Sequence[Tuple[str, str]]) -> None:
        self.tried = list(tried)
        lines = ["cannot load libchildsafe (the ChildSafe C library); tried, in order:"]
        lines += [f"  - {where}: {why}" for where, why in self.tried]
        lines += [
            "Point the binding at the library in one of these ways:",
            "  - childsafe.load_library('/path/to/libchildsafe.so.1') before first use;",
            "  - export CHILDSAFE_LIBRARY=/path/to/libchildsafe.so.1;",
            "  - install it where the system loader looks (`make install PREFIX=/usr/local`, then `ldconfig`),",
            "    or under any PREFIX with PREFIX/lib/pkgconfig on PKG_CONFIG_PATH.",
            "Build it from a ChildSafe checkout with `make` (writes .build-capi/out/libchildsafe.so.1).",
        ]
        super().__init__("\n".join(lines))


def _status_description(status: int) -> str:
    # Imported late: describing a status needs the library, which may be what failed to load.
    try:
        from ._library import library

        return library().cs_status_str(status).decode("utf-8")
    except Exception:  # noqa: BLE001 - an error must still be raised with some message
        return STATUS_NAMES.get(status, f"status {status}")
