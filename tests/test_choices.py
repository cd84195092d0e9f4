"""Options that take known values, driven as a user types them: a typo gets a did-you-mean, one
`error:` line and exit 2 (never a silent empty result); a limited listing says how many it hides;
shell completion offers the known values."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from scdocs.cli import app

runner = CliRunner()


TYPOS = {
    "--theme of tag": (["tag", "scs-opinions-2022", "--theme", "party-leadershp"], "party-leadership"),
    "--theme of search": (["search", "信用", "--theme", "joint-punishmnt"], "joint-punishment"),
    "--kind of search": (["search", "信用", "--kind", "local-regulaton"], "local-regulation"),
    "--kind of compare": (["compare", "--kind", "local-regulaton"], "local-regulation"),
    "--format of tag": (["tag", "scs-opinions-2022", "--format", "jsn"], "json"),
    "--format of diff": (["diff", "company-law-2018", "company-law-2023", "--format", "htm"], "html"),
    "corpus show ID": (["corpus", "show", "scs-opinion-2022"], "scs-opinions-2022"),
    "--move of diff": (["diff", "company-law-2018", "company-law-2023", "--move", "safegard"], "safeguard"),
    "DOC of sections": (["sections", "scs-opinion-2022"], "scs-opinions-2022"),
}


@pytest.mark.parametrize("case", list(TYPOS))
def test_a_typo_gets_did_you_mean_and_exit_2(fetched: None, case: str) -> None:
    args, meant = TYPOS[case]
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, r.stderr
    assert f"did you mean {meant}?" in errors[0]
    assert "Traceback" not in r.output


def test_a_limited_search_says_how_many_it_leaves_out(fetched: None) -> None:
    full = runner.invoke(app, ["search", "信用信息", "--format", "json"])
    import json

    total = len(json.loads(full.stdout)["hits"])
    assert total > 5
    r = runner.invoke(app, ["search", "信用信息", "--limit", "5"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert f"showing 5 of {total} sections" in r.stdout


def _complete(words: str) -> list[str]:
    env = {"_SCDOCS_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    return runner.invoke(app, [], env=env).output.split()


def test_shell_completion_offers_corpus_ids_themes_and_kinds(fetched: None) -> None:
    assert "scs-opinions-2022" in _complete("scdocs tag scs-op")
    assert _complete("scdocs tag scs-opinions-2022 --theme party") == ["party-leadership"]
    assert "local-regulation" in _complete("scdocs search 信用 --kind local")
    assert "company-law-2023" in _complete("scdocs diff company-law-2018 company-law-2")
    assert _complete("scdocs diff a b --move safe") == ["safeguard"]


USAGE = {
    "unknown command": (["tagg", "x"], "Did you mean 'tag'?"),
    "missing argument": (["sections"], "Missing argument 'DOC'"),
    "value out of range": (["search", "信用", "--limit", "0"], "0 is not in the range"),
    "not a number": (["sections", "x", "--depth", "abc"], "'abc' is not a valid integer"),
}


@pytest.mark.parametrize("case", list(USAGE))
def test_a_usage_mistake_is_one_error_line(case: str) -> None:
    """Mistakes click catches (before any command runs) look like every other error: one line."""
    args, needle = USAGE[case]
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0], r.stderr
    assert "--help`" in lines[0] and "╭" not in r.stderr
