"""Reviewer decisions flowing back: ``mtqa review import FILE`` and the review file runs read.

A reviewer decides on issues in the HTML report (its "Export decisions" button writes
``mtqa-decisions.json``, pipeline/schema/decisions.schema.json) or in issues.xlsx (its "Status"
and "Comment" columns).  Importing either file

* adds false positives to the ignore list (``.mtqa-ignore``, the comment as the reason): the next
  run and the gate ignore them, as ``mtqa ignore`` would;
* records confirmed (and fixed) issues in the review file, ``.mtqa-review.yaml`` beside the ignore
  file: the next run marks them (``"review": {"status": "confirmed", "comment": ...}`` in
  results.json) and they count as before;
* withdraws the earlier decision on an issue set back to "open" (its entry leaves both files).

Both files are edited in place, comments and order kept (pipeline/ignore.py ``edit_entry_file``).
The review file::

    review:
      - fingerprint: 3f0c1a9e5b7d2c44
        status: confirmed           # or fixed
        comment: the number really is wrong
        code: N101                  # optional, for the reader
        text: "1,5"
"""

from __future__ import annotations

import functools
import json
import zipfile
from collections import Counter
from collections.abc import Iterable, MutableSequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jsonschema

from .errors import ConfigError, InputError
from .filenames import REVIEW_FILE_NAME
from .ignore import _FINGERPRINT, DEFAULT_IGNORE_FILE, EditCounts, IgnoreEntry, _opt_str, apply_ignore_file, edit_entry_file, read_entry_list, read_ignore_file
from .ignore import _HEADER as _IGNORE_HEADER
from .model import Issue
from .scoring.mqm import refresh_mqm

DECISIONS_SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "decisions.schema.json"
STATUSES = ("open", "confirmed", "false_positive", "fixed")
REVIEWED = ("confirmed", "fixed")  # the statuses the review file keeps
# issues.xlsx "Status" column: what a reviewer picks from the list -> the decision's status
XLSX_STATUS = {"open": "open", "confirmed": "confirmed", "false positive": "false_positive", "fixed": "fixed"}
_HEADER = (
    "# mtqa review file: findings a reviewer confirmed (or marked fixed), by fingerprint.\n"
    "# `mtqa review import DECISIONS` writes it; mtqa run and mtqa gate mark these issues (\"review\" in results.json).\n"
    "# False positives go to the ignore list beside this file instead.\n"
)
_MAX_XLSX_BYTES = 200 * 1024 * 1024  # uncompressed: a workbook of a million issues is far smaller
_MAX_ROWS = 2_000_000


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    fingerprint: str
    status: str
    comment: str | None = None
    code: str | None = None
    text: str | None = None

    def mark(self) -> dict[str, Any]:
        """What an issue carries in results.json."""
        return {"status": self.status, "comment": self.comment or None}


@dataclass(frozen=True, slots=True)
class Decision:
    fingerprint: str
    status: str  # one of STATUSES
    comment: str | None = None
    code: str | None = None
    text: str | None = None
    system: str | None = None


class ReviewList:
    """Confirmed/fixed decisions by fingerprint (the review file)."""

    def __init__(self, entries: Iterable[ReviewEntry] = (), sources: Iterable[str] = ()) -> None:
        self.entries: dict[str, ReviewEntry] = {}
        self.sources = list(sources)
        for entry in entries:
            self.entries.setdefault(entry.fingerprint, entry)

    def __len__(self) -> int:
        return len(self.entries)

    def apply(self, issues: Iterable[Issue]) -> int:
        """Mark the listed issues reviewed (others lose an old mark); returns how many."""
        count = 0
        for issue in issues:
            entry = self.entries.get(issue.fingerprint)
            issue.review = entry.mark() if entry is not None else None
            count += entry is not None
        return count

    def apply_dicts(self, issues: MutableSequence[dict[str, Any]]) -> int:
        """The same for the issues of a results dict (``mtqa gate``/``report`` on a results.json)."""
        count = 0
        for issue in issues:
            entry = self.entries.get(issue["fingerprint"])
            if entry is None:
                issue.pop("review", None)
            else:
                issue["review"] = entry.mark()
                count += 1
        return count


def review_file_for(ignore_file: str | Path | None) -> Path:
    """The review file of an ignore file: ``.mtqa-review.yaml`` in the same folder."""
    return Path(ignore_file or DEFAULT_IGNORE_FILE).parent / REVIEW_FILE_NAME


