"""Typography and repetition (T): doubled words and phrases, spacing, punctuation, brackets, quotes.

These rules read only the target text, so they run for any language pair; where the convention
depends on the target language (French spaces before ``; : ! ?``) the target locale decides.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

from ..model import AlignedPair
from ..wordlists import top_words
from .registry import CheckContext, Finding, rule
from .textspans import COMBINING_MARKS, base_lang, inside, marked_words, masked_ranges, shipped, words

# A word is letters and the combining marks between them; a doubling must not continue into a longer word.
DOUBLED_WORD_RE = re.compile(rf"(?<![-'’\w{COMBINING_MARKS}])((?:[^\W\d_]|[{COMBINING_MARKS}])+)[ \t\u00a0]+(\1)(?![\w{COMBINING_MARKS}])", re.IGNORECASE)


def _doubled_word_exceptions(ctx: CheckContext) -> set[str]:
    table = shipped(ctx, "typography.yaml")["doubled_word_exceptions"]
    return {str(w).casefold() for w in table.get(base_lang(ctx.tgt_lang), [])}


def _spelled_letters(ctx: CheckContext) -> frozenset[str]:
    table = shipped(ctx, "typography.yaml").get("spelled_letters", {})
    return frozenset(str(w) for w in table.get(base_lang(ctx.tgt_lang), []))


def _reduplication_limit(ctx: CheckContext) -> frozenset[str] | None:
    """For a target language that doubles content words as grammar (typography.yaml reduplicating_targets):
    the words whose doubling is still a slip, its N most frequent words; None for every other language."""
    lang = base_lang(ctx.tgt_lang)
    top = shipped(ctx, "typography.yaml").get("reduplicating_targets", {}).get(lang)
    if not top:
        return None

    def load() -> frozenset[str]:
        return frozenset(w.casefold() for w in top_words(lang, int(top)))

    return ctx.resource(f"typography:frequent:{lang}", load)


def _next_to_letter_name(text: str, m: re.Match[str], letters: frozenset[str]) -> bool:
    before = text[: m.start()].split()
    after = text[m.end() :].split()
    word_before = before[-1].strip("(\"'") if before else ""
    # Arabic writes "and" as a prefix: وسي إن إن is "and CNN"
    return bool(word_before in letters or word_before.removeprefix("و") in letters or (after and after[0].strip(".,;:)\"'،") in letters))


def _source_repeats(pair: AlignedPair, ctx: CheckContext) -> bool:
    """The source repeats a word or phrase itself ("Nein, nein", "Plus Plus"): the translation may too.
    Not in languages that double words as grammar (Hindi "धीरे धीरे", "slowly"): there a doubled
    source word is no reason for a doubled target word."""
    if base_lang(ctx.src_lang) in shipped(ctx, "typography.yaml").get("reduplicating_languages", []):
        return False
    folded = [w.text.casefold() for w in words(pair.source_text)]
    if not _may_repeat(folded):
        return False
    return any(folded[i : i + n] == folded[i + n : i + 2 * n] for n in range(1, 4) for i in range(len(folded) - 2 * n + 1))


def _may_repeat(folded: list[str]) -> bool:
    """Cheap necessary condition for an immediate repetition: a doubled word or a bigram seen twice."""
    pairs = list(pairwise(folded))
    return any(a == b for a, b in pairs) or len(set(pairs)) < len(pairs)


@rule("T101", "doubled-word", category="fluency/grammar", severity="minor")
def doubled_word(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A word written twice in a row ("the the").

    Why: a classic MT and editing slip that spell checkers miss because each word is correct.
    Grammatical doublings of the target language ("had had", "that that", German "die die") are
    listed in pipeline/data/typography.yaml and not flagged; neither are capitalised doublings,
    which are usually names ("Bora Bora"), nor a doubled letter name in an acronym spelled out in
    letters (Arabic بي بي سي, "BBC"). In a target language that doubles words as grammar (Turkish
    "yavaş yavaş", Vietnamese "mãi mãi"; typography.yaml reduplicating_targets) only a doubled
    function word, one of the language's most frequent words, is flagged ("của của").

    A doubling that mirrors a repetition in the source ("Nein, nein") is not flagged.

    Example: "the talks in the the Swiss city" -> "the the" (suggestion "the").
    Switch off: ``checks.disable: [T101]``.
    """
    text = pair.target_text
    matches = list(DOUBLED_WORD_RE.finditer(text))
    if not matches or _source_repeats(pair, ctx):
        return
    exceptions = _doubled_word_exceptions(ctx)
    letters = _spelled_letters(ctx)
    slips_only = _reduplication_limit(ctx)
    for m in matches:
        word = m.group(1)
        if word.casefold() in exceptions or (word[0].isupper() and m.group(2)[0].isupper()):
            continue
        if slips_only is not None and word.casefold() not in slips_only:
            continue  # Turkish "zaman zaman", Vietnamese "mãi mãi": reduplication, grammar of the language
        if word in letters and _next_to_letter_name(text, m, letters):
            continue  # an acronym spelled out in letter names: Arabic بي بي سي (BBC)
        yield Finding(m.start(), m.end(), f"doubled word '{word}'", suggestion=word)


