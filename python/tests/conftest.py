"""Shared fixtures. The library comes from $CHILDSAFE_LIBRARY or the system (see childsafe.load_library);
tests that compare with the CLI need $CHILDSAFE_CLI (a `childsafe` binary) and skip without it."""

import os
import pathlib
import shutil

import pytest

import childsafe

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE_CORPUS = REPOSITORY / "Examples" / "corpus"


@pytest.fixture(scope="session")
def engine():
    with childsafe.Engine() as shared:
        yield shared


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("CHILDSAFE_CLI") or shutil.which("childsafe")
    if not path:
        pytest.skip("set CHILDSAFE_CLI to a `childsafe` binary to compare with the CLI")
    return path


@pytest.fixture(scope="session")
def example_corpus():
    if not EXAMPLE_CORPUS.is_dir():
        pytest.skip(f"{EXAMPLE_CORPUS} is absent (tests run from a ChildSafe checkout)")
    return EXAMPLE_CORPUS