def parse_review_entries(raw: Any, origin: str) -> list[ReviewEntry]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ConfigError(f"{origin}: 'review' must be a list of entries with a fingerprint and a status")
    entries = []
    for k, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or "fingerprint" not in item:
            raise ConfigError(f"{origin}: review entry {k} needs a 'fingerprint'")
        unknown = set(item) - {"fingerprint", "status", "comment", "code", "text"}
        if unknown:
            raise ConfigError(f"{origin}: review entry {k}: unknown key '{sorted(unknown)[0]}'")
        fingerprint = str(item["fingerprint"]).strip().lower()
        if isinstance(item["fingerprint"], (list, dict)) or not _FINGERPRINT.match(fingerprint):
            raise ConfigError(f"{origin}: review entry {k}: {item['fingerprint']!r} is not a fingerprint (16 hex digits)")
        status = item.get("status")
        if status not in REVIEWED:
            raise ConfigError(f"{origin}: review entry {k}: status must be {' or '.join(REVIEWED)}, not {status!r}")
        entries.append(
            ReviewEntry(
                fingerprint,
                status,
                _opt_str(item.get("comment"), origin, k, "comment"),
                _opt_str(item.get("code"), origin, k, "code"),
                _opt_str(item.get("text"), origin, k, "text"),
            )
        )
    return entries


def read_review_file(path: str | Path) -> ReviewList:
    origin = str(Path(path))
    return ReviewList(parse_review_entries(read_entry_list(path, "review", "review file"), origin), [origin])


def review_list_for(ignore_file: str | Path | None) -> ReviewList:
    """The review file beside ``ignore_file`` (the default ignore file when None); empty when absent."""
    path = review_file_for(ignore_file)
    return read_review_file(path) if path.exists() else ReviewList()


def apply_review_file(data: dict[str, Any], ignore_file: str | None) -> ReviewList | None:
    """Recompute a results dict's ``review`` marks from the review file beside the ignore file;
    None (the marks the run wrote stay) when there is no review file."""
    path = review_file_for(ignore_file)
    if not path.exists():
        return None
    listed = read_review_file(path)
    listed.apply_dicts(data["issues"])
    return listed


def apply_decision_files(data: dict[str, Any], ignore_file: str | None) -> None:
    """The ignore and review files of now (reviewers may have decided since the run) on a results
    dict (``mtqa gate``, ``mtqa report``), and its MQM numbers recomputed for the issues no longer
    counted."""
    apply_ignore_file(data, ignore_file)
    apply_review_file(data, ignore_file)
    refresh_mqm(data)


# --- reading decisions ---------------------------------------------------------------------------


@functools.cache
def _decisions_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(DECISIONS_SCHEMA_PATH.read_text(encoding="utf-8")))


def decisions_problem(data: Any) -> str | None:
    """Where and how ``data`` breaks the decisions schema, or None when it follows it."""
    error = jsonschema.exceptions.best_match(_decisions_validator().iter_errors(data))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "top level"
    return f"{where}: {' '.join(error.message.split())[:200]}"


