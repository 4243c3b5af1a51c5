"""The analyzer's fast path gives exactly the composition's tokens, in all three of its forms:
Whoosh tokens, term -> positions (indexing) and spans of wanted terms (snippets)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from searchlib.analysis import IndonesianAnalyzer

ANALYZERS = [
    IndonesianAnalyzer(),
    IndonesianAnalyzer(stem=False, stopwords=False),
    IndonesianAnalyzer(acronyms=False, variants=False),
    IndonesianAnalyzer(extra_acronyms={"BRIN": "Badan Riset dan Inovasi Nasional"}),
]
TRICKY = st.sampled_from(
    [
        "Menlu AS dan Menlu Korsel di sela -sela KTT PBB, LSM-LSM yang",
        "Jum'at 80.000 57,8 1/2 anak2 ANAK2 Soekarno Djakarta achir 北京 Café",
        "yang dan di -- - -x x- BRIN dan IT it",
        "Perusahaan-perusahaan Jepang-Korea-AS bersama -sama, kadang- kadang",
    ]
)
TEXT = st.one_of(st.text(), TRICKY, st.lists(TRICKY, max_size=4).map(" ".join))


def snapshot(tokens, positions: bool, chars: bool) -> list[tuple]:
    return [
        (
            t.text,
            t.original,
            t.stopped,
            t.boost,
            t.pos if positions else None,
            (t.startchar, t.endchar) if chars else None,
        )
        for t in tokens
    ]


@settings(max_examples=150, deadline=None)
@given(
    text=TEXT,
    positions=st.booleans(),
    chars=st.booleans(),
    removestops=st.booleans(),
    no_morph=st.booleans(),
    start=st.integers(0, 5),
)
def test_cached_word_path_gives_the_filter_chains_tokens(
    text, positions, chars, removestops, no_morph, start
):
    kwargs = {
        "positions": positions,
        "chars": chars,
        "removestops": removestops,
        "start_pos": start,
        "start_char": start,
        "mode": "index",
    }
    for analyzer in ANALYZERS:
        expected = snapshot(analyzer._chain(text, no_morph, **kwargs), positions, chars)
        got = snapshot(analyzer(text, no_morph, **kwargs), positions, chars)
        assert got == expected


@settings(max_examples=150, deadline=None)
@given(text=TEXT)
def test_term_positions_and_find_terms_agree_with_the_tokens(text):
    for analyzer in ANALYZERS:
        expected: dict[str, list[int]] = {}
        for t in analyzer._chain(text, positions=True, mode="index"):
            expected.setdefault(t.text, []).append(t.pos)
        assert analyzer.term_positions(text) == expected
        spans = [(t.startchar, t.endchar, t.text) for t in analyzer._chain(text, chars=True)]
        wanted = set(list(expected)[::2])
        assert analyzer.find_terms(text, wanted) == [s for s in spans if s[2] in wanted]
