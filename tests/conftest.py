"""Shared fixtures. Corpus texts are never copied into the project: tests read them from the
folder named by SCDOCS_CORPUS_RAW (``.ci/run`` sets it), by default ``../shared/corpus/raw``."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs every property test on the same examples, so a red run is reproducible and a green one
# is not luck; on a developer's machine the examples vary from run to run and find new cases.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
RAW = Path(os.environ.get("SCDOCS_CORPUS_RAW", ROOT.parent / "shared" / "corpus" / "raw"))
SHARED = RAW.parent.parent
EXPECTED = SHARED / "corpus" / "expected-structure.tsv"
AKN_SCHEMA = SHARED / "schemas" / "akn" / "akomantoso30.xsd"


def corpus_files() -> list[Path]:
    """Every document in the raw corpus folder (SOURCES.tsv is a listing, not a document)."""
    if not RAW.is_dir():
        raise RuntimeError(f"corpus folder {RAW} not found: set SCDOCS_CORPUS_RAW")
    return sorted(p for p in RAW.iterdir() if p.is_file() and p.name != "SOURCES.tsv")


def expected_structure() -> dict[str, dict[str, str]]:
    with EXPECTED.open(encoding="utf-8") as fh:
        return {row["doc"]: row for row in csv.DictReader(fh, delimiter="\t")}


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own user data directory, so no test sees another's fetched corpus."""
    monkeypatch.setenv("SCDOCS_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def fetched(raw_dir: Path) -> None:
    """The corpus fetched into this test's data directory from the offline mirror, as a user would."""
    from typer.testing import CliRunner

    from scdocs.cli import app

    r = CliRunner().invoke(app, ["corpus", "fetch", "--from", str(raw_dir)])
    assert r.exit_code == 0, r.output