REDUPLICATION_LINKS = {"and", "or", "by", "after", "to", "upon", "und", "für", "et", "и"}


@rule("T102", "repeated-phrase", category="fluency/grammar", severity="minor")
def repeated_phrase(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A phrase of 2 to 6 words repeated immediately ("in the city in the city").

    Why: neural MT sometimes loops and repeats a chunk of its output; the repetition is fluent
    word by word, so only this check sees it. Repetitions the source has too (song lyrics,
    "Nein, nein, nein") are not flagged, nor a phrase said twice with a comma between ("so happy,
    so happy": a figure of speech; three times is a loop again).

    Example: "talks on security on security guarantees" -> "on security on security".
    Switch off: ``checks.disable: [T102]``.
    """
    text = pair.target_text
    toks = marked_words(text)  # a Devanagari word with its vowel signs (हिप हॉप is no repeated "ह प")
    folded = [w.text.casefold() for w in toks]
    if not _may_repeat(folded) or _source_repeats(pair, ctx):
        return
    i = 0
    while i < len(toks):
        found = False
        for n in range(6, 1, -1):
            if i + 2 * n > len(toks) or folded[i : i + n] != folded[i + n : i + 2 * n]:
                continue
            gap = text[toks[i + n - 1].end : toks[i + n].start]
            if gap.strip(" ,") or any(w.has_digit for w in toks[i : i + n]):
                continue
            if n == 2 and (folded[i] in REDUPLICATION_LINKS or folded[i + 1] in REDUPLICATION_LINKS):
                continue  # "faster and faster and", "step by step by": idiomatic, not a loop
            if "," in gap and folded[i + 2 * n : i + 3 * n] != folded[i : i + n]:
                continue  # "so happy, so happy": a rhetorical doubling set off by a comma; a loop goes on
            start, end = toks[i].start, toks[i + 2 * n - 1].end
            phrase = text[toks[i].start : toks[i + n - 1].end]
            yield Finding(start, end, f"phrase repeated: '{phrase}'", suggestion=phrase)
            i += 2 * n
            found = True
            break
        if not found:
            i += 1


MULTI_SPACE_RE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")


@rule("T201", "doubled-space", category="fluency/punctuation", severity="minor")
def doubled_space(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """Two or more spaces between words.

    Why: invisible in most review tools but visible in print and layout; usually left over from
    editing or from joining segments.

    Not flagged where the source has runs of spaces too (columns of a usage message), nor two
    spaces after a full stop, question or exclamation mark (typewriter sentence spacing, a style).

    Example: "the  tense situation" -> the two spaces (suggestion: one space).
    Switch off: ``checks.disable: [T201]``.
    """
    if MULTI_SPACE_RE.search(pair.source_text):
        return  # the source lines text up with spaces too (usage messages, tables): kept on purpose
    for m in MULTI_SPACE_RE.finditer(pair.target_text):
        if m.end() - m.start() == 2 and pair.target_text[m.start() - 1] in ".!?":
            continue  # two spaces between sentences: the typewriter's sentence spacing, a house style
        yield Finding(m.start(), m.end(), "more than one space between words", suggestion=" ")


SPACE_BEFORE_RE = re.compile(r"(?<=[^\W_])([ \u00a0]+)([,.;:!?])(?=\s|$)")
FRENCH_MISSING_RE = re.compile(r"(?<=[^\W_])([;:!?])(?=\s|$)")
FRENCH_GUILLEMET_RE = re.compile(r"«(?=[^\W_])|(?<=[^\W_])»")


@rule("T202", "punctuation-spacing", category="fluency/punctuation", severity="minor")
def punctuation_spacing(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """Spacing around punctuation that breaks the target language's convention.

    Why: English and German put no space before , . ; : ! ?, French puts a (narrow no-break)
    space before ; : ! ? and inside « »; MT and copy-paste mix the two.

    A spacing the source has too (informal text, chat) is not the translation's fault and is
    not flagged.

    Example (English): "the call , which" -> " ," (suggestion ","); (French) "Pourquoi?" -> "?"
    (suggestion "\u202f?").
    Switch off: ``checks.disable: [T202]``.
    """
    text = pair.target_text
    masked = masked_ranges(text)
    if base_lang(ctx.tgt_lang) == "fr":
        for m in FRENCH_MISSING_RE.finditer(text):
            if not inside(masked, m.start(), m.end()):
                yield Finding(m.start(), m.end(), f"French needs a no-break space before '{m.group(1)}'", suggestion="\u202f" + m.group(1))
        for m in FRENCH_GUILLEMET_RE.finditer(text):
            fix = "«\u202f" if m.group() == "«" else "\u202f»"
            yield Finding(m.start(), m.end(), "French needs a no-break space inside guillemets", suggestion=fix)
        return
    mirrored = {m.group(2) for m in SPACE_BEFORE_RE.finditer(pair.source_text)}
    for m in SPACE_BEFORE_RE.finditer(text):
        if inside(masked, m.start(), m.end()) or m.group(2) in mirrored:
            continue
        yield Finding(m.start(), m.end(), f"space before '{m.group(2)}'", suggestion=m.group(2))


MISSING_SPACE_AFTER_RE = re.compile(r"(?<=[^\W\d_]{2})([,;!?]|\.(?!\w\.))(?=[^\W\d_]{2})")


def _unspaced_script(ch: str) -> bool:
    """Han, kana and the CJK symbols: scripts written without spaces between words."""
    return "\u3000" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


@rule("T203", "missing-space-after-punctuation", category="fluency/punctuation", severity="minor")
def missing_space_after(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """No space after a comma or sentence punctuation between two words ("talks,which").

    Why: a frequent artefact of joining segments or of tokenisation in MT post-processing.
    URLs, e-mail addresses, abbreviations like "U.S." and file names such as "Node.js" (a
    lower-case word after the dot) are not flagged; decimals have digits and never match; nor is a
    mark the source also runs into the next word (informal text), nor one next to Chinese or Japanese
    characters (written without spaces).

    Example: "in Geneva.The Kremlin" -> "." (suggestion ". ").
    Switch off: ``checks.disable: [T203]``.
    """
    text = pair.target_text
    masked = masked_ranges(text)
    mirrored = {m.group() for m in MISSING_SPACE_AFTER_RE.finditer(pair.source_text)}
    for m in MISSING_SPACE_AFTER_RE.finditer(text):
        if m.group() in mirrored:
            continue
        after = text[m.end() :]
        if m.group() == "." and not after[:1].isupper():
            continue  # "Node.js", "example.com"
        if _unspaced_script(text[m.start() - 1]) or _unspaced_script(after[0]):
            continue  # Chinese and Japanese put no space after any mark (a half-width comma there is another matter)
        if inside(masked, m.start(), m.end()):
            continue
        yield Finding(m.start(), m.end(), f"no space after '{m.group()}'", suggestion=m.group() + " ")


REPEATED_PUNCT_RE = re.compile(r"([,;:!?])\1+|(?<!\.)\.\.(?!\.)|[!?]{2,}")


@rule("T204", "repeated-punctuation", category="fluency/punctuation", severity="minor")
def repeated_punctuation(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """Punctuation doubled by mistake (",," "..", "!!", "?!").

    Why: news and technical text never doubles these; an ellipsis ("..." or "…") is not flagged,
    nor a repetition the source has too (informal "??" or "!!!").

    Example: "the call,, which" -> ",," (suggestion ",").
    Switch off: ``checks.disable: [T204]``.
    """
    mirrored = {m.group()[0] for m in REPEATED_PUNCT_RE.finditer(pair.source_text)}
    for m in REPEATED_PUNCT_RE.finditer(pair.target_text):
        if m.group()[0] in mirrored:
            continue  # "!!" in an informal source may stay "!!"
        yield Finding(m.start(), m.end(), f"repeated punctuation '{m.group()}'", suggestion=m.group()[0])


DOUBLE_HYPHEN_RE = re.compile(r"(?<=[^\W_]|[ ,.;:!?)\"”’])\s?--(?!-)\s?(?=[^\W_]|[ (\"“‘])")


def _typed_dashes(text: str) -> list[re.Match[str]]:
    return [m for m in DOUBLE_HYPHEN_RE.finditer(text) if not (m.group()[0].isspace() and m.group()[-1] == "-" and m.end() < len(text) and text[m.end()].isalnum())]


@rule("T205", "double-hyphen", category="fluency/punctuation", severity="minor")
def double_hyphen(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """Two hyphens standing in for a dash ("realized -- and this").

    Why: "--" is a typewriter substitute; published text uses a dash (an em dash "—" in US
    style, a spaced en dash " – " in British and German style). MT output of spoken or informal
    sources produces it often.

    Not flagged: command-line options ("git apply --cached": a space before, a letter right after)
    and a target that keeps the dashes its source typed the same way (software strings, quotations).

    Example: "escape -- leaving a shadow" -> " -- " (suggestion " — ").
    Switch off: ``checks.disable: [T205]``.
    """
    if "--" not in pair.target_text or _typed_dashes(pair.source_text):
        return
    for m in _typed_dashes(pair.target_text):
        spaced = m.group().startswith(" ") or m.group().endswith(" ")
        yield Finding(m.start(), m.end(), "two hyphens used as a dash", suggestion=" — " if spaced else "—")


BRACKETS = {")": "(", "]": "[", "}": "{", "）": "（", "］": "［", "｝": "｛"}
# A full-width bracket closed by a half-width one or the reverse (Chinese （威尔士议会议员) is
# balanced: the width is a typing slip, not a lost bracket.
SAME_BRACKET = {"(": "(", "（": "(", "[": "[", "［": "[", "{": "{", "｛": "{"}
EMOTICON_RE = re.compile(r"[:;=]-?[()\[\]](?!\w)|(?<!\S)\(-?[:;](?!\w)")
ENUMERATOR_RE = re.compile(r"(?:^|\s)[a-zA-Z0-9ivx]{1,3}$")


@rule("T301", "unbalanced-brackets", category="fluency/punctuation", severity="minor")
def unbalanced_brackets(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """An opening bracket without its closing one, or the reverse.

    Why: MT drops or moves brackets, and a lost closing bracket swallows the rest of the sentence.
    List enumerators such as "a)" or "2)" and emoticons (":)", ";(") are not counted, nor are
    unbalanced brackets the source has too (chat text writes ")" as a smile).

    Example: "the Organization for Security (OSCE said" -> "(".
    Switch off: ``checks.disable: [T301]``.
    """
    mirrored = Counter(_bracket_kind(ch) for _, ch, _ in _unmatched_brackets(pair.source_text))
    for i, ch, message in _unmatched_brackets(pair.target_text):
        if mirrored[_bracket_kind(ch)]:
            mirrored[_bracket_kind(ch)] -= 1
            continue
        yield Finding(i, i + 1, message)


def _bracket_kind(ch: str) -> str:
    """The bracket as a half-width opening one and a side: "（" and "(" are one kind, ")" another."""
    return SAME_BRACKET[ch] if ch in SAME_BRACKET else SAME_BRACKET[BRACKETS[ch]] + "close"


BRACKET_RE = re.compile(r"[()\[\]{}（）［］｛｝]")


def _unmatched_brackets(text: str) -> list[tuple[int, str, str]]:
    marks = [(m.start(), m.group()) for m in BRACKET_RE.finditer(text)]
    if not marks:
        return []
    emoticons = {m.start() + k for m in EMOTICON_RE.finditer(text) for k in range(len(m.group()))}
    stack: list[tuple[str, int]] = []
    out = []
    for i, ch in marks:
        if i in emoticons:
            continue
        if ch in SAME_BRACKET:
            stack.append((ch, i))
        elif ch in BRACKETS:
            if stack and SAME_BRACKET[stack[-1][0]] == SAME_BRACKET[BRACKETS[ch]]:
                stack.pop()
            elif ch == ")" and ENUMERATOR_RE.search(text[:i]):
                continue
            else:
                out.append((i, ch, f"closing '{ch}' without an opening '{BRACKETS[ch]}'"))
    out += [(i, ch, f"opening '{ch}' is never closed") for ch, i in stack]
    return sorted(out)


QUOTE_PAIRS = {("“", "”"), ("„", "“"), ("„", "”"), ("«", "»"), ("»", "«"), ("‹", "›"), ("›", "‹"), ("「", "」"), ("『", "』"), ('"', '"')}
DOUBLE_QUOTES = {c for p in QUOTE_PAIRS for c in p}
DOUBLE_QUOTE_RE = re.compile("[" + re.escape("".join(sorted(DOUBLE_QUOTES))) + "]")


@rule("T302", "unbalanced-quotes", category="fluency/punctuation", severity="minor", scope="document")
def unbalanced_quotes(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """A quotation opened but not closed, or closed without being opened (double quotes).

    Why: a dropped quotation mark changes who said what. Any pairing used by some language counts
    as balanced („…“, “…”, «…», »…«, "…"); the quote style itself is rule L101's business. A
    quotation may continue into the next paragraph without closing (the typographic convention for
    multi-paragraph quotes), so an open quote is only flagged when the segment has at least one
    other quote mark, and an imbalance the source segment has as well (a quotation that spans
    segments) is not flagged, nor a quotation that the neighbouring target segment continues (a quote
    mark left open there too: "... he would "put my cape on. / You want the world to move forward?""
    as two segments of the same document); single quotes are skipped because they double as apostrophes.

    Example: 'Biden said “we are ready to respond.' -> "“".
    Switch off: ``checks.disable: [T302]``.
    """
    # Same-mark quotations are read on the target side only: a source's ”…” read as two stray marks
    # excuses more, never less (X->en flags stay as measured).
    same_mark = base_lang(ctx.tgt_lang) != "en"
    for k, pair in enumerate(pairs):
        before = pairs[k - 1] if k and pairs[k - 1].system == pair.system else None
        after = pairs[k + 1] if k + 1 < len(pairs) and pairs[k + 1].system == pair.system else None
        for finding in _unbalanced_quotes(pair, before, after, same_mark):
            yield pair, finding


def _open_at_edge(pair: AlignedPair | None, same_mark: bool) -> bool:
    """Whether a neighbouring target segment has a quote mark of its own left unpaired."""
    if pair is None:
        return False
    unopened, unclosed = _quote_balance(pair.target_text, same_mark)
    return bool(unopened or unclosed)


# Unambiguous single quotation marks of a (British-style) source: one opening before a word, one closing
# after sentence punctuation ("Because clearly something has gone wrong for young men.'"); apostrophes
# ("dogs'", "it's") match neither.
SINGLE_OPEN_RE = re.compile(r"(?<![\w.,!?])['‘](?=[^\W\d_])")
SINGLE_CLOSE_RE = re.compile(r"(?<=[.,!?])['’](?=\s|$|[)\]])")


def _single_quote_imbalance(text: str) -> int:
    """How many single quotation marks of the text are left unpaired (a quotation that a British-style
    source opens or closes in another segment, which the translation renders with double marks)."""
    if "'" not in text and "‘" not in text and "’" not in text:
        return 0
    marks = sorted([(m.start(), 1) for m in SINGLE_OPEN_RE.finditer(text)] + [(m.start(), -1) for m in SINGLE_CLOSE_RE.finditer(text)])
    depth = unopened = 0
    for _, step in marks:
        if step < 0 and depth == 0:
            unopened += 1
        else:
            depth += step
    return unopened + depth


NESTED_CLOSE_RE = re.compile(r"[\"”»’'][\"”»]|[\"”»][’']")


def _speech_resumes(pair: AlignedPair | None) -> bool:
    """Whether the segment before ends on a dash: Russian and Ukrainian resume a quotation after the
    author's words without a new opening mark («…, — сказав він. — / Я не йшов ні на які поступки»)."""
    return pair is not None and pair.target_text.rstrip().endswith(("—", "–"))


def _unbalanced_quotes(pair: AlignedPair, before: AlignedPair | None, after: AlignedPair | None, same_mark: bool) -> Iterator[Finding]:
    unopened, unclosed = _quote_balance(pair.target_text, same_mark)
    src_unopened, src_unclosed = _quote_balance(pair.source_text)
    src_single = _single_quote_imbalance(pair.source_text)
    # A quotation that opens or closes outside this segment does so in the source as well (a
    # straight " there may read as opening or closing, so only the counts are compared).
    # Quotations that end together in the source ("He said, "Because he makes me laugh,"") are
    # often closed with one mark in translation: one mark short is not flagged there.
    slack = 1 if NESTED_CLOSE_RE.search(pair.source_text) else 0
    if len(unopened) + len(unclosed) <= len(src_unopened) + len(src_unclosed) + src_single + slack:
        return
    # One finding each way is enough to send a reviewer to the segment.
    if unopened and not _open_at_edge(before, same_mark) and not _speech_resumes(before):
        i = unopened[0]
        yield Finding(i, i + 1, f"closing quotation mark '{pair.target_text[i]}' without an opening one")
    if unclosed and not _open_at_edge(after, same_mark) and sum(ch in DOUBLE_QUOTES for ch in pair.target_text) > 1:
        i = unclosed[-1]
        yield Finding(i, i + 1, f"quotation mark '{pair.target_text[i]}' is never closed")


def _quote_balance(text: str, same_mark: bool = False) -> tuple[list[int], list[int]]:
    """Positions of closing marks without an opening one, and of opening marks never closed.

    ``same_mark`` (every target but English): the marks' shapes are not trusted, only their number and
    place. Translators into Korean, Arabic, Chinese, Italian, Hebrew ... mix a straight " with a curly
    mark ("…”, “…"), quote with one shape on both sides (Finnish ”…”, Hebrew and Kazakh “…“) or with
    the shapes reversed (Arabic ”…", Chinese ”…“): any mark closes the open quotation unless its
    neighbours say it opens a nested one (a space before it, a letter after it). Which marks the
    language uses is rule L101's business. A mark between two Hebrew letters is a gershayim (ארה"ב,
    ד"ר), not a quotation mark."""
    stack: list[tuple[int, str]] = []
    unopened: list[int] = []
    marks = list(DOUBLE_QUOTE_RE.finditer(text))
    for k, m in enumerate(marks):
        i, ch = m.start(), m.group()
        if same_mark:
            side = _quote_side(text, i)
            if side == "gershayim":
                continue
            if stack and side != "open":
                stack.pop()
            elif side != "close" or k + 1 < len(marks):
                stack.append((i, ch))  # a closing-looking mark that a later one closes: Arabic قالت” ... " (the opening mark set against the word before)
            else:
                unopened.append(i)
        elif stack and (stack[-1][1], ch) in QUOTE_PAIRS:
            stack.pop()
        elif any(p[0] == ch for p in QUOTE_PAIRS):
            stack.append((i, ch))
        else:
            unopened.append(i)
    return unopened, [i for i, _ in stack]


HEBREW_LETTERS = "\u05d0-\u05ea"
# An abbreviation's gershayim stands before its last letter (ארה"ב, מנכ"ל, ד"ר); a quotation opened
# after a one-letter prefix goes on with a word of two letters or more (ב"הרס מוחלט", ש"לא כולם").
GERSHAYIM_TAIL_RE = re.compile(f"[{HEBREW_LETTERS}](?![{HEBREW_LETTERS}])")
QUOTE_OPEN_BEFORE = frozenset(" \t\n\u00a0\u202f([{—–-/")
QUOTE_CLOSE_AFTER = frozenset(" \t\n\u00a0\u202f.,;:!?)]}…")


def _quote_side(text: str, i: int) -> str:
    """Whether the quote mark at ``text[i]`` opens ("open"), closes ("close"), is a Hebrew gershayim,
    or its neighbours do not say ("" : a mark between letters, as in unspaced scripts)."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if "\u05d0" <= before <= "\u05ea" and "\u05d0" <= after <= "\u05ea" and GERSHAYIM_TAIL_RE.match(text, i + 1):
        return "gershayim"
    opens = before in QUOTE_OPEN_BEFORE
    closes = after in QUOTE_CLOSE_AFTER or before in ".,!?…"
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return ""
