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


def test_compound_segment_files_are_read_in_place(tmp_path):
    """A searchlib index's segment files are read from the memory map, not copied (Whoosh's
    BufferFile copies each whole file into a BytesIO as it opens); reads still work."""
    import whoosh.filedb.compound as compound

    from searchlib import Document, Index
    from searchlib._whoosh import MappedBufferFile, _ViewFile

    with Index.create(tmp_path) as ix:
        ix.add(
            [Document(id=f"d{n}", title="Korsel", body=f"kata {n} pelabuhan") for n in range(40)]
        )
        ix.commit()
    assert compound.BufferFile is MappedBufferFile
    with Index.open(tmp_path) as ix:
        assert ix.search("Korea Selatan").total == 40
        assert ix.search("laut 7").hits[0].id == "d7"
    opened = []
    storage = index.open_dir(str(tmp_path)).storage
    for segment in index.open_dir(str(tmp_path))._segments():
        if segment.is_compound():
            files = segment.open_compound_file(storage)
            for name in files.list():
                f = files.open_file(name)
                opened.append(f)
                assert isinstance(f, MappedBufferFile) and isinstance(f.file, _ViewFile)
                assert f.get(0, 4) == f.read(4)  # positioned and streamed reads agree
            files.close()
    assert opened


def test_view_file_streams_like_bytes_io():
    import io
    import random

    from searchlib._whoosh import _ViewFile

    rng = random.Random(5)
    long_line = bytes(rng.randrange(97, 123) for _ in range(9000)) + b"\n"  # over 4 KB chunks
    data = pickle.dumps([rng.random() for _ in range(3000)]) + (b"line one\n" + long_line) * 20
    ours, theirs = _ViewFile(memoryview(data)), io.BytesIO(data)
    for _ in range(300):
        op = rng.choice(["read", "seek", "readline", "readinto", "tell", "end"])
        if op == "read":
            n = rng.choice([-1, 0, 1, 7, 100, 9000])
            assert ours.read(n) == theirs.read(n)
        elif op == "seek":
            pos = rng.randrange(len(data) + 10)
            assert ours.seek(pos) == theirs.seek(pos)
        elif op == "readline":
            n = rng.choice([-1, 3, 50, 5000])
            assert ours.readline(n) == theirs.readline(n)
        elif op == "readinto":
            mine = bytearray(rng.choice([0, 5, 700]))
            other = bytearray(len(mine))
            assert ours.readinto(mine) == theirs.readinto(other) and mine == other
        elif op == "end":
            assert ours.seek(-3, io.SEEK_END) == theirs.seek(-3, io.SEEK_END)
        assert ours.tell() == theirs.tell()
    ours.seek(0)
    assert pickle.load(ours) == pickle.loads(data)
