"""Acronym phrases read from the index's ``phrases`` lists give what positions give.

The ``phrases`` field lists, per text field, the documents where each acronym phrase stands
(searchlib.index.phrases). These tests build an index of two segments with deletions from text
dense in acronyms, their written-out forms, near misses (the words apart, in another order, a
stopword between) and check that each list holds exactly the documents Whoosh's own phrase
query finds on positions, and that search gives the same documents, order, scores and totals
with the lists as without them (positions checked instead).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from searchlib import Document, Index
from searchlib.analysis import IndonesianAnalyzer
from searchlib.index import phrases as phrase_index
from searchlib.index.phrases import PHRASES, indexed_phrase, standing
from searchlib.index.schema import BODY, BODY_EXACT, TITLE, TITLE_EXACT
from searchlib.search import topdocs
from searchlib.search.topdocs import phrase_scores_at, top_docs
from tests.search.conftest import segmented_index

PIECES = [
    "KPK",
    "Komisi Pemberantasan Korupsi",
    "komisi",
    "pemberantasan",
    "korupsi",
    "Korupsi Komisi",
    "AS",
    "as",
    "Amerika Serikat",
    "amerika",
    "serikat",
    "Menlu",
    "Menteri Luar Negeri",
    "menteri",
    "luar",
    "negeri",
    "Menteri dan Luar Negeri",
    "Polri",
    "Kepolisian Negara Republik Indonesia",
    "negara",
    "republik",
    "indonesia",
    "dan",
    "yang",
    "tangkap",
    "menangkap",
    "markas",
    "besar",
    "harga",
    "beras",
]


def _text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(PIECES) for _ in range(rng.randint(low, high)))


@pytest.fixture(scope="module")
def acronym_ix(tmp_path_factory: pytest.TempPathFactory):
    rng = random.Random(41)

    def batch(number: int) -> list[Document]:
        return [
            Document(
                id=f"a{number}-{n:04d}",
                body=_text(rng, 2, 40) + ".",
                title=_text(rng, 0, 5) or None,
            )
            for n in range(1300)
        ]

    deleted = [f"a1-{n:04d}" for n in range(0, 1300, 9)]
    path = tmp_path_factory.mktemp("acronyms")
    with segmented_index(path, [batch, batch], deleted) as ix:
        yield ix


def _unlisted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Search as if the index listed no phrase: every phrase checked on positions."""
    monkeypatch.setattr(topdocs, "indexed_phrase", lambda *_args: None)


