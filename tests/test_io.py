import json

import pytest

from pipeline.config import load_config
from pipeline.errors import InputError
from pipeline.io.manifest import system_names
from pipeline.io.readers import read_job
from pipeline.io.text import read_text


def cfg(**input_opts):
    return load_config(None, {"input": input_opts} if input_opts else None)


def job(paths, refs=(), names=None, **input_opts):
    return read_job(list(paths), list(refs), names, cfg(**input_opts), "de", "en")


# --- encodings and broken files ---------------------------------------------------------------


def test_utf8_bom_and_crlf_are_normalised(write):
    p = write("a.txt", "\ufeffErste Zeile\r\nZweite Zeile\r\n".encode("utf-8"))
    assert read_text(p) == "Erste Zeile\nZweite Zeile\n"


def test_invalid_utf8_names_file_and_byte_offset(write):
    p = write("bad.txt", b"Gr\xfc\xdfe aus K\xf6ln\n")
    with pytest.raises(InputError, match=r"bad\.txt: not valid UTF-8 at byte offset 2"):
        read_text(p)


def test_binary_and_utf16_and_empty_and_missing(write, tmp_path):
    with pytest.raises(InputError, match=r"binary data .*NUL byte at byte offset 3"):
        read_text(write("b.bin", b"abc\x00def"))
    with pytest.raises(InputError, match="UTF-16"):
        read_text(write("u16.txt", "Hallo".encode("utf-16")))
    with pytest.raises(InputError, match="file is empty"):
        read_text(write("e.txt", "  \n\n"))
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "nope.txt")


def test_huge_line_is_rejected_with_line_number(write):
    p = write("h.txt", "short\n" + "x" * 50 + "\n")
    with pytest.raises(InputError, match="line 2 has 50 characters, over the limit of 40"):
        read_text(p, max_line_chars=40)


# --- text inputs ------------------------------------------------------------------------------


def test_document_input_is_segmented(write):
    src = write("src.txt", "Das ist gut. Das ist schlecht.\n\nNeuer Absatz.\n")
    tgt = write("mt.txt", "That is good. That is bad.\n\nNew paragraph.\n")
    ref = write("ref.txt", "This is good. This is bad.\n\nA new paragraph.\n")
    j = job([src, tgt], [ref])
    doc = j.documents[0]
    assert [s.text for s in doc.source] == ["Das ist gut.", "Das ist schlecht.", "Neuer Absatz."]
    assert [s.text for s in doc.targets["mt"]] == ["That is good.", "That is bad.", "New paragraph."]
    assert list(doc.references) == ["ref"]
    assert not doc.line_aligned


def test_line_aligned_mismatch_names_both_files(write):
    src = write("src.de", "a\nb\nc\n")
    tgt = write("hyp.en", "a\nb\n")
    with pytest.raises(InputError, match=r"hyp\.en: 2 lines, but the source .*src\.de has 3"):
        job([src, tgt], line_aligned=True)


def test_line_aligned_several_systems_and_references(write):
    src = write("t.src.de", "eins\nzwei\n")
    a = write("t.hyp.sysA.en", "one\ntwo\n")
    b = write("t.hyp.sysB.en", "one\n2\n")
    r1 = write("r1.en", "one\ntwo\n")
    r2 = write("r2.en", "1\n2\n")
    j = job([src, a, b], [r1, r2], line_aligned=True)
    assert j.systems == ["sysA", "sysB"]
    assert j.references == ["refA", "refB"]
    assert [s.text for s in j.documents[0].references["refB"]] == ["1", "2"]
    assert [s.line for s in j.documents[0].source] == [1, 2]


def test_system_names_strip_the_common_parts():
    paths = ["x/generaltest2022.de-en.hyp.Online-A.en", "x/generaltest2022.de-en.hyp.PROMT.en"]
    assert system_names(paths) == ["Online-A", "PROMT"]
    assert system_names(["out/mt.txt"]) == ["mt"]


def test_folder_of_documents_matched_by_name(write, tmp_path):
    write("src/a.txt", "Eins.\n")
    write("src/b.txt", "Zwei.\n")
    write("mt/a.txt", "One.\n")
    write("mt/b.txt", "Two.\n")
    j = job([str(tmp_path / "src"), str(tmp_path / "mt")])
    assert [d.id for d in j.documents] == ["a.txt", "b.txt"]
    write("mt2/a.txt", "One.\n")
    with pytest.raises(InputError, match=r"no document 'b\.txt'"):
        job([str(tmp_path / "src"), str(tmp_path / "mt2")])


def test_text_source_without_target_is_an_error(write):
    with pytest.raises(InputError, match="needs at least one TARGET"):
        job([write("s.txt", "Hallo.\n")])


# --- tabular inputs ---------------------------------------------------------------------------


def test_tsv_with_quotes_and_document_column(write):
    p = write(
        "d.tsv",
        'doc_id\tsource\ttarget\treference\n'
        'd1\tEr sagte „ja“.\tHe said „yes“.\tHe said "yes".\n'
        'd1\tZwei.\tTwo.\tTwo.\n'
        'd2\tDrei.\tThree.\tThree.\n',
    )
    j = job([p])
    assert [d.id for d in j.documents] == ["d1", "d2"]
    assert j.documents[0].references["reference"][0].text == 'He said "yes".'
    assert j.systems == ["target"]
    assert [s.line for s in j.documents[0].source] == [2, 3]


