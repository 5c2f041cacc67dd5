"""Calling the library's JSON functions: status codes become exceptions, results become dicts."""

import ctypes
import json
import os
from typing import Any, Callable, Optional, Union

from ._library import library
from .errors import ChildSafeError

Text = Union[str, bytes]


def take_string(pointer: Optional[int]) -> Optional[str]:
    """Copies a library-owned C string and releases it with cs_free()."""
    if not pointer:
        return None
    try:
        return ctypes.string_at(pointer).decode("utf-8")
    finally:
        library().cs_free(pointer)


def call_json(function: Callable[..., int], *arguments: Any) -> Any:
    """Calls a function whose last parameter is a ``char **out_json`` and parses what it returns."""
    out = ctypes.c_void_p()
    status = function(*arguments, ctypes.byref(out))
    if status != 0:
        raise ChildSafeError(status)
    return json.loads(take_string(out.value) or "null")


def check(status: int) -> None:
    if status != 0:
        raise ChildSafeError(status)


def utf8(text: Text) -> bytes:
    """Text as UTF-8 bytes; bytes pass through unchanged (the library checks that they are UTF-8)."""
    if isinstance(text, bytes):
        return text
    if isinstance(text, str):
        return text.encode("utf-8", errors="surrogatepass")
    raise TypeError(f"expected str or bytes, not {type(text).__name__}")


def optional_utf8(value: Optional[Union[Text, "os.PathLike[str]"]]) -> Optional[bytes]:
    if value is None:
        return None
    return utf8(os.fspath(value))
