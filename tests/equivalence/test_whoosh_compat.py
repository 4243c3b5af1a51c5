"""searchlib writes only against the classic Whoosh 2.7 API; CI runs this file on both
whoosh-ng and PyPI whoosh 2.7.4. These checks pin the API surface we rely on."""

from __future__ import annotations

import pickle

from whoosh import fields, index, qparser, query, scoring, sorting

from searchlib import IndonesianAnalyzer


def test_classic_api_names_exist():
    for module, names in [
        (index, ["create_in", "open_dir", "LockError", "EmptyIndexError"]),
        (fields, ["Schema", "TEXT", "ID", "STORED"]),
        (qparser, ["MultifieldParser", "OrGroup", "PhrasePlugin", "PlusMinusPlugin"]),
        (qparser, ["FuzzyTermPlugin", "OperatorsPlugin"]),
        (query, ["Term", "Phrase", "Prefix", "TermRange", "NullQuery", "Or", "And"]),
        (scoring, ["BM25F"]),
        (sorting, ["FieldFacet", "Count"]),
    ]:
        missing = [n for n in names if not hasattr(module, n)]
        assert not missing, f"{module.__name__} lacks {missing}"


def test_analyzer_works_inside_a_plain_whoosh_schema(tmp_path):
    schema = fields.Schema(
        id=fields.ID(stored=True), body=fields.TEXT(analyzer=IndonesianAnalyzer())
    )
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer() as writer:
        writer.add_document(id="1", body="Perusahaan-perusahaan mengunjungi Soekarno.")
    ix = index.open_dir(str(tmp_path))
    with ix.searcher() as searcher:
        for text in ["perusahaan", "kunjungan", "Sukarno"]:
            q = qparser.QueryParser("body", ix.schema).parse(text)
            assert [h["id"] for h in searcher.search(q)] == ["1"], text


def test_analyzer_pickles_small():
    assert len(pickle.dumps(IndonesianAnalyzer())) < 2048
