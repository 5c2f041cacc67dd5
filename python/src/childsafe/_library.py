"""Finding and loading libchildsafe, and declaring the C functions' types."""

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
import threading
from typing import List, Optional, Tuple

from ._ffi import INTERVENTION_FN, cs_context, cs_engine_options, cs_verdict
from .errors import LibraryNotFoundError

__all__ = ["load_library", "library", "library_path"]

_lock = threading.Lock()
_loaded: Optional[ctypes.CDLL] = None
_loaded_path: Optional[str] = None

if sys.platform == "darwin":
    _NAMES = ["libchildsafe.1.dylib", "libchildsafe.dylib"]
else:
    _NAMES = ["libchildsafe.so.1"]

_vp, _sz, _int, _cp = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_char_p
_out = ctypes.POINTER(ctypes.c_void_p)  # char ** out-parameters: raw pointers, released with cs_free

_SIGNATURES = {
    "cs_version": ([], _cp),
    "cs_version_number": ([], _int),
    "cs_status_str": ([_int], _cp),
    "cs_free": ([_vp], None),
    "cs_context_init": ([ctypes.POINTER(cs_context)], None),
    "cs_engine_options_init": ([ctypes.POINTER(cs_engine_options)], None),
    "cs_engine_open_ex": ([ctypes.POINTER(cs_engine_options), ctypes.POINTER(_vp), _out], _int),
    "cs_engine_close": ([_vp], None),
    "cs_engine_with_model": ([_vp, _cp, ctypes.POINTER(_vp), _out], _int),
    "cs_engine_with_rate_limit": ([_vp, ctypes.c_double, ctypes.c_long, ctypes.POINTER(_vp), _out], _int),
    "cs_classify": ([_vp, _cp, _sz, ctypes.POINTER(cs_context), ctypes.POINTER(ctypes.POINTER(cs_verdict)), _out], _int),
    "cs_classify_json": ([_vp, _cp, _sz, _cp, _out], _int),
    "cs_session_open": ([_vp, _cp, ctypes.POINTER(_vp)], _int),
    "cs_session_close": ([_vp], None),
    "cs_session_set_intervention_hook": ([_vp, INTERVENTION_FN, _vp], _int),
    "cs_session_add_json": ([_vp, _cp, _sz, _cp, _out], _int),
    "cs_session_verdict_json": ([_vp, _out], _int),
    "cs_session_mute": ([_vp, _int, ctypes.c_double, ctypes.c_long], _int),
    "cs_url_check_json": ([_vp, _cp, _sz, _out], _int),
    "cs_url_check_json_ex": ([_vp, _cp, _sz, ctypes.c_uint, _out], _int),
    "cs_defaults_json": ([_int, _out], _int),
    "cs_defaults_setting_json": ([_int, _cp, _out], _int),
    "cs_defaults_band_json": ([_cp, _out], _int),
    "cs_defaults_birth_date_json": ([_cp, _cp, _out], _int),
}


def _declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    for name, (arguments, result) in _SIGNATURES.items():
        function = getattr(lib, name)
        function.argtypes = arguments
        function.restype = result
    return lib


def _pkg_config_candidates() -> Tuple[List[str], str]:
    """Library paths in the libdir pkg-config gives for `childsafe`, and why there are none."""
    if shutil.which("pkg-config") is None:
        return [], "pkg-config is not installed"
    try:
        run = subprocess.run(["pkg-config", "--variable=libdir", "childsafe"], capture_output=True, text=True,
                             timeout=10, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        return [], f"pkg-config failed: {error}"
    libdir = run.stdout.strip()
    if run.returncode != 0 or not libdir:
        return [], "pkg-config knows no package 'childsafe' (is PREFIX/lib/pkgconfig on PKG_CONFIG_PATH?)"
    return [os.path.join(libdir, name) for name in _NAMES], ""


def _candidates(path: Optional[str]) -> List[Tuple[str, Optional[str]]]:
    """(description, path to try or None when the source gave nothing), in the documented order."""
    found: List[Tuple[str, Optional[str]]] = []
    if path is not None:
        found.append((f"explicit path {path!r}", os.fspath(path)))
        return found
    variable = os.environ.get("CHILDSAFE_LIBRARY")
    found.append(("$CHILDSAFE_LIBRARY" + (f"={variable!r}" if variable else " (not set)"), variable or None))
    for name in _NAMES:
        found.append((f"system loader: {name}", name))
    located = ctypes.util.find_library("childsafe")
    if located and located not in _NAMES:
        found.append((f"system loader: {located} (ctypes.util.find_library)", located))
    paths, why = _pkg_config_candidates()
    if not paths:
        found.append((f"pkg-config: {why}", None))
    for candidate in paths:
        found.append((f"pkg-config: {candidate}", candidate))
    return found


def load_library(path: Optional[str] = None) -> ctypes.CDLL:
    """Loads libchildsafe and returns it; later calls return the same library.

    Looks, in order, at ``path`` (when given, only there), ``$CHILDSAFE_LIBRARY``, the system
    loader (``libchildsafe.so.1`` on its search path: ``ldconfig``, ``LD_LIBRARY_PATH``), and the
    ``libdir`` that ``pkg-config childsafe`` names. Call it before any other function to choose
    the library explicitly.

    Raises:
        LibraryNotFoundError: nothing loaded; the message lists every place tried and why it failed.
        ValueError: a different library was already loaded in this process.
    """
    global _loaded, _loaded_path
    with _lock:
        if _loaded is not None:
            if path is not None and os.path.realpath(path) != os.path.realpath(_loaded_path or ""):
                raise ValueError(f"libchildsafe is already loaded from {_loaded_path}; load_library({path!r}) "
                                 "must come before any other use of the binding")
            return _loaded
        tried: List[Tuple[str, str]] = []
        for description, candidate in _candidates(path):
            if candidate is None:
                tried.append((description, "nothing to try"))
                continue
            try:
                lib = ctypes.CDLL(candidate)
            except OSError as error:
                tried.append((description, str(error)))
                continue
            try:
                _declare(lib)
            except AttributeError as error:
                tried.append((description, f"loaded, but it is not libchildsafe 1.x ({error})"))
                continue
            _loaded, _loaded_path = lib, candidate
            return lib
        raise LibraryNotFoundError(tried)


def library() -> ctypes.CDLL:
    """The loaded library, loading it from the default places on first use."""
    return _loaded if _loaded is not None else load_library()


def library_path() -> Optional[str]:
    """What the library was loaded from (a path or a name given to the loader); None before loading."""
    return _loaded_path