def read_decisions(path: str | Path) -> list[Decision]:
    """A decisions JSON, an issues.xlsx or an ignore file (YAML), validated; any problem is an InputError naming the file."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such decisions file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, expected a decisions JSON or an issues.xlsx")
    try:
        with p.open("rb") as f:
            head = f.read(8)
    except OSError as err:
        raise InputError(f"{p}: cannot read ({err.strerror})") from None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{p}: an encrypted or old-format (.xls) workbook; save it as .xlsx without a password")
    if head.startswith(b"PK") or p.suffix.lower() in (".xlsx", ".xlsm", ".xltx", ".xltm"):
        return _read_xlsx(p)
    if p.suffix.lower() in (".yaml", ".yml") or p.name.endswith("mtqa-ignore"):
        return _read_ignore_entries(p)
    return _read_json(p)


def _read_ignore_entries(p: Path) -> list[Decision]:
    """An ignore file (the report's "Export ignore entries", mtqa-ignore.yaml, or another project's
    .mtqa-ignore): every entry is a false positive, its reason the comment."""
    try:
        entries = read_ignore_file(p).entries.values()
    except ConfigError as err:
        raise InputError(str(err)) from None
    return [Decision(e.fingerprint, "false_positive", e.reason, e.code, e.text) for e in entries]


def _read_json(p: Path) -> list[Decision]:
    try:
        data = json.loads(p.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise InputError(f"{p}: not UTF-8 text (byte offset {err.start}); not a decisions file") from None
    except json.JSONDecodeError as err:
        raise InputError(f"{p}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    except RecursionError:
        raise InputError(f"{p}: not a decisions file (JSON nested too deeply)") from None
    if not isinstance(data, dict) or "mtqa_decisions" not in data:
        raise InputError(f"{p}: not an mtqa decisions file (no \"mtqa_decisions\": 1; export it from the HTML report)")
    problem = decisions_problem(data)
    if problem is not None:
        raise InputError(f"{p}: invalid decisions at {problem}")
    return [
        Decision(d["fingerprint"], d["status"], d.get("comment") or None, d.get("code") or None, d.get("text") or None, d.get("system") or None)
        for d in data["decisions"]
    ]


def _check_workbook_archive(p: Path) -> None:
    """Refuse what an issue list never holds: macros, oversized or broken archives."""
    if p.suffix.lower() in (".xlsm", ".xltm"):
        raise InputError(f"{p}: a macro-enabled workbook; mtqa reads issues.xlsx saved as a plain .xlsx")
    try:
        with zipfile.ZipFile(p) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(f"{p}: not a readable XLSX workbook (broken or not a zip archive)") from None
    names = {m.filename.lower() for m in members}
    if any(n.endswith("vbaproject.bin") or n.startswith(("xl/macrosheets/", "xl/dialogsheets/")) for n in names):
        raise InputError(f"{p}: the workbook contains macros; mtqa reads issues.xlsx saved as a plain .xlsx")
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        raise InputError(f"{p}: not an XLSX workbook (no xl/workbook.xml)")
    if sum(m.file_size for m in members) > _MAX_XLSX_BYTES:
        raise InputError(f"{p}: the workbook unpacks to more than {_MAX_XLSX_BYTES // 2**20} MB; not an mtqa issue list")


def _read_xlsx(p: Path) -> list[Decision]:
    _check_workbook_archive(p)
    from openpyxl import load_workbook  # deferred: only an XLSX import reads workbooks

    try:
        wb = load_workbook(p, read_only=True, data_only=True, keep_vba=False, keep_links=False)
    except Exception as err:  # openpyxl raises many kinds (KeyError, ValueError, its own) for a broken file
        raise InputError(f"{p}: not a readable XLSX workbook ({type(err).__name__})") from None
    try:
        if "Issues" not in wb.sheetnames:
            raise InputError(f"{p}: no sheet named 'Issues' (is this an issues.xlsx written by mtqa?)")
        rows = wb["Issues"].iter_rows(values_only=True)
        header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
        return _decisions_from_rows(p, header, rows)
    finally:
        wb.close()


def _column(header: list[str], *names: str) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def _cell(row: tuple, k: int | None) -> str | None:
    if k is None or k >= len(row) or row[k] is None:
        return None
    text = str(row[k]).strip()
    return text or None


def _decisions_from_rows(p: Path, header: list[str], rows: Iterable[tuple]) -> list[Decision]:
    fp_col, status_col = _column(header, "Fingerprint"), _column(header, "Status")
    if fp_col is None or status_col is None:
        missing = "Fingerprint" if fp_col is None else "Status"
        raise InputError(f"{p}: sheet 'Issues' has no '{missing}' column (is this an issues.xlsx written by mtqa?)")
    comment_col = _column(header, "Comment", "Reviewer comment")
    code_col, text_col, system_col = _column(header, "Code"), _column(header, "Flagged text"), _column(header, "System")
    decisions = []
    for number, row in enumerate(rows, start=2):
        if number > _MAX_ROWS:
            raise InputError(f"{p}: more than {_MAX_ROWS} rows; not an mtqa issue list")
        fingerprint, status = _cell(row, fp_col), _cell(row, status_col)
        if fingerprint is None or status is None:  # no issue, or no decision on it
            continue
        fingerprint = fingerprint.lower()
        if not _FINGERPRINT.match(fingerprint):
            raise InputError(f"{p}: row {number}: {fingerprint!r} is not an issue fingerprint (16 hex digits)")
        key = status.lower().replace("_", " ")
        if key not in XLSX_STATUS:
            raise InputError(f"{p}: row {number}: status {status!r} is not one of {', '.join(XLSX_STATUS)}")
        decisions.append(Decision(fingerprint, XLSX_STATUS[key], _cell(row, comment_col), _cell(row, code_col), _cell(row, text_col), _cell(row, system_col)))
    return decisions


# --- applying decisions --------------------------------------------------------------------------


@dataclass(slots=True)
class ImportResult:
    decisions: Counter[str]
    ignore_file: Path
    review_file: Path
    ignore: EditCounts
    review: EditCounts
    conflicts: int = 0

    def describe(self) -> list[str]:
        n = sum(self.decisions.values())
        kinds = ", ".join(f"{self.decisions[s]} {s.replace('_', ' ')}" for s in STATUSES if self.decisions[s])
        lines = [
            f"{n} finding{'s' if n != 1 else ''} decided" + (f" ({kinds})" if kinds else ""),
            f"{self.ignore_file}: {self.ignore.describe()}",
            f"{self.review_file}: {self.review.describe()}",
        ]
        if self.conflicts:
            lines.append(f"note: {self.conflicts} finding(s) had different decisions in different rows (one per system); the last row's was taken")
        return lines


def one_per_finding(decisions: Iterable[Decision]) -> tuple[dict[str, Decision], int]:
    """One decision per fingerprint, and how many fingerprints had conflicting ones.

    The same finding in several systems (the same sentence, the same flag) shares its fingerprint,
    and issues.xlsx lists it once per system: a decision in one of its rows beats "open" in the
    others; of two different decisions the later row's wins; the same decision keeps a comment
    given in either row.
    """
    chosen: dict[str, Decision] = {}
    conflicts: set[str] = set()
    for d in decisions:
        prev = chosen.get(d.fingerprint)
        if prev is not None:
            if d.status == "open" and prev.status != "open":
                continue
            if prev.status not in ("open", d.status):
                conflicts.add(d.fingerprint)
            elif prev.status == d.status and not d.comment:
                d = replace(d, comment=prev.comment)
            del chosen[d.fingerprint]  # keep the order of the chosen decisions
        chosen[d.fingerprint] = d
    return chosen, len(conflicts)


def import_decisions(decisions: Iterable[Decision], ignore_file: str | Path, review_file: str | Path) -> ImportResult:
    """Apply decisions to the ignore and review files (one per finding: :func:`one_per_finding`)."""
    last, conflicts = one_per_finding(decisions)
    ignores: dict[str, dict[str, str]] = {}
    reviews: dict[str, dict[str, str]] = {}
    for d in last.values():
        if d.status == "false_positive":
            ignores[d.fingerprint] = IgnoreEntry(d.fingerprint, d.comment, d.code, d.text).to_dict()
        elif d.status in REVIEWED:
            entry = {"fingerprint": d.fingerprint, "status": d.status, "comment": d.comment or "", "code": d.code or "", "text": d.text or ""}
            reviews[d.fingerprint] = entry
    everything = set(last)
    ignore_path, review_path = Path(ignore_file), Path(review_file)
    # read both before writing either: a broken file stops the import before anything changes
    for path, reader in ((ignore_path, read_ignore_file), (review_path, read_review_file)):
        if path.exists():
            reader(path)
    ignore_counts = edit_entry_file(ignore_path, "ignore", _IGNORE_HEADER, read_ignore_file, ignores, everything - set(ignores))
    review_counts = edit_entry_file(review_path, "review", _HEADER, read_review_file, reviews, everything - set(reviews))
    return ImportResult(Counter(d.status for d in last.values()), ignore_path, review_path, ignore_counts, review_counts, conflicts)



def cmd_review_import(args: Any) -> int:
    """``mtqa review import FILE``: a decisions JSON or an edited issues.xlsx into the ignore and review files."""
    decisions = read_decisions(args.file)
    ignore_file = Path(args.ignore_file or DEFAULT_IGNORE_FILE)
    review_file = Path(args.review_file) if args.review_file else review_file_for(ignore_file)
    result = import_decisions(decisions, ignore_file, review_file)
    print(f"mtqa review: {args.file}: " + "\n".join(result.describe()))
    if review_file.resolve() != review_file_for(ignore_file).resolve():
        print(f"note: mtqa run and mtqa gate read the review file beside the ignore file ({review_file_for(ignore_file)}), not {review_file}")
    return 0
