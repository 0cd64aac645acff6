"""The localization checks on the real files of ../shared/data/l10n_files (issue 15, item 2).

Three measurements, printed as tables:

1. False alarms of the tag and placeholder rules (M1 placeholders, M2 tags, M3 ICU) per 1,000
   units on the git de/fr PO files and the four Mozilla VPN files (bound: 1 per 1,000), with every
   finding listed for judging, and every finding of every M rule on Bolt's German file read with
   its English source (``mtqa run messages.en.xlf messages.de.xlf``).
2. Planted errors: on a copy of each real file (in a temporary folder), placeholders and tags of
   100 random units (of those that have any) are dropped, added, renamed or reordered, one error
   type per copy; the copy is read and checked as ``mtqa run`` does (the same reader and job
   builder, in process), and a planted unit counts as detected when the family that claims the
   type (M1 for placeholders, M2 for tags) reports something new on it.  Every new finding on an
   untouched unit is counted (bound: 0).  Reordering only counts where order matters: unnumbered
   printf placeholders of different conversions, and the two halves of a paired tag.
3. Speed: reading each file and running the formal checks (M1-M5) in process, units per second on
   one core.

    python eval/l10n_checks.py [--data DIR] [--seed 1] [--units 100] [--show]

The planted copies are written by editing the target of a unit in the reader's model (text and
inline codes), putting it back as XML (TaggedText.to_xml) in place of the target element (lxml;
polib for PO), so everything else in the copy is the file as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402  # after the path: the eval runs from anywhere

from pipeline.align import pairs_for, positional_beads  # noqa: E402
from pipeline.checks import load_rules, run_checks  # noqa: E402
from pipeline.checks.markup import code_marks, text_marks  # noqa: E402
from pipeline.checks.placeholders import find_placeholders  # noqa: E402
from pipeline.checks.registry import CheckContext  # noqa: E402
from pipeline.io.l10n import InlineCode, TaggedText, read_l10n  # noqa: E402
from pipeline.io.l10n_input import job_from_l10n, l10n_languages  # noqa: E402

CLEAN = ["po_git_de_first3165entries.po", "po_git_fr_first3131entries.po", *(f"xliff12_mozillavpn_{lang}.xliff" for lang in ("de", "fr", "ru", "uk"))]
BOLT = ("xliff20_bolt_messages_en.xlf", "xliff20_bolt_messages_de.xlf")
# file to plant into, and the source-language file it is read with (key-as-source files)
PLANT = [
    ("xliff12_firefoxios_2015_de.xliff", None),
    *((f"xliff12_mozillavpn_{lang}.xliff", None) for lang in ("de", "fr", "ru", "uk")),
    ("xliff12_ndbcore_angular_de.xlf", None),
    ("xliff20_bolt_messages_de.xlf", "xliff20_bolt_messages_en.xlf"),
    ("xliff20_bolt_messages_fr.xlf", "xliff20_bolt_messages_en.xlf"),
    ("tmx14_omegat_instant_start_en_fr.tmx", None),
    ("tmx14_omegat_website_en_fr.tmx", None),
    ("po_git_de_first3165entries.po", None),
    ("po_git_fr_first3131entries.po", None),
]
TAG_RULES = ("M1", "M2", "M3")
TYPES = ["placeholder_dropped", "placeholder_added", "placeholder_renamed", "placeholder_reordered", "tag_dropped", "tag_added", "tag_renamed", "tag_reordered"]


def data_dir(arg: str | None) -> Path:
    return Path(arg or os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "l10n_files"


def check(paths: list[str], prefixes: tuple[str, ...]) -> tuple[list, int]:
    """The issues of the rules with these code prefixes, as `mtqa run` finds them; and the units."""
    src, tgt = l10n_languages(paths)
    src, tgt = src or "en", tgt or "en"
    job = job_from_l10n(paths, "auto", src, tgt)
    docs = [pairs_for(d, "target", positional_beads(d, "target")) for d in job.documents]
    rules = [r for r in load_rules() if r.code.startswith(prefixes)]
    return run_checks(docs, rules, CheckContext(src, tgt)), sum(len(d) for d in docs)


# --- 1. false alarms ---------------------------------------------------------------------------------


def false_alarms(data: Path, show: bool) -> None:
    print("\n## False alarms of the placeholder, tag and ICU rules (M1-M3) on clean real files\n")
    print("| file | units | findings | per 1,000 units | by rule |")
    print("|---|---:|---:|---:|---|")
    total_units = total = 0
    listed = []
    for name in CLEAN:
        issues, units = check([str(data / name)], TAG_RULES)
        total_units += units
        total += len(issues)
        by_rule = Counter(i.code for i in issues)
        print(f"| {name} | {units} | {len(issues)} | {1000 * len(issues) / units:.2f} | {', '.join(f'{k} {v}' for k, v in sorted(by_rule.items())) or '-'} |")
        listed += [(name, i) for i in issues]
    print(f"| all | {total_units} | {total} | {1000 * total / total_units:.2f} | |")
    if show or listed:
        for name, i in listed:
            print(f"- {name} {i.code} unit {i.data.get('unit')!r}: {i.text!r}: {i.message}")
    issues, units = check([str(data / BOLT[0]), str(data / BOLT[1])], ("M",))
    print(f"\n## Every M finding on Bolt de read with its English source ({units} units joined)\n")
    for i in sorted(issues, key=lambda i: (i.code, str(i.data.get("unit")))):
        print(f"- {i.code} {i.data.get('unit')}: {i.text!r}: {i.message}")


def every_rule(data: Path) -> None:
    """Every rule but the two model families (F4, A5) on the same clean files, per rule: what a user
    sees besides the formal rules (spelling, locale, untranslated words ...)."""
    prefixes = tuple(sorted({r.code[:2] for r in load_rules() if not r.code.startswith(("F4", "A5"))}))
    print("\n## Every rule but F4 and A5 on the same files (flags per 1,000 units, by rule)\n")
    print("| file | units | flags | per 1,000 units | by rule (per 1,000 units) |")
    print("|---|---:|---:|---:|---|")
    for name in CLEAN:
        issues, units = check([str(data / name)], prefixes)
        by_rule = Counter(i.code for i in issues)
        rules = ", ".join(f"{k} {1000 * v / units:.1f}" for k, v in by_rule.most_common())
        print(f"| {name} | {units} | {len(issues)} | {1000 * len(issues) / units:.1f} | {rules or '-'} |")


# --- 2. planted errors -----------------------------------------------------------------------------


def edit(tt: TaggedText, start: int, end: int, new: str) -> TaggedText:
    """The text with [start, end) replaced, the codes after it moved along."""
    delta = len(new) - (end - start)
    codes = tuple(dataclasses.replace(c, start=c.start + delta if c.start >= end else c.start, end=c.end + delta if c.end >= end else c.end) for c in tt.codes)
    return TaggedText(tt.text[:start] + new + tt.text[end:], codes)


def _placeholders(tt: TaggedText, lang: str) -> list:
    return [p for p in find_placeholders(tt.text, lang) if p.syntax != "icu" and not p.uncertain]


def _renamed(p) -> str:
    if p.syntax == "printf" and not p.text.startswith("%<"):
        return p.text[:-1] + ("d" if p.text[-1] != "d" else "s")
    if p.syntax == "qt":  # "%1" -> "%6": another argument
        n = int(p.key[1:])
        return p.text.replace(str(n), str(n + 5 if n <= 4 else n - 4), 1)
    m = re.search(r"[A-Za-z_]\w*|\d+", p.text)
    if m is None:
        return p.text + "x"
    return p.text[: m.start()] + (m.group() + "_x" if not m.group().isdigit() else str(int(m.group()) + 7)) + p.text[m.end() :]


def plant_placeholder(kind: str, source: TaggedText, target: TaggedText, lang: str, rng: random.Random) -> TaggedText | None:
    found = _placeholders(target, lang)
    source_keys = {p.key for p in _placeholders(source, "en")}
    found = [p for p in found if p.key in source_keys]
    if not found:
        return None
    if kind == "placeholder_dropped":
        p = rng.choice(found)
        return edit(target, p.start, p.end, "")
    if kind == "placeholder_added":
        p = rng.choice(found)
        end = len(target.text.rstrip())  # before a final line break: the added placeholder ends the message
        return edit(target, end, end, " " + p.text)
    if kind == "placeholder_renamed":
        p = rng.choice(found)
        new = _renamed(p)
        return None if new == p.text else edit(target, p.start, p.end, new)
    # reordered: two unnumbered printf placeholders of different conversions change places
    printf = [p for p in found if p.syntax == "printf" and p.position is None and not p.text.startswith("%<")]
    for i, a in enumerate(printf):
        b = next((b for b in printf[i + 1 :] if b.conversion != a.conversion), None)
        if b is not None:
            swapped = edit(target, b.start, b.end, a.text)
            return edit(swapped, a.start, a.end, b.text)
    return None


def _with_attr(code: InlineCode, name: str, value: str) -> InlineCode:
    xml = re.sub(rf'\b{name}="[^"]*"', f'{name}="{value}"', code.xml, count=1)
    return dataclasses.replace(code, xml=xml, attrs={**code.attrs, name: value})


def plant_tag(kind: str, source: TaggedText, target: TaggedText, rng: random.Random) -> TaggedText | None:
    """An error planted into tags the source has too (one of the target's own would be no error)."""
    codes = list(target.codes)
    if codes:
        source_keys = {m.key for m in code_marks(source.codes)}
        if not any(m.key in source_keys for m in code_marks(codes)):
            return None
        return _plant_code(kind, target, codes, source_keys, rng)
    source_keys = {m.key for m in text_marks(source.text)}
    html = [m for m in text_marks(target.text) if m.key in source_keys]
    return _plant_html(kind, target, html, rng) if html else None


def _plant_code(kind: str, target: TaggedText, codes: list[InlineCode], source_keys: set[str], rng: random.Random) -> TaggedText | None:
    shared = [k for k, m in enumerate(code_marks(codes)) if m.key in source_keys]
    if kind == "tag_dropped":
        drop = rng.choice(shared)
        return TaggedText(target.text, tuple(c for k, c in enumerate(codes) if k != drop))
    if kind == "tag_added":
        standalone = [codes[k] for k in shared if not codes[k].is_container]
        if not standalone:
            return None
        copy = dataclasses.replace(rng.choice(standalone), start=len(target.text), end=len(target.text), order=1 + max(max(c.order, c.close_order) for c in codes))
        return TaggedText(target.text, (*codes, copy))
    if kind == "tag_renamed":
        named = [k for k in shared if "id" in codes[k].attrs or "x" in codes[k].attrs]
        if not named:
            return None
        k = rng.choice(named)
        attr = "id" if "id" in codes[k].attrs else "x"
        codes[k] = _with_attr(codes[k], attr, codes[k].attrs[attr] + "9")
        return TaggedText(target.text, tuple(codes))
    # reordered: the two halves of a pair change places
    marks = code_marks(codes)
    pairs = [(a, b) for a, ma in enumerate(marks) for b, mb in enumerate(marks) if ma.role == "open" and mb.role == "close" and ma.link is not None and ma.link == mb.link]
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    ca, cb = codes[a], codes[b]
    codes[a] = dataclasses.replace(ca, start=cb.start, end=cb.end, order=cb.order)
    codes[b] = dataclasses.replace(cb, start=ca.start, end=ca.end, order=ca.order)
    return TaggedText(target.text, tuple(codes))


def _plant_html(kind: str, target: TaggedText, marks: list, rng: random.Random) -> TaggedText | None:
    tags = [m for m in marks if m.kind != "entity"] or marks
    if kind == "tag_dropped":
        m = rng.choice(tags)
        return edit(target, m.start, m.end, "")
    if kind == "tag_added":
        m = rng.choice(tags)
        return edit(target, len(target.text), len(target.text), m.label)
    if kind == "tag_renamed":
        m = rng.choice(tags)
        if "href=" in m.label:
            new = re.sub(r"""href=(["']?)([^"'\s>]*)""", lambda g: f"href={g.group(1)}{g.group(2)}-9", m.label, count=1)
        else:
            new = re.sub(r"^(</?)([A-Za-z][A-Za-z0-9]*)", lambda g: g.group(1) + ("u" if g.group(2).lower() != "u" else "s"), m.label)
        return edit(target, m.start, m.end, new)
    pairs = [(a, b) for a in tags for b in tags if a.role == "open" and b.role == "close" and a.link == b.link and a.start < b.start]
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    swapped = edit(target, b.start, b.end, a.label)
    return edit(swapped, a.start, a.end, b.label)


def _target_elements(tree, fmt: str, src_lang: str | None) -> list:
    """The target element of each unit, in the reader's unit order (None where a unit has none)."""
    root = tree.getroot()
    ns = {"x": root.nsmap.get(None)} if root.nsmap.get(None) else {}
    if fmt == "xliff1":
        return [tu.find("x:target", ns) if ns else tu.find("target") for tu in root.iter(f"{{{ns['x']}}}trans-unit" if ns else "trans-unit")]
    if fmt == "xliff2":
        return [seg.find("x:target", ns) for seg in root.iter(f"{{{ns['x']}}}segment")]
    out = []
    for tu in root.iter("tu"):
        seg = None
        for tuv in tu.iter("tuv"):
            lang = tuv.get("{http://www.w3.org/XML/1998/namespace}lang") or tuv.get("lang")
            if lang and src_lang and lang.lower().split("-")[0] != src_lang.lower().split("-")[0]:
                seg = tuv.find("seg")
        out.append(seg)
    return out


def _set_content(el, xml: str, ns: str | None) -> None:
    wrapper = etree.fromstring(f'<w xmlns="{ns}">{xml}</w>' if ns else f"<w>{xml}</w>")
    for child in list(el):
        el.remove(child)
    el.text = wrapper.text
    for child in wrapper:
        el.append(child)


def write_copy(path: Path, out: Path, changes: dict[int, TaggedText]) -> None:
    """The file with the targets of some units (by index in the reader's order) replaced."""
    f = read_l10n(path)
    if f.format == "po":
        import polib  # deferred: only the PO copies need it

        po = polib.pofile(str(path), wrapwidth=0)
        entries = [e for e in po if not e.obsolete and e.msgid]
        for k, tt in changes.items():
            entries[k].msgstr = tt.text
        po.save(str(out))
        return
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, strip_cdata=False))
    elements = _target_elements(tree, f.format, f.src_lang)
    assert len(elements) == f.n_units, (path, len(elements), f.n_units)
    ns = tree.getroot().nsmap.get(None)
    for k, tt in changes.items():
        _set_content(elements[k], tt.to_xml(), ns)
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")


