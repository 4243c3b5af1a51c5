"""Snippet marks without analysing the whole body: ``find_matches`` must give exactly the
spans of a scan over the whole token stream (the reference below, the code it replaced), for
single written forms and for phrases, on random text and on real articles. Sentences are split
as the pattern that stopped at every space split them."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchlib.analysis import IndonesianAnalyzer
from searchlib.search.snippets import _append_trimmed, find_matches, sentence_spans

STEMMED = IndonesianAnalyzer()
EXACT = IndonesianAnalyzer(stem=False, stopwords=False)
PIECES = st.sampled_from(
    [
        "Menlu AS dan Menlu Korsel di sela -sela KTT PBB.",
        "Menteri Luar Negeri Amerika Serikat bertemu Korea Selatan",
        "perundingan.Menteri Pertahanan Jepang",
        "Jum'at 80.000 57,8 1/2 anak2. 3.Menteri (AS), “Korsel”",
        "Perusahaan-perusahaan! Jepang-Korea-AS bersama-sama? kadang- kadang",
        "PBB PBB Perserikatan Bangsa-Bangsa bangsa bangsa",
        # Words long enough that a phrase runs past the first window find_phrases tokenizes.
        "pertanggungjawabannya ketidakseimbangannya memperjuangkannya berkesinambungan",
        " . ! ? \n\t ",
    ]
)
TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(PIECES, st.text(alphabet="aAsS .!?-\n", max_size=6)), max_size=10).map(
        " ".join
    ),
)


def reference(text, stems, exact, phrases):
    spans = [(t.startchar, t.endchar, t.text) for t in STEMMED(text, chars=True) if t.text in stems]
    tokens = [
        (t.text, t.startchar, t.endchar)
        for t in EXACT(text, mode="index", chars=True, removestops=False)
    ]
    spans += [(s, e, w) for w, s, e in tokens if w in exact]
    for phrase in phrases:
        size = len(phrase)
        for i in range(len(tokens) - size + 1):
            if tuple(t[0] for t in tokens[i : i + size]) == phrase:
                spans.append((tokens[i][1], tokens[i + size - 1][2], " ".join(phrase)))
    return sorted(spans)


def _cases(text: str, choice: int):
    exact_terms = [t.text for t in EXACT(text, removestops=False)]
    stems = {t.text for t in STEMMED(text)}
    phrases = {tuple(exact_terms[i : i + n]) for n in (2, 3) for i in range(0, len(exact_terms), 3)}
    phrases = sorted(p for p in phrases if len(p) > 1)[choice % 3 :: 2]
    phrases += [("korea", "selatan"), ("bangsa", "bangsa"), ("amerika",)]
    return set(sorted(stems)[::2]), set(exact_terms[1::4]), phrases


@settings(max_examples=200, deadline=None)
@given(text=TEXT, choice=st.integers(0, 5))
def test_marks_match_a_scan_of_the_whole_token_stream(text, choice):
    stems, exact, phrases = _cases(text, choice)
    assert find_matches(text, stems, exact, STEMMED, EXACT, phrases) == reference(
        text, stems, exact, phrases
    )


def test_marks_on_the_seeds_and_indosum():
    from searchlib.seeds import seeds_dir

    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir().glob("*.txt"))]
    assert texts, "the seeds are missing"
    for n, text in enumerate(texts):
        stems, exact, phrases = _cases(text, n)
        assert find_matches(text, stems, exact, STEMMED, EXACT, phrases) == reference(
            text, stems, exact, phrases
        )
    for n, text in enumerate(indosum_texts(150, "checked the seeds only")):
        stems, exact, phrases = _cases(text, n)
        assert find_matches(text, stems, exact, STEMMED, EXACT, phrases) == reference(
            text, stems, exact, phrases
        )


def indosum_texts(count: int, why: str = "") -> list[str]:
    """The first ``count`` IndoSum article texts of ``../shared/data`` (skips if absent)."""
    indosum = Path(__file__).resolve().parents[3] / "shared" / "data" / "indosum" / "docs.jsonl"
    if not indosum.exists():
        pytest.skip(f"{indosum} is missing{': ' + why if why else ''}")
    with indosum.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in itertools.islice(handle, count)]


# The sentence-end pattern snippets used before: its line-break branch started at any space.
SPACE_STOPPING_END = re.compile(
    r"""(?=[.!?\s])(?:[.!?]+["'”’)\]]*\s+|\.(?<=[a-z0-9)]\.)(?=[A-Z][a-z])|[^\S\n]*\n\s*)"""
)


def reference_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in SPACE_STOPPING_END.finditer(text):
        end = (
            match.start()
            if match.group().strip() == ""
            else match.start() + len(match.group().rstrip())
        )
        _append_trimmed(text, start, end, spans)
        start = match.end()
    _append_trimmed(text, start, len(text), spans)
    return spans


SPACEY = st.lists(
    st.one_of(PIECES, st.text(alphabet='aAsS .!?)"\n\r\t\u00a0\u2028\x85', max_size=8)),
    max_size=12,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(TEXT, SPACEY))
def test_sentences_split_as_the_pattern_that_stopped_at_every_space(text):
    assert sentence_spans(text) == reference_sentences(text)


def test_sentences_of_indosum_split_as_before():
    for text in indosum_texts(2000):
        assert sentence_spans(text) == reference_sentences(text)