def test_tsv_wrong_field_count_names_line(write):
    p = write("d.tsv", "source\ttarget\nA\tB\nC\n")
    with pytest.raises(InputError, match="line 3 has 1 fields, the header has 2"):
        job([p])


def test_csv_with_explicit_columns(write):
    p = write("d.csv", 'src,mt1,mt2,ref\n"Hallo, Welt",Hello world,"Hello, world","Hello, world"\n')
    j = read_job([p], [], None, load_config(None, {"input": {"target_columns": ["mt1", "mt2"], "reference_columns": ["ref"]}}), "de", "en")
    assert j.systems == ["mt1", "mt2"]
    assert j.documents[0].source[0].text == "Hallo, Welt"


def test_jsonl_with_reference_lists(write):
    rows = [{"source": "Eins", "target": "One", "references": ["One", "1"]}, {"source": "Zwei", "target": "Two", "references": ["Two", "2"]}]
    p = write("d.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    j = job([p])
    assert j.references == ["references.0", "references.1"]
    assert j.documents[0].references["references.1"][1].text == "2"


def test_jsonl_broken_line(write):
    p = write("d.jsonl", '{"source": "a", "target": "b"}\n{"source": "a", \n')
    with pytest.raises(InputError, match="line 2 is not valid JSON"):
        job([p])


def test_missing_target_column_lists_columns(write):
    p = write("d.tsv", "source\tfoo\na\tb\n")
    with pytest.raises(InputError, match=r"no target column .*columns: source, foo"):
        job([p])


def test_hf_parquet_arrow_and_saved_dataset(tmp_path):
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_dict(
        {"source": ["Eins.", "Zwei."], "sysA": ["One.", "Two."], "sysB": ["One.", "2."], "ref": ["One.", "Two."], "doc_id": ["a", "b"]}
    )
    ds.to_parquet(str(tmp_path / "t.parquet"))
    ds.save_to_disk(str(tmp_path / "saved"))
    datasets.DatasetDict({"test": ds}).save_to_disk(str(tmp_path / "saved_dict"))
    config = load_config(None, {"input": {"target_columns": ["sysA", "sysB"]}})
    for path in (tmp_path / "t.parquet", tmp_path / "saved", tmp_path / "saved_dict"):
        j = read_job([str(path)], [], None, config, "de", "en")
        assert j.systems == ["sysA", "sysB"]
        assert [d.id for d in j.documents] == ["a", "b"]
        assert j.documents[1].targets["sysB"][0].text == "2."
        assert j.documents[0].references["ref"][0].text == "One."
    arrow = next((tmp_path / "saved").glob("*.arrow"))
    j = read_job([str(arrow)], [], None, config, "de", "en")
    assert j.n_source_segments == 2


def test_hf_reader_for_jsonl_via_format_option(write):
    p = write("d.jsonl", '{"source": "Eins", "target": "One", "reference": "One"}\n')
    j = read_job([p], [], None, load_config(None, {"input": {"format": "hf"}}), "de", "en")
    assert j.documents[0].targets["target"][0].text == "One"


WMT_XML = """<?xml version="1.0" encoding="utf-8"?>
<dataset id="test">
  <collection id="general">
    <doc id="news.1" origlang="de">
      <src lang="de"><p><seg id="1">Guten Morgen.</seg><seg id="2">Wie geht es?</seg></p></src>
      <ref lang="en" translator="A"><p><seg id="1">Good morning.</seg><seg id="2">How are you?</seg></p></ref>
      <ref lang="en" translator="B"><p><seg id="1">Morning.</seg><seg id="2">How is it going?</seg></p></ref>
      <hyp system="sysX" language="en"><p><seg id="1">Good morning.</seg><seg id="2">How goes it?</seg></p></hyp>
    </doc>
    <doc id="news.2" origlang="de">
      <src lang="de"><p><seg id="1">Tschüss &amp; bis bald.</seg></p></src>
      <ref lang="en" translator="A"><p><seg id="1">Bye &amp; see you.</seg></p></ref>
      <ref lang="en" translator="B"><p><seg id="1">Goodbye.</seg></p></ref>
      <hyp system="sysX" language="en"><p><seg id="1">Bye &amp; see you soon.</seg></p></hyp>
    </doc>
  </collection>
</dataset>
"""


def test_wmt_xml_documents_references_and_systems(write):
    j = job([write("t.xml", WMT_XML)])
    assert [d.id for d in j.documents] == ["news.1", "news.2"]
    assert j.systems == ["sysX"] and j.references == ["ref:A", "ref:B"]
    assert j.documents[1].source[0].text == "Tschüss & bis bald."
    assert j.documents[0].references["ref:B"][1].text == "How is it going?"


def test_broken_xml_names_line_and_column(write):
    with pytest.raises(InputError, match=r"b\.xml: not well-formed XML at line 3, column"):
        job([write("b.xml", "<dataset>\n<doc id='1'>\n<src><seg id='1'>x</src>\n")])