def planted(data: Path, seed: int, n_units: int, show: bool) -> None:
    print(f"\n## Planted errors ({n_units} random units per file and type, seed {seed})\n")
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # planted, detected
    new_elsewhere: Counter[str] = Counter()
    misses: list[str] = []
    with tempfile.TemporaryDirectory(prefix="mtqa_l10n_planted_") as tmp:
        for name, source_name in PLANT:
            path = data / name
            out_name = name
            f = read_l10n(path)
            units = list(f.units())
            # where `mtqa run` puts each unit: its document (one per XLIFF <file>, named as the job names it) and key
            where = [(f"{out_name}#{d.id}" if len(f.documents) > 1 else out_name, u.key) for d in f.documents for u in d.units]
            lang = f.tgt_lang or "en"
            paths = ([str(data / source_name)] if source_name else []) + [str(path)]
            base, _ = check(paths, TAG_RULES)
            base_by_unit = Counter((_doc(i.document), i.data.get("unit"), i.code, i.message) for i in base)
            source_of = _sources(data, source_name, units)
            for kind in TYPES:
                rng = random.Random(f"{seed}:{name}:{kind}")
                candidates = []
                for k, u in enumerate(units):
                    source = source_of[k]
                    if source is None or u.target is None or u.plurals or not u.translate or u.target.is_empty:
                        continue
                    new = plant_placeholder(kind, source, u.target, lang, rng) if kind.startswith("placeholder") else plant_tag(kind, source, u.target, rng)
                    # a target emptied by the edit is an untranslated unit (A104's), not a placeholder error
                    if new is not None and new.to_xml() != u.target.to_xml() and not new.is_empty:
                        candidates.append((k, new))
                chosen = dict(rng.sample(candidates, min(n_units, len(candidates))))
                if not chosen:
                    continue
                out = Path(tmp) / f"{kind}_{name}"
                write_copy(path, out, chosen)
                issues, _ = check(([str(data / source_name)] if source_name else []) + [str(out)], TAG_RULES)
                found = Counter((_doc(i.document), i.data.get("unit"), i.code, i.message) for i in issues)
                new = found - base_by_unit
                planted_keys = {where[k] for k in chosen}
                family = "M1" if kind.startswith("placeholder") else "M2"
                hit = {(d, u) for (d, u, code, _m) in new if (d, u) in planted_keys and code.startswith(family)}
                per_type[kind][0] += len(chosen)
                per_type[kind][1] += sum(where[k] in hit for k in chosen)
                for (d, u, code, message), count in new.items():
                    if (d, u) not in planted_keys:
                        new_elsewhere[kind] += count
                        misses.append(f"  new on an untouched unit ({name}, {kind}): {d} {u} {code} {message}")
                for k in chosen:
                    if where[k] not in hit:
                        misses.append(f"  missed ({name}, {kind}) unit {units[k].key}: {units[k].target.to_xml()[:120]!r} -> {chosen[k].to_xml()[:120]!r}")
    print("| error type | planted | detected | rate | new findings on untouched units |")
    print("|---|---:|---:|---:|---:|")
    for kind in TYPES:
        n, d = per_type[kind]
        print(f"| {kind} | {n} | {d} | {d / n if n else float('nan'):.3f} | {new_elsewhere[kind]} |")
    for line in misses[: None if show else 40]:
        print(line)


