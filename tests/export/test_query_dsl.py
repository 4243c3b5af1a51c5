"""to_query_dsl: the JSON written for each construct of the query language, and what it matches.

The unit tests pin the query DSL for every construct (words with the field boosts, phrases on the
written forms, acronyms, ``field:value``, dates and ranges, NOT/-/BUKAN, AND/DAN, OR/ATAU,
``+``, prefixes, fuzzy terms, boosts) and the body's options (filters, sort, facets, pages).
No cluster runs here, so the last tests evaluate the bodies with a small evaluator of the DSL
(``tests/export/dsl_eval.py``) over the seeds and a JSONL corpus and require the very documents
searchlib itself matches.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import query as wq

from searchlib import (
    Document,
    Index,
    QueryError,
    Ranking,
    export_opensearch,
    iter_documents,
    to_query_dsl,
)
from searchlib.errors import OptionTypeError
from searchlib.export import document_source
from searchlib.index.schema import build_schema
from searchlib.search.query import parse_query
from tests.export import dsl_eval
from tests.robustness import test_fuzz as fuzz

DATE_FORMAT = "strict_date||strict_year_month||strict_year"


def q(text: str, **options) -> dict:
    body = to_query_dsl(text, **options)
    json.dumps(body)  # always plain JSON
    return body["query"]


def word(stem: str, written: str) -> list[dict]:
    """The four clauses of one ordinary word at the default boosts."""
    return [
        {"term": {"title": {"value": stem, "boost": 2.0}}},
        {"term": {"body": {"value": stem}}},
        {"term": {"title.exact": {"value": written}}},
        {"term": {"body.exact": {"value": written, "boost": 0.5}}},
    ]


def phrase(field: str, words: list[str], slop: int = 0, boost: float = 1.0) -> dict:
    spec = {
        "clauses": [{"span_term": {field: w}} for w in words],
        "slop": slop,
        "in_order": True,
    }
    if boost != 1.0:
        spec["boost"] = boost
    return {"span_near": spec}


def test_words_are_an_or_over_the_stemmed_and_written_fields_with_searchlib_boosts():
    assert q("kunjungan menteri") == {
        "bool": {"should": word("kunjung", "kunjungan") + word("menteri", "menteri")}
    }


def test_ranking_boosts_carry_over_and_a_zero_boost_leaves_fields_out():
    assert q("kunjungan", ranking=Ranking(title_boost=3.0, exact_boost=0)) == {
        "bool": {
            "should": [
                {"term": {"title": {"value": "kunjung", "boost": 3.0}}},
                {"term": {"body": {"value": "kunjung"}}},
            ]
        }
    }


def test_question_words_and_stopwords_are_dropped_and_only_stopwords_match_nothing():
    assert q("siapakah menteri yang") == {"bool": {"should": word("menteri", "menteri")}}
    assert q("yang di dan") == {"match_none": {}}


def test_a_quoted_phrase_is_a_span_near_on_the_written_forms_stopwords_included():
    # title.exact is reached as the title's phrase (2.0) and as the written form (1.0): one
    # clause with the boosts added, as BM25 is linear in the boost.
    assert q('"kerja sama dengan Jepang"') == {
        "bool": {
            "should": [
                phrase("title.exact", ["kerja", "sama", "dengan", "jepang"], boost=3.0),
                phrase("body.exact", ["kerja", "sama", "dengan", "jepang"], boost=1.5),
            ]
        }
    }


def test_phrase_slop_is_the_tightest_lucene_slop_admitting_every_whoosh_match():
    two = q('"menteri jepang"~2')["bool"]["should"][0]["span_near"]
    three = q('"menteri luar negeri"~3')["bool"]["should"][0]["span_near"]
    assert (two["slop"], three["slop"]) == (1, 4)
    assert q('title:"kerja sama"') == phrase("title.exact", ["kerja", "sama"])


def test_an_acronym_in_capitals_expands_to_a_phrase_and_in_lower_case_does_not():
    expanded = q("AS")["bool"]["should"]
    assert expanded[0] == phrase("title", ["amerika", "serikat"], boost=2.0)
    assert expanded[3] == phrase("body.exact", ["amerika", "serikat"], boost=0.5)
    assert "amerika" not in json.dumps(q("as menteri"))


def test_field_clauses_on_keywords_are_filters_and_on_text_are_required():
    assert q("banjir sumber:Kompas.com") == {
        "bool": {
            "must": [{"bool": {"should": word("banjir", "banjir")}}],
            "filter": [{"term": {"site": {"value": "kompas.com"}}}],
        }
    }
    assert q("judul:Pertemuan") == {"term": {"title": {"value": "temu"}}}
    assert q("id:abc-1 tahun:2019") == {
        "bool": {
            "filter": [{"term": {"id": {"value": "abc-1"}}}, {"term": {"year": {"value": "2019"}}}]
        }
    }


def test_metadata_fields_are_fields_only_when_named():
    assert q("category:Olahraga", metadata=["category"]) == {
        "term": {"meta_category": {"value": "olahraga"}}
    }
    # Without metadata, `category:` is not a field: its words are searched as text.
    assert q("category:olahraga") == {
        "bool": {"should": word("category", "category") + word("olahraga", "olahraga")}
    }


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("date:2019", {"gte": "2019||/y", "lte": "2019||/y"}),
        ("tanggal:2019-09", {"gte": "2019-09||/M", "lte": "2019-09||/M"}),
        ("date:2019-09-20", {"gte": "2019-09-20||/d", "lte": "2019-09-20||/d"}),
        ("date:[2019-01 TO 2020-06]", {"gte": "2019-01||/M", "lte": "2020-06||/M"}),
        ("date:[2020 TO]", {"gte": "2020||/y"}),
        ("date:[TO 2019-12]", {"lte": "2019-12||/M"}),
        ("date:{2019 TO 2020}", {"gt": "2019||/y", "lte": "2020||/y"}),  # searchlib: end inclusive
    ],
)
def test_dates_and_ranges_are_date_ranges_rounded_to_the_precision_written(text, spec):
    assert q(text) == {"range": {"date": {**spec, "format": DATE_FORMAT}}}


def test_a_month_wildcard_takes_every_month_it_begins():
    assert q("date:2019-0*") == {
        "range": {"date": {"gte": "2019-01||/M", "lte": "2019-09||/M", "format": DATE_FORMAT}}
    }


@pytest.mark.parametrize(
    "text",
    [
        "date:201",
        "date:2019-1",
        "date:2020-02-2",
        "date:kemarin",
        "tanggal:2019-2",
        "banjir date:x",
    ],
)
def test_a_date_searchlib_refuses_is_a_query_error_here_too(text):
    # searchlib's own parser decides: dates must be ISO dates that exist.
    with pytest.raises(QueryError, match="not an ISO date"):
        to_query_dsl(text)


def test_a_date_that_does_not_exist_is_a_query_error_saying_why():
    with pytest.raises(QueryError, match="month 13 does not exist"):
        to_query_dsl("date:2019-13")
    with pytest.raises(QueryError, match="has 28 days"):
        to_query_dsl("date:2019-02-30")
    with pytest.raises(QueryError, match="month 13"):
        to_query_dsl("date:[2019-13 TO 2020]")
    with pytest.raises(QueryError, match="not an ISO date"):
        to_query_dsl("date:[2019 TO kemarin]")


def test_not_minus_bukan_and_andnot_all_exclude():
    expected = {
        "bool": {
            "must": [{"bool": {"should": word("korea", "korea")}}],
            "must_not": [{"bool": {"should": word("utara", "utara")}}],
        }
    }
    for text in ("korea NOT utara", "korea -utara", "korea BUKAN utara", "korea ANDNOT utara"):
        assert q(text) == expected, text
    assert q("NOT korea") == {"bool": {"must_not": [{"bool": {"should": word("korea", "korea")}}]}}
    # Lower-case `bukan` is an ordinary word (a stopword), never an operator.
    assert q("korea bukan utara") == {
        "bool": {"should": word("korea", "korea") + word("utara", "utara")}
    }


def test_and_dan_or_atau_and_grouping():
    both = {
        "bool": {
            "must": [
                {"bool": {"should": word("korea", "korea")}},
                {"bool": {"should": word("jepang", "jepang")}},
            ]
        }
    }
    assert q("korea AND jepang") == q("korea DAN jepang") == both
    either = {"bool": {"should": word("korea", "korea") + word("jepang", "jepang")}}
    assert q("korea OR jepang") == q("korea ATAU jepang") == either
    grouped = q("(korea ATAU jepang) DAN menteri")
    assert grouped == {"bool": {"must": [either, {"bool": {"should": word("menteri", "menteri")}}]}}


def test_plus_requires_a_word_and_leaves_the_others_optional():
    assert q("+korea jepang") == {
        "bool": {
            "must": [{"bool": {"should": word("korea", "korea")}}],
            "should": [{"bool": {"should": word("jepang", "jepang")}}],
        }
    }


def test_prefix_fuzzy_and_boosted_words():
    # Prefix and fuzzy words expand over the written forms, as in searchlib.
    assert q("kerja*")["bool"]["should"][0] == {
        "prefix": {"title.exact": {"value": "kerja", "boost": 2.0}}
    }
    fuzzy = q("Nakatni~2")["bool"]["should"][1]
    assert fuzzy == {
        "fuzzy": {
            "body.exact": {
                "value": "nakatni",
                "fuzziness": 2,
                "prefix_length": 0,
                "transpositions": False,
                "max_expansions": 50,
            }
        }
    }
    boosted = q("Korea^2")["bool"]["should"]
    assert [next(iter(c["term"].values())).get("boost", 1.0) for c in boosted] == [
        4.0,
        2.0,
        2.0,
        1.0,
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("  ", "empty query"),
        ('"kerja sama', "unbalanced quotes"),
        ("(korea", "unbalanced brackets"),
        ("kerja~3", "fuzzy distance 3 is too large"),
        ("x" * 1001, "query too long"),
    ],
)
def test_what_searchlib_refuses_is_a_query_error(text, message):
    with pytest.raises(QueryError, match=message):
        to_query_dsl(text)


def test_bad_options_are_searchlib_errors():
    with pytest.raises(QueryError, match="unknown sort"):
        to_query_dsl("korea", sort="newest")
    with pytest.raises(QueryError, match="limit must be at least 1"):
        to_query_dsl("korea", limit=0)
    with pytest.raises(QueryError, match="not an ISO date"):
        to_query_dsl("korea", date_from="kemarin")
    with pytest.raises(OptionTypeError, match="metadata must be a list"):
        to_query_dsl("korea", metadata="category")
    with pytest.raises(QueryError, match="no facet genre"):
        to_query_dsl("korea", facets=["genre"])


def test_body_options_filters_sort_facets_and_pages():
    body = to_query_dsl(
        "korea",
        date_from="2019-01",
        date_to="2019",
        sort="-date",
        facets=True,
        metadata=["category"],
        limit=5,
        page=3,
    )
    assert body["query"] == {
        "bool": {
            "should": word("korea", "korea"),
            "minimum_should_match": 1,
            "filter": [
                {
                    "range": {
                        "date": {"gte": "2019-01||/M", "lte": "2019||/y", "format": DATE_FORMAT}
                    }
                }
            ],
        }
    }
    assert body["sort"] == [{"date": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
    assert sorted(body["aggs"]) == ["category", "site", "year"]
    assert body["aggs"]["category"]["terms"]["field"] == "meta_category"
    assert (body["from"], body["size"]) == (10, 5)
    assert "sort" not in to_query_dsl("korea") and "aggs" not in to_query_dsl("korea")


# -- what the bodies match, against searchlib's own search ----------------------------------

SEED_QUERIES = [
    "kunjungan menteri pertahanan",
    "Nakatani",
    '"kerja sama trilateral"',
    '"menteri pertahanan"~3',
    "korea BUKAN utara",
    "korea -utara jepang",
    "+korea jepang",
    "korea DAN jepang",
    "(korea ATAU vietnam) DAN menteri",
    "kerja*",
    "Nakatni~2",
    "judul:Korea",
    "judul:Korea menteri",
    "date:[2019-01 TO 2020-06]",
    "date:2019",
    "sumber:baothanhhoa.vn",
    "credit:VNA",
    "AS",
    "Korut",
    "NOT korea",
    "siapakah menteri luar negeri",
    "yang di dan",
]

CORPUS = [
    {
        "id": "k1",
        "title": "Timnas menang",
        "text": "Tim nasional menang dua gol atas Vietnam.",
        "date": "2023-06-14",
        "source": "kompas",
        "category": "olahraga",
    },
    {
        "id": "k2",
        "text": "Harga beras naik menjelang Lebaran.",
        "date": "2023-04",
        "source": "antara",
        "category": "ekonomi",
    },
    {
        "id": "k3",
        "text": "Pemain timnas berlatih di Bali bersama pelatih.",
        "source": "kompas",
        "category": "olahraga",
    },
    {
        "id": "k4",
        "title": "Menteri bertemu",
        "text": "Menteri Luar Negeri AS bertemu Menlu Jepang.",
        "date": "2022-11-02",
        "source": "https://www.antaranews.com/berita/1",
        "category": "politik",
    },
    {
        "id": "k5",
        "text": "Kerja sama ekonomi Indonesia dan Jepang berjalan baik.",
        "date": "2022",
        "source": "antara",
        "category": "ekonomi",
    },
]

CORPUS_QUERIES = [
    "timnas category:olahraga",
    "category:ekonomi",
    "menteri ATAU beras",
    "date:[2023-01 TO 2023-05]",
    "date:2023-06",
    "date:2023-0*",
    "date:2022",
    "tahun:2022 jepang",
    "sumber:antaranews.com",
    '"kerja sama"',
    "Amerika Serikat",
    "beras -lebaran",
    "pelatih*",
]


def _agree(ix: Index, queries: list[str]) -> None:
    docs = [dsl_eval.prepare(d) for d in ix.documents()]
    metadata = ix.metadata_fields()
    for text in queries:
        expected = {
            hit.id
            for hit in ix.search(
                text, limit=1000, snippets=False, suggest=False, ranking=Ranking(rerank_depth=0)
            ).hits
        }
        found = dsl_eval.search(to_query_dsl(text, metadata=metadata), docs)
        assert found == expected, text


def test_the_bodies_match_what_searchlib_matches_on_the_seeds(seed_ix):
    _agree(seed_ix, SEED_QUERIES)


def test_the_bodies_match_what_searchlib_matches_on_a_jsonl_corpus(tmp_path):
    corpus = tmp_path / "berita.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in CORPUS), encoding="utf-8")
    with Index.create(tmp_path / "ix") as ix:
        ix.add(iter_documents([corpus]))
        ix.commit()
        assert ix.doc_count() == len(CORPUS)
        _agree(ix, CORPUS_QUERIES)


def test_the_evaluator_can_tell_a_wrong_body(seed_ix):
    # The agreement tests would catch a translation that drops a NOT or a phrase's order.
    docs = [dsl_eval.prepare(d) for d in seed_ix.documents()]
    right = dsl_eval.search(to_query_dsl("korea BUKAN utara"), docs)
    wrong = dsl_eval.search({"query": q("korea BUKAN utara")["bool"]["must"][0]}, docs)
    assert right < wrong
    backwards = {"query": phrase("body.exact", ["trilateral", "sama", "kerja"])}
    assert dsl_eval.search(to_query_dsl('"kerja sama trilateral"'), docs)
    assert not dsl_eval.search(backwards, docs)


def test_documents_of_a_seed_index_are_prepared_from_every_field():
    doc = dsl_eval.prepare(
        Document(
            id="x",
            title="Judul",
            body="Isi berita.",
            source="https://www.a.id/1",
            date="2020-01",
            fields={"Kategori": "Politik"},
        )
    )
    assert doc.keywords == {"id": "x", "year": "2020", "site": "a.id", "meta_kategori": "politik"}
    assert "isi" in doc.positions["body.exact"] and doc.date is not None


# -- the same, on the tokens Lucene makes with the exported analysis --------------------------

ANALYZE_JAVA = Path(__file__).resolve().parents[2] / "benchmarks" / "lucene" / "Analyze.java"


def _lucene_classpath() -> str | None:
    jars = []
    for name in ("lucene-core", "lucene-analyzers-common"):
        found = sorted(Path("/usr/share/java").glob(f"{name}-[0-9]*.jar"))
        if not found:
            return None
        jars.append(str(found[-1]))
    return os.pathsep.join(jars)


def _lucene_or_skip() -> str:
    if shutil.which("java") is None:
        pytest.skip("no java on PATH: install a JDK (17) to check the DSL on Lucene's tokens")
    classpath = _lucene_classpath()
    if classpath is None:
        pytest.skip("no Lucene jars in /usr/share/java: apt-get install liblucene8-java")
    if not ANALYZE_JAVA.is_file():
        pytest.skip(f"{ANALYZE_JAVA} is missing")
    return classpath


def _lucene_documents(ix: Index, export_dir: Path, classpath: str) -> list[dsl_eval.Doc]:
    """The index's documents with their text fields analysed by Lucene (one JVM for all)."""
    documents = list(ix.documents())
    requests = []
    for document in documents:
        source = document_source(document)
        for _, (origin, analyzer) in dsl_eval.TEXT.items():
            requests.append({"analyzer": analyzer, "text": source.get(origin, "") or ""})
    done = subprocess.run(
        ["java", "-cp", classpath, str(ANALYZE_JAVA), "tokens", str(export_dir)],
        input="".join(json.dumps(r) + "\n" for r in requests),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answers = iter([json.loads(line) for line in done.stdout.splitlines()])
    lucene: dict[tuple[str, str], dict[str, list[int]]] = {}
    for request in requests:
        positions: dict[str, list[int]] = {}
        for term, position in next(answers):
            positions.setdefault(term, []).append(position)
        lucene[(request["analyzer"], request["text"])] = positions
    return [dsl_eval.prepare(d, lambda a, t: lucene[(a, t)]) for d in documents]


@pytest.mark.slow  # a JVM and the exported analysis: ~40 s; test_lucene_parity checks the tokens
def test_the_bodies_match_what_searchlib_matches_on_lucene_tokens(seed_ix, tmp_path):
    # searchlib query -> query DSL -> evaluated on the terms and positions Lucene 8 itself
    # indexes with the exported analyzers (benchmarks/lucene/Analyze.java): the documents
    # searchlib finds, for every seed query.
    classpath = _lucene_or_skip()
    export_opensearch(seed_ix.path, tmp_path / "export")
    docs = _lucene_documents(seed_ix, tmp_path / "export", classpath)
    metadata = seed_ix.metadata_fields()
    for text in SEED_QUERIES:
        expected = {
            hit.id
            for hit in seed_ix.search(
                text, limit=1000, snippets=False, suggest=False, ranking=Ranking(rerank_depth=0)
            ).hits
        }
        assert dsl_eval.search(to_query_dsl(text, metadata=metadata), docs) == expected, text


# -- fuzzed: any query either translates to a body matching what searchlib matches, or is a
# QueryError (where searchlib refuses it too, or for a date range end the cluster cannot read) --


@pytest.fixture(scope="module")
def fuzz_docs(tmp_path_factory: pytest.TempPathFactory):
    """The robustness fuzz index (60 documents over 1,500 made-up words) and its prepared docs."""
    rng = random.Random(7)
    path = tmp_path_factory.mktemp("dsl-fuzz")
    with Index.create(path) as ix:
        ix.add(
            Document(
                id=f"f{i}",
                title=" ".join(fuzz._word(rng) for _ in range(5)),
                body=" ".join(fuzz._word(rng) for _ in range(40)) + " pelabuhan beras kerja sama.",
                date=f"{2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 5 else None,
                source=f"https://www.situs{i % 7}.co.id/berita/{i}",
                fields={"category": rng.choice(["politik", "ekonomi", "olahraga"])},
            )
            for i in range(60)
        )
        ix.commit()
    with Index.open(path) as ix:
        yield ix, [dsl_eval.prepare(d) for d in ix.documents()]


def _short_fuzzy(query: str) -> bool:
    try:
        parsed = parse_query(query, build_schema(), Ranking(), {})
    except QueryError:
        return False
    leaves = [] if parsed is None else list(parsed.query.leaves()) or [parsed.query]
    return any(
        isinstance(leaf, wq.FuzzyTerm) and len(leaf.text) <= 2 * leaf.maxdist for leaf in leaves
    )


def _differential(ix: Index, docs: list, query: str) -> None:
    try:
        results = ix.search(
            query, limit=1000, snippets=False, suggest=False, ranking=Ranking(rerank_depth=0)
        )
    except QueryError:
        results = None
    try:
        body = to_query_dsl(query, metadata=ix.metadata_fields())
    except QueryError as exc:
        assert results is None or "not an ISO date" in str(exc), (query, str(exc))
        return
    json.dumps(body, allow_nan=False)
    # searchlib caps a pattern's expansion (saying so); the cluster's prefix query does not.
    # It also drops a fuzzy match with as many edits as the matched word has letters, which
    # the cluster's fuzzy query cannot express for words shorter than the query word.
    if results is not None and not results.expansion_capped and not _short_fuzzy(query):
        assert dsl_eval.search(body, docs) == {hit.id for hit in results.hits}, query


@fuzz.fuzz_settings(150)
@given(query=st.one_of(fuzz.syntax_queries, fuzz.unicode_queries))
def test_fuzzed_queries_match_what_searchlib_matches_or_are_query_errors(fuzz_docs, query):
    _differential(*fuzz_docs, query)


@pytest.mark.slow
@fuzz.fuzz_settings(3000)
@given(query=st.one_of(fuzz.syntax_queries, fuzz.unicode_queries))
def test_many_fuzzed_queries_match_what_searchlib_matches(fuzz_docs, query):
    _differential(*fuzz_docs, query)
