"""The rules list: generated from the registry and committed as docs/rules.md."""

from __future__ import annotations

from conftest import ROOT, run_cli

from pipeline.checks import load_rules
from pipeline.checks.docs import rules_markdown

OWN_FAMILIES = ("A2", "A3", "F", "L", "T")


def test_committed_rules_md_equals_the_generated_one():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(load_rules()), "docs/rules.md is stale: regenerate it with `mtqa rules --markdown > docs/rules.md`"


def test_cli_prints_the_same_markdown():
    done = run_cli("rules", "--markdown")
    assert done.returncode == 0, done.stderr
    assert done.stdout == rules_markdown(load_rules())


def test_every_rule_documents_what_why_example_and_switch_off():
    for r in load_rules():
        if not r.code.startswith(OWN_FAMILIES):
            continue
        doc = r.doc
        assert "Why:" in doc and "Example" in doc, r.code
        assert f"checks.disable: [{r.code}]" in doc, r.code
        section = rules_markdown(load_rules()).split(f"### {r.code} {r.name}\n", 1)[1]
        assert section.lstrip().startswith(f"Category `{r.category}` · severity `{r.severity.value}`"), r.code
