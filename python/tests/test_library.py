"""Finding the library: explicit path, $CHILDSAFE_LIBRARY, the system loader, pkg-config, and a
helpful error when none works. Each case runs in a fresh interpreter (a process loads it once)."""

import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

import childsafe


def _library_file():
    childsafe.version()  # loads it when nothing has yet
    path = childsafe.library_path()
    if not os.path.isfile(path or ""):
        pytest.skip("the library was found by name through the system loader; these tests need its path")
    return os.path.realpath(path)


def _python(code, env):
    base = {key: value for key, value in os.environ.items()
            if key not in ("CHILDSAFE_LIBRARY", "LD_LIBRARY_PATH", "PKG_CONFIG_PATH")}
    base.update(env)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=base,
                          timeout=60, check=False)


def test_error_lists_what_was_tried_and_how_to_fix_it(tmp_path):
    run = _python("""
        import childsafe
        try:
            childsafe.version()
        except childsafe.LibraryNotFoundError as error:
            assert isinstance(error, OSError)
            assert [where for where, _ in error.tried][0].startswith("$CHILDSAFE_LIBRARY")
            print(error)
        """, {"CHILDSAFE_LIBRARY": str(tmp_path / "missing.so.1"), "PKG_CONFIG_PATH": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    message = run.stdout
    assert str(tmp_path / "missing.so.1") in message  # the variable's value, and why it failed
    assert "system loader: libchildsafe.so.1" in message
    assert "pkg-config" in message
    assert "export CHILDSAFE_LIBRARY=" in message and "childsafe.load_library(" in message


def test_explicit_path_wins_over_the_environment(tmp_path):
    library = _library_file()
    run = _python(f"""
        import childsafe
        childsafe.load_library({library!r})
        print(childsafe.library_path(), childsafe.version())
        """, {"CHILDSAFE_LIBRARY": str(tmp_path / "missing.so.1")})
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[0] == library


def test_explicit_path_that_does_not_load_says_so(tmp_path):
    run = _python(f"""
        import childsafe
        try:
            childsafe.load_library({str(tmp_path / 'nope.so')!r})
        except childsafe.LibraryNotFoundError as error:
            print(len(error.tried), error.tried[0][0])
        """, {})
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("1 explicit path")  # only the path asked for is tried


def test_environment_variable(tmp_path):
    library = _library_file()
    run = _python("import childsafe; childsafe.version(); print(childsafe.library_path())",
                  {"CHILDSAFE_LIBRARY": library})
    assert run.returncode == 0 and run.stdout.strip() == library, run.stderr


def test_system_loader(tmp_path):
    library = _library_file()
    run = _python("import childsafe; childsafe.version(); print(childsafe.library_path())",
                  {"LD_LIBRARY_PATH": os.path.dirname(library)})
    assert run.returncode == 0 and run.stdout.strip() == "libchildsafe.so.1", run.stderr


def test_pkg_config(tmp_path):
    library = _library_file()
    if subprocess.run(["sh", "-c", "command -v pkg-config"], capture_output=True, check=False).returncode != 0:
        pytest.skip("pkg-config is not installed")
    libdir = tmp_path / "lib"
    (libdir / "pkgconfig").mkdir(parents=True)
    (libdir / "libchildsafe.so.1").symlink_to(library)
    (libdir / "pkgconfig" / "childsafe.pc").write_text(
        f"prefix={tmp_path}\nlibdir={libdir}\nincludedir={tmp_path}/include\n\n"
        "Name: childsafe\nDescription: test\nVersion: 0.1.0\nLibs: -L${libdir} -lchildsafe\nCflags: -I${includedir}\n")
    run = _python("import childsafe; childsafe.version(); print(childsafe.library_path())",
                  {"PKG_CONFIG_PATH": str(libdir / "pkgconfig")})
    assert run.returncode == 0, run.stderr
    assert pathlib.Path(run.stdout.strip()) == libdir / "libchildsafe.so.1"


def test_a_second_different_library_is_refused():
    library = _library_file()
    childsafe.load_library(library)  # the same one again is fine
    with pytest.raises(ValueError):
        childsafe.load_library("/elsewhere/libchildsafe.so.1")