def _count_position_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one for each document whose phrase is checked on positions."""
    checked: list[int] = []
    original = topdocs._phrase_holds
    monkeypatch.setattr(topdocs, "_phrase_holds", lambda *a: checked.append(a[2]) or original(*a))
    return checked


FIELDS = {
    BODY: IndonesianAnalyzer(),
    TITLE: IndonesianAnalyzer(),
    BODY_EXACT: IndonesianAnalyzer(stem=False, stopwords=False),
    TITLE_EXACT: IndonesianAnalyzer(stem=False, stopwords=False),
}
ACRONYMS = ["KPK", "AS", "Menlu", "Polri"]


def _phrase(field: str, acronym: str) -> tuple[str, ...]:
    return tuple(t.text for t in FIELDS[field](acronym))


@pytest.mark.parametrize("field", list(FIELDS))
@pytest.mark.parametrize("acronym", ACRONYMS)
def test_each_list_holds_the_documents_where_positions_say_the_phrase_stands(
    acronym_ix, field, acronym
):
    words = _phrase(field, acronym)
    searcher = acronym_ix._searcher()
    token = indexed_phrase(searcher.schema, field, words, 1)
    assert token is not None
    listed = set()
    if (PHRASES, token) in searcher.reader():
        listed = set(searcher.reader().postings(PHRASES, token).all_ids())
    reader = searcher.reader()
    deleted = {d for d in range(reader.doc_count_all()) if reader.is_deleted(d)}
    hits = searcher.search(wq.Phrase(field, list(words)), limit=None)
    on_positions = {hit.docnum for hit in hits}
    assert on_positions  # the corpus has the phrase, and the near misses around it
    assert listed - deleted == on_positions


QUERIES = [
    "KPK tangkap",
    "kpk",
    "Menlu AS",
    "Polri menangkap KPK",
    "markas besar polri",
    "amerika serikat harga",
    '"Komisi Pemberantasan Korupsi"',
]


@pytest.mark.parametrize("text", QUERIES)
def test_search_gives_the_same_hits_scores_and_totals_as_checking_positions(
    acronym_ix, text, scoring_path, monkeypatch
):
    listed = [
        acronym_ix.search(text, limit=limit, snippets=False, exact_total=exact)
        for limit in (1, 10, 200)
        for exact in (True, False)
    ]
    _unlisted(monkeypatch)
    on_positions = [
        acronym_ix.search(text, limit=limit, snippets=False, exact_total=exact)
        for limit in (1, 10, 200)
        for exact in (True, False)
    ]
    for found, expected in zip(listed, on_positions, strict=True):
        assert [(h.id, h.score) for h in found.hits] == [(h.id, h.score) for h in expected.hits]
        assert found.total == expected.total or not (found.total_exact and expected.total_exact)
        if found.total_exact and expected.total_exact:
            assert found.total == expected.total


def _or_of(leaves):
    return wq.Or(
        [
            wq.Term(field, words[0]) if len(words) == 1 else wq.Phrase(field, list(words))
            for field, words in leaves
        ]
    )


LEAVES = [
    [(BODY, _phrase(BODY, "KPK")), (BODY, ("tangkap",))],
    [(TITLE, _phrase(TITLE, "Polri")), (BODY, _phrase(BODY, "Polri")), (BODY, ("harga",))],
    [(BODY, _phrase(BODY, "AS")), (BODY, _phrase(BODY, "Menlu"))],
    [(BODY_EXACT, _phrase(BODY_EXACT, "KPK")), (BODY, ("beras",))],
]


@pytest.mark.parametrize("leaves", LEAVES)
def test_top_docs_with_lists_match_whoosh_and_the_position_check_bit_for_bit(
    acronym_ix, leaves, scoring_path, monkeypatch
):
    searcher = acronym_ix._searcher()
    q = _or_of(leaves)
    allowed = set(range(0, searcher.reader().doc_count_all(), 4))
    cases = [(limit, allow) for limit in (1, 10, 3000) for allow in (None, allowed)]
    checked = _count_position_checks(monkeypatch)
    found = [top_docs(searcher, q, limit, allow) for limit, allow in cases]
    assert not checked  # every phrase came from its list
    for limit in (1, 10, 100):  # deeper, Whoosh's float sums may order near-ties otherwise
        reference = searcher.search(q, limit=limit)
        top, total, exact = top_docs(searcher, q, limit)
        assert exact and total == len(reference)
        assert [doc for _, doc in top] == [doc for _, doc in reference.top_n]
        assert [s for s, _ in top] == pytest.approx([s for s, _ in reference.top_n])
    _unlisted(monkeypatch)
    assert [top_docs(searcher, q, limit, allow) for limit, allow in cases] == found
    assert checked


@pytest.mark.parametrize("field", [BODY_EXACT, TITLE, BODY])
def test_phrase_scores_at_targets_are_the_same_from_lists(
    acronym_ix, field, scoring_path, monkeypatch
):
    searcher = acronym_ix._searcher()
    words = _phrase(field, "KPK")
    targets = list(range(0, searcher.reader().doc_count_all(), 3))
    checked = _count_position_checks(monkeypatch)
    found = phrase_scores_at(searcher, field, words, 1, targets)
    assert found and not checked
    _unlisted(monkeypatch)
    assert phrase_scores_at(searcher, field, words, 1, targets) == found
    assert checked


def test_a_phrase_with_slop_or_outside_the_acronyms_is_checked_on_positions(acronym_ix):
    schema = acronym_ix._searcher().schema
    assert indexed_phrase(schema, BODY, _phrase(BODY, "KPK"), 2) is None
    assert indexed_phrase(schema, BODY, ("harga", "beras"), 1) is None
    assert indexed_phrase(schema, "id", ("amerika", "serikat"), 1) is None


def test_positions_beyond_what_the_index_keeps_do_not_list_a_phrase(tmp_path, monkeypatch):
    import searchlib.index.positions as positions

    monkeypatch.setattr(positions, "MAX_POSITIONS", 2)
    monkeypatch.setattr(phrase_index, "MAX_POSITIONS", 2)
    with Index.create(tmp_path / "ix") as ix:
        ix.add(
            [
                Document(id="late", body="Amerika x Amerika x Amerika Serikat"),
                Document(id="early", body="Amerika Serikat x Amerika x Amerika"),
            ],
            workers=1,
        )
        ix.commit()
        searcher = ix._searcher()
        words = ["amerika", "serikat"]
        on_positions = searcher.search(wq.Phrase(BODY, words), limit=None)
        assert [searcher.stored_fields(h.docnum)["id"] for h in on_positions] == ["early"]
        token = indexed_phrase(searcher.schema, BODY, words, 1)
        assert list(searcher.reader().postings(PHRASES, token).all_ids()) == [
            h.docnum for h in on_positions
        ]


def _scan(analyzer: IndonesianAnalyzer, text: str, phrases) -> set[tuple[str, ...]]:
    """The phrases a walk over the positioned token stream finds (no shortcuts)."""
    at: dict[int, set[str]] = {}
    for t in analyzer(text, positions=True, mode="index"):
        at.setdefault(t.pos, set()).add(t.text)
    return {
        phrase
        for phrase in phrases
        for p in at
        if all(word in at.get(p + i, ()) for i, word in enumerate(phrase))
    }


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from([*PIECES, "LSM-LSM", "AS-nya", "Korut", "korea utara"]), max_size=30),
    st.sampled_from([IndonesianAnalyzer(), IndonesianAnalyzer(stem=False, stopwords=False)]),
)
def test_standing_finds_what_a_scan_of_the_token_stream_finds(pieces, analyzer):
    text = " ".join(pieces)
    phrases = analyzer.acronym_phrases()
    starts: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        starts.setdefault(phrase[0], []).append(phrase)
    assert set(standing(analyzer.term_positions(text), starts)) == _scan(analyzer, text, phrases)


def _reopen_without_phrase_cache(path, monkeypatch) -> Index:
    """Open ``path`` as a new process would: no acronym phrases worked out yet."""
    from searchlib.analysis import analyzer as analyzer_module

    monkeypatch.setattr(analyzer_module, "_ACRONYM_PHRASES", {})
    return Index.open(path)


def test_the_manifest_records_the_phrases_the_analyzers_work_out(acronym_ix, monkeypatch):
    import json

    from searchlib.index.manifest import MANIFEST_NAME, PHRASES_KEY

    manifest = json.loads((acronym_ix.path / MANIFEST_NAME).read_text(encoding="utf-8"))
    recorded = manifest[PHRASES_KEY]
    assert set(recorded) == set(FIELDS)
    for field, analyzer in FIELDS.items():
        assert recorded[field] == [" ".join(p) for p in sorted(analyzer.acronym_phrases())]
    # Opened anew, the index takes them and works out none; searches list the same phrases.
    from searchlib.analysis import analyzer as analyzer_module

    ix = _reopen_without_phrase_cache(acronym_ix.path, monkeypatch)
    schema = ix._searcher().schema
    for field in FIELDS:
        for acronym in ACRONYMS:
            words = _phrase(field, acronym)
            assert indexed_phrase(schema, field, words, 1) == f"{field} {' '.join(words)}".encode()
    hits = [h.id for h in ix.search("KPK menangkap", limit=20).hits]
    assert analyzer_module._ACRONYM_PHRASES == {}
    assert hits == [h.id for h in acronym_ix.search("KPK menangkap", limit=20).hits]


@pytest.mark.parametrize(
    "record", [None, "garbage", {BODY: ["komisi"]}, {BODY: [["komisi", "korupsi"]]}]
)
def test_an_index_without_a_usable_record_works_its_phrases_out(
    tmp_path, monkeypatch, record
) -> None:
    import json

    from searchlib.analysis import analyzer as analyzer_module
    from searchlib.index.manifest import MANIFEST_NAME, PHRASES_KEY

    with Index.create(tmp_path / "ix") as ix:
        ix.add([Document(id="k", body="Ketua KPK bertemu Menlu AS di Jakarta.")], workers=1)
        ix.commit()
    manifest_path = tmp_path / "ix" / MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if record is None:  # as an index built before the manifest recorded them
        del manifest[PHRASES_KEY]
    else:
        manifest[PHRASES_KEY] = record
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    ix = _reopen_without_phrase_cache(tmp_path / "ix", monkeypatch)
    schema = ix._searcher().schema
    assert indexed_phrase(schema, BODY, ("komisi", "berantas", "korupsi"), 1) is not None
    assert indexed_phrase(schema, BODY, ("komisi", "korupsi"), 1) is None
    assert analyzer_module._ACRONYM_PHRASES  # worked out, as the record was not taken
    assert [h.id for h in ix.search("komisi pemberantasan korupsi").hits] == ["k"]
