"""Localization checks: inline tags and markup (M2), ICU messages (M3), unit-level checks (M4) and
consistency (M5), on small files read by the real readers and on the real files of
../shared/data/l10n_files (or $MTQA_DATA_DIR/l10n_files; skipped with a reason when absent)."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from checks_support import make_pair

from pipeline.align import pairs_for, positional_beads
from pipeline.checks import Family, build_registry, consistency, icu, l10n_units, markup, placeholders, run_checks
from pipeline.checks.registry import CheckContext
from pipeline.io.l10n_input import job_from_l10n, l10n_languages

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "l10n_files"
FAMILIES = (
    Family("M1", "placeholders", placeholders),
    Family("M2", "markup", markup),
    Family("M3", "icu", icu),
    Family("M4", "units", l10n_units),
    Family("M5", "consistency", consistency),
)
REGISTRY = build_registry(FAMILIES)


def real(name: str) -> str:
    path = DATA / name
    if not path.exists():
        pytest.skip(f"real localization file {name} not found in {DATA} (set MTQA_DATA_DIR to the shared data folder)")
    return str(path)


def check(paths: list[str], families: str = "M", tgt_lang: str | None = None) -> list:
    """What `mtqa run` reports for the files, from the rules of the given code prefix."""
    src, tgt = l10n_languages(paths)
    tgt = tgt_lang or tgt or "de"
    job = job_from_l10n(paths, "auto", src or "en", tgt)
    docs = [pairs_for(d, "target", positional_beads(d, "target")) for d in job.documents]
    rules = [r for r in REGISTRY if r.code.startswith(families)]
    return run_checks(docs, rules, CheckContext(src or "en", tgt))


def xliff(tmp_path: Path, *units: tuple[str, str], tgt: str = "de") -> str:
    body = "".join(f'<trans-unit id="u{k}"><source>{s}</source><target>{t}</target></trans-unit>' for k, (s, t) in enumerate(units))
    path = tmp_path / "f.xlf"
    path.write_text(
        f'<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        f'<file original="f" source-language="en" target-language="{tgt}" datatype="plaintext"><body>{body}</body></file></xliff>',
        encoding="utf-8",
    )
    return str(path)


def codes(issues: list) -> list[tuple[str, str]]:
    return [(i.code, i.data.get("unit", "")) for i in issues]


# --- M2: inline codes ----------------------------------------------------------------------------


def test_inline_codes_reach_the_segments_and_the_tag_rules(tmp_path):
    path = xliff(
        tmp_path,
        ('Click <g id="1">Save</g> now<x id="2"/>', 'Klicken Sie <g id="1">Speichern</g><x id="2"/>'),  # fine
        ('Click <g id="1">Save</g> now<x id="2"/>', "Klicken Sie Speichern"),  # both dropped
        ('Hello <x id="2"/>', 'Hallo <x id="2"/> <x id="3"/>'),  # one added
        ('Hello <x id="INTERPOLATION"/>', 'Hallo <x id="INTERPOLATION_1"/>'),  # renamed
        ('<bpt id="1">[b]</bpt>Save<ept id="1">[/b]</ept>', '<ept id="1">[/b]</ept>Speichern<bpt id="1">[b]</bpt>'),  # closed first
    )
    job = job_from_l10n([path], "auto", "en", "de")
    assert [c.id for c in job.documents[0].targets["target"][0].codes] == ["1", "2"]  # Segment.codes from the unit
    found = check([path], "M2")
    assert Counter(codes(found)) == Counter({("M201", "u1"): 2, ("M202", "u2"): 1, ("M203", "u3"): 1, ("M204", "u4"): 1})
    changed = next(i for i in found if i.code == "M203")
    assert changed.suggestion == '<x id="INTERPOLATION"/>'


def test_equal_plain_text_with_other_codes_is_not_taken_from_the_memo(tmp_path):
    """The engine remembers pair rules' findings by text; the tag rules must look at each unit's codes."""
    path = xliff(tmp_path, ('Save <x id="1"/>', 'Speichern <x id="1"/>'), ('Save <x id="1"/>', "Speichern "))
    assert codes(check([path], "M2")) == [("M201", "u1")]


def test_tmx_pairs_are_known_by_x_and_nesting_is_compared(tmp_path):
    path = tmp_path / "t.tmx"
    tu = '<tu><tuv xml:lang="en"><seg>{}</seg></tuv><tuv xml:lang="fr"><seg>{}</seg></tuv></tu>'
    a = '<bpt i="1" x="1">&lt;a&gt;</bpt>go <bpt i="2" x="2">&lt;b&gt;</bpt>now<ept i="2">&lt;/b&gt;</ept><ept i="1">&lt;/a&gt;</ept>'
    overlapping = '<bpt i="1" x="1">&lt;a&gt;</bpt>va <bpt i="2" x="2">&lt;b&gt;</bpt>vite<ept i="1">&lt;/a&gt;</ept><ept i="2">&lt;/b&gt;</ept>'
    swapped = '<bpt i="2" x="2">&lt;b&gt;</bpt>x<ept i="2">&lt;/b&gt;</ept> <bpt i="1" x="1">&lt;a&gt;</bpt>y<ept i="1">&lt;/a&gt;</ept>'
    plain = '<bpt i="1" x="1">&lt;a&gt;</bpt>y<ept i="1">&lt;/a&gt;</ept> <bpt i="2" x="2">&lt;b&gt;</bpt>x<ept i="2">&lt;/b&gt;</ept>'
    path.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" '
        'srclang="en" datatype="plaintext"/><body>' + tu.format(a, overlapping) + tu.format(plain, swapped) + "</body></tmx>",
        encoding="utf-8",
    )
    found = check([str(path)], "M2", tgt_lang="fr")
    assert [(i.code, i.data["unit"]) for i in found] == [("M204", "1")]  # pairs that change places are word order
    assert "nested differently" in found[0].message


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ('Go to <a href="open-account">Create password</a>.', 'Gehen Sie zu <a href="open-account">Passwort erstellen</a>.', []),
        ('Go to <a href="open-account">Create password</a>.', 'Gehen Sie zu <a href="konto">Passwort erstellen</a>.', ["M203"]),
        ("Open <i>Login Items</i> now", "Öffnen Sie Anmeldeobjekte", ["M201", "M201"]),
        ("Open the file", "<b>Öffnen</b> Sie die Datei", ["M202", "M202"]),
        ("<b>Save</b> the file", "Die Datei </b>speichern<b>", ["M204"]),
        ("Users &amp; Permissions", "Benutzer & Rechte", []),  # the entity and the character render the same
        ("Paste &amp; Go", "Einfügen und Los", ["M201"]),
        # usage strings: metavariables are not markup, and translators translate them
        ("git describe --dirty[=<mark>] <commit>", "git describe --dirty[=<Markierung>] <Commit>", []),
        ("Save", "Speichern&nbsp;!", []),  # a space written as an entity is typography
    ],
)
def test_markup_written_as_text(source, target, expected):
    pair = make_pair(source, target)
    ctx = CheckContext("en", "de")
    found = [r.code for r in REGISTRY if r.code.startswith("M2") for _ in r.func([pair], ctx)]
    assert found == expected


# --- M3: ICU ---------------------------------------------------------------------------------------


def run_pair_rules(prefix: str, source: str, target: str, tgt: str = "de", unit: str | None = None) -> list[tuple[str, str]]:
    pair = make_pair(source, target)
    if unit is not None:
        from dataclasses import replace  # deferred: only the unit-level tests name a unit

        pair = replace(pair, source=(replace(pair.source[0], unit=unit),), target=(replace(pair.target[0], unit=unit),))
    ctx = CheckContext("en", tgt)
    out = []
    for r in REGISTRY:
        if not r.code.startswith(prefix):
            continue
        found = r.func([pair], ctx) if r.scope == "document" else ((pair, f) for f in r.func(pair, ctx))
        for _, f in found:
            text = pair.source_text if f.side == "source" else pair.target_text
            out.append((r.code, text[f.start : f.end]))
    return out


@pytest.mark.parametrize(
    ("target", "tgt", "expected"),
    [
        ("{n, plural, one {# файл} few {# файла} many {# файлов} other {# файла}}", "ru", []),
        ("{n, plural, one {# файл} other {# файлов}}", "ru", [("M301", "{n, plural, one {# файл} other {# файлов}}")]),
        ("{n, plural, =1 {eine Datei} other {# Dateien}}", "de", []),  # German "one" is 1 alone: =1 stands for it
        ("{n, plural, =1 {один файл} few {# файла} many {# файлов} other {# файла}}", "ru", [("M301", "{n, plural, =1 {один файл} few {# файла} many {# файлов} other {# файла}}")]),
        ("{n, plural, one {# Datei} few {# Dateien} other {# Dateien}}", "de", [("M302", "few")]),
        ("{n, plural, one {# Datei}}", "de", [("M301", "{n, plural, one {# Datei}}")]),  # no other
        ("{n, plural, other {# ファイル}}", "ja", []),
        ("{n, plural, one {# fichier} other {# fichiers}}", "fr", []),  # French 'many' is for millions
        ("{n, plural, one {eine Datei} other {# Dateien}}", "de", []),  # '#' may go where one number is meant
        ("{n, plural, one {файл} few {# файла} many {# файлов} other {# файла}}", "ru", [("M304", "one {файл")]),  # Russian one is also 21
    ],
)
def test_icu_plural_branches(target, tgt, expected):
    assert run_pair_rules("M3", "{n, plural, one {# file} other {# files}}", target, tgt) == expected


def test_icu_select_keys_and_branch_variables():
    source = "{gender, select, female {{name} replied} other {{name} replied}}"
    assert run_pair_rules("M3", source, "{gender, select, weiblich {{name} antwortete} other {{name} antwortete}}") == [("M303", "weiblich")]
    assert run_pair_rules("M3", source, "{gender, select, female {Sie antwortete} other {{name} antwortete}}") == [("M304", "female {Sie antwortete")]
    assert run_pair_rules("M3", source, "{gender, select, female {{name} antwortete} other {{name} antwortete}}") == []


# --- M4: units ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("Connection settings", "Connection settings", ["M401"]),
        ("OK", "OK", []),
        ("Mozilla VPN", "Mozilla VPN", []),
        ("Status", "Status", []),  # a German word too
        ("%1 of %2", "%1 of %2", []),
        ("git merge [<options>] [<commit>...]", "git merge [<options>] [<commit>...]", []),
        ("https://mozilla.org", "https://mozilla.org", []),
        ("Files: ", "Dateien:", ["M402"]),
        (" attended events ", "teilgenommen", []),  # padded template text: edge spaces collapse
        ("Name:\nEmail:", "Name: E-Mail:", ["M403"]),
        ("Deepen the history of a shallow clone", "die Historie eines Klons mit unvollständiger Historie (shallow)\nvertiefen", []),  # wrapped
        ("See https://example.com/en-US/help", "Siehe https://example.com/de/help", []),
        ("See https://example.com/help", "Siehe https://example.com/hilfe", ["M404"]),
        ("Write to support@example.com", "Schreiben Sie an support@beispiel.de", ["M405"]),
    ],
)
def test_unit_rules(source, target, expected):
    assert [c for c, _ in run_pair_rules("M4", source, target, unit="u1")] == expected


def test_a_copy_of_running_text_is_left_to_f101():
    assert run_pair_rules("M4", "Connection settings", "Connection settings") == []  # no localization unit


# --- M5: consistency ------------------------------------------------------------------------------


def test_consistency_reports_both_ways(tmp_path):
    path = xliff(
        tmp_path,
        ("Save", "Speichern"),
        ("Save", "Speichern"),
        ("Save", "Sichern"),
        ("Delete", "Löschen"),
        ("Remove", "Löschen"),
        ("Close", "Schließen"),
    )
    found = check([path], "M5")
    assert [(i.code, i.data["unit"], i.suggestion) for i in found] == [("M501", "u2", "Speichern"), ("M502", "u4", None)]


# --- the real files ---------------------------------------------------------------------------------


def test_real_tag_findings_are_the_translators_slips():
    """Every tag finding on the real files, checked by hand: a dropped interpolation ("Adding new
    {{title}}" -> "Neuer Eintrag"), OmegaT tags renumbered, dropped or added by the French team."""
    angular = check([real("xliff12_ndbcore_angular_de.xlf")], "M2")
    assert codes(angular) == [("M201", "697393e7e705a5c7db45db3297cae5cf32bfcc3a")]
    website = check([real("tmx14_omegat_website_en_fr.tmx")], "M2")
    assert sorted(codes(website)) == [("M201", "217"), ("M201", "276"), ("M201", "276"), ("M201", "684"), ("M202", "684")]
    start = check([real("tmx14_omegat_instant_start_en_fr.tmx")], "M2")
    assert Counter(codes(start)) == Counter({("M202", "6"): 2, ("M203", "38"): 2, ("M201", "3"): 2})


@pytest.mark.parametrize("name", ["po_git_de_first3165entries.po", "po_git_fr_first3131entries.po", "xliff12_mozillavpn_de.xliff", "xliff12_mozillavpn_ru.xliff"])
def test_no_tag_or_icu_findings_on_clean_real_files(name):
    assert check([real(name)], ("M2", "M3")) == []


def test_bolt_german_with_its_english_source():
    found = check([real("xliff20_bolt_messages_en.xlf"), real("xliff20_bolt_messages_de.xlf")], ("M1", "M2", "M3"))
    assert sorted(i.text for i in found) == ["%Stunden%", "%contenttypes%", "%contenttypes%", "%tryagain%"]


def test_m1_holds_each_line_of_alternatives_to_one_source_line():
    """Voice-assistant phrases (Mozilla VPN): fewer lines are fine, a line without its placeholder or
    with one too many is not; a rewrapped paragraph is no list of alternatives and is compared whole."""
    source = "Activate %@\nTurn on %@\nSwitch on %@"
    assert placeholders.compare_placeholders(source, "Activer %@\nAllumer %@") == placeholders.compare_placeholders("", "")
    assert [p.text for p in placeholders.compare_placeholders(source, "Activer %@\nAllumer").missing] == ["%@"]
    assert [p.text for p in placeholders.compare_placeholders(source, "Activer %@\nConnecter %@ %@").added] == ["%@"]
    wrapped = placeholders.compare_placeholders("Merging %s with %s\n", "Fusion de %s\navec %s\n %s")
    assert [p.text for p in wrapped.added] == ["%s"]