def _doc(document: str) -> str:
    """A document's name without the planted copy's prefix, so that copy and original compare."""
    prefix = next((f"{t}_" for t in TYPES if document.startswith(f"{t}_")), "")
    return document[len(prefix) :]


def _sources(data: Path, source_name: str | None, units: list) -> list[TaggedText | None]:
    """Each unit's source text: its own, or the source-language file's for a key-as-source file
    (None for a unit the source-language file lacks: `mtqa run` does not check it)."""
    if source_name is None:
        return [u.source for u in units]
    text_of = {}
    for u in read_l10n(data / source_name).units():
        text_of.setdefault(u.name or u.source.text or u.id, u.target if u.target is not None and u.target.text.strip() else u.source)
    return [text_of.get(u.name or u.source.text or u.id) for u in units]


# --- 3. speed ------------------------------------------------------------------------------------------


def speed(data: Path) -> None:
    print("\n## Speed: reading + the formal checks (M1-M5), in process, one core\n")
    names = sorted(p.name for p in data.iterdir() if p.suffix in (".po", ".xliff", ".xlf", ".tmx"))
    check([str(data / names[0])], ("M",))  # load babel/wordfreq once, as a run does
    units = 0
    start = time.process_time()
    for _ in range(3):
        for name in names:
            units += check([str(data / name)], ("M",))[1]
    seconds = time.process_time() - start
    print(f"{units} units in {seconds:.2f} CPU-s: {units / seconds:,.0f} units per second")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", help="the shared data folder (default $MTQA_DATA_DIR or ../shared/data)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--units", type=int, default=100)
    ap.add_argument("--show", action="store_true", help="list every missed and every new finding")
    ap.add_argument("--only", choices=["false_alarms", "every_rule", "planted", "speed"])
    args = ap.parse_args()
    data = data_dir(args.data)
    if not data.exists():
        sys.exit(f"{data}: not found (the real localization files; set --data or MTQA_DATA_DIR)")
    steps: dict[str, Callable[[], None]] = {
        "false_alarms": lambda: false_alarms(data, args.show),
        "every_rule": lambda: every_rule(data),
        "planted": lambda: planted(data, args.seed, args.units, args.show),
        "speed": lambda: speed(data),
    }
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        print(f"# Localization checks on the real files (eval/l10n_checks.py, seed {args.seed})\n")
        print("Command: `python eval/l10n_checks.py`. Machine: shared 2-core box; speed is CPU time of this process.")
        for key, step in steps.items():
            if args.only in (None, key):
                step()
    print(out.getvalue())
    if args.only is None:  # the whole benchmark: its committed summary
        (ROOT / "eval" / "results" / "l10n_checks.md").write_text(out.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
