"""The analyzer's fast path gives exactly the composition's tokens, in all three of its forms:
Whoosh tokens, term -> positions (indexing) and spans of wanted terms (snippets)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from searchlib.analysis import IndonesianAnalyzer
from searchlib.analysis.analyzer import _has_joint_at_space
from searchlib.analysis.tokenizer import _group_words, word_spans, words
from tests.conftest import SEEDS

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
        "AS\tAS\nKASUS AS.AS (AS) AS\u00a0-AS ‑AS- AS\u2028AS\x1cAS",
        "usaha\u0301 caf\u0065\u0301 80.000.000 a/b 1/2/ ²³ x_y __ _AS_",
        "(Antara), “Kami”, ‘ya’ 1/ /2 -x x- x-. .80 80. 5,- (AS). [PBB]: «yang»… —dan– 'Jum'at'",
    ]
)
WHITESPACE = st.sampled_from([" ", "\n", "\t", "\u00a0", "\u2028", "\x1c", " - ", "-", ""])
TEXT = st.one_of(
    st.text(),
    TRICKY,
    st.lists(TRICKY, max_size=4).map(" ".join),
    st.lists(st.one_of(TRICKY, WHITESPACE, st.text(max_size=6)), max_size=8).map("".join),
)


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


@settings(max_examples=300, deadline=None)
@given(text=TEXT, removestops=st.booleans(), every=st.integers(1, 3))
def test_find_terms_by_chunk_gives_the_compositions_spans(text, removestops, every):
    """find_terms looks up whitespace-separated chunks and locates only the matching ones
    (or tokenizes everything where a hyphen stands beside a space): the spans must be the
    composition's, in its order, for any subset of the terms."""
    for analyzer in ANALYZERS:
        spans = [
            (t.startchar, t.endchar, t.text, t.stopped)
            for t in analyzer._chain(text, chars=True, removestops=False)
        ]
        wanted = {t for _, _, t, _ in spans[::every]}
        expected = [
            (s, e, t) for s, e, t, stopped in spans if t in wanted and not (stopped and removestops)
        ]
        assert analyzer.find_terms(text, wanted, removestops=removestops) == expected


@settings(max_examples=100, deadline=None)
@given(text=TEXT, removestops=st.booleans(), limit=st.integers(1, 6))
def test_find_terms_when_the_chunk_table_overflows(text, removestops, limit):
    """A text with more distinct chunks than the table holds is walked for that call only, and
    a full table is emptied before new chunks go in: the spans stay the composition's."""
    from unittest import mock

    import searchlib.analysis.analyzer as analyzer_module

    with mock.patch.object(analyzer_module, "_WORD_TABLE_MAX", limit):
        for analyzer in ANALYZERS:
            spans = [
                (t.startchar, t.endchar, t.text, t.stopped)
                for t in analyzer._chain(text, chars=True, removestops=False)
            ]
            wanted = {t for _, _, t, _ in spans}
            expected = [(s, e, t) for s, e, t, stopped in spans if not (stopped and removestops)]
            assert analyzer.find_terms(text, wanted, removestops=removestops) == expected


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(TEXT, min_size=2, max_size=5), limit=st.integers(2, 12))
def test_find_terms_on_texts_seen_before_while_the_table_fills_and_empties(texts, limit):
    """A text whose chunks were all learnt skips looking them up again; when the table empties
    to make room, that goes too: asked again (a new string each time, as a hit's body is read),
    every text still gets the composition's spans."""
    from unittest import mock

    import searchlib.analysis.analyzer as analyzer_module

    analyzer = ANALYZERS[0]
    with mock.patch.object(analyzer_module, "_WORD_TABLE_MAX", limit):
        analyzer._table(False).__init__(analyzer, False)  # a fresh, small table
        for text in texts + texts[::-1] + texts:
            copy = "".join(list(text))  # the same content, another object
            spans = [(t.startchar, t.endchar, t.text) for t in analyzer._chain(copy, chars=True)]
            wanted = {t for _, _, t in spans}
            assert analyzer.find_terms(copy, wanted) == spans
    analyzer._table(False).__init__(analyzer, False)  # no small-table leftovers for others


# Hyphens and spaces packed together: joints with a space on either side, chains of them.
HYPHENATED = st.text(alphabet="ab1 -\u2010\u2011\u00a0\n.,'", max_size=24)


@settings(max_examples=600, deadline=None)
@given(text=st.one_of(TEXT, HYPHENATED))
def test_words_by_piece_are_the_patterns_words(text):
    assert words(text) == _group_words(text)
    assert words(text) == [text[s:e] for s, e in word_spans(text)]


# The joint check's definition as a pattern (see the comment above _has_joint_at_space).
_END = r"(?:[^\W_]|[\u0300-\u036f])"
JOINT_PATTERN = re.compile(
    rf"[-‐‑](?:(?<={_END}[ \u00a0][-‐‑])(?=[^\W_])|(?<={_END}[-‐‑])(?=[ \u00a0][^\W_]))"
)
# Few characters, so every arrangement of a piece end, spaces and hyphens comes up.
JOINT_TEXT = st.text(alphabet="a²_ -\u2011\u00a0\t\u0301", max_size=8)
JOINT_CASES = [
    "sela -sela", "kadang- kadang", "kata - kata", "a\u0301 -b", "a\u0301- b", "a -\u0301",
    "a- \u0301", "_ -a", "a -_", "² -²", "a\u00a0‐b", "a‑\u00a0b", " -a", "-a", "a-", "a- ", "a -",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(text=st.one_of(JOINT_TEXT, st.sampled_from(JOINT_CASES), HYPHENATED, TEXT))
def test_the_joint_check_finds_what_its_pattern_finds(text):
    assert _has_joint_at_space(text) == (JOINT_PATTERN.search(text) is not None)


# Every option that changes a stage, for the word steps below.
STEP_ANALYZERS = [
    *ANALYZERS,
    IndonesianAnalyzer(old_spelling=False, protected=["bekasi", "Soekarno"]),
    IndonesianAnalyzer(stopwords=False),
    IndonesianAnalyzer(extra_acronyms={"=Ab": "Alpha Beta", "xyz": "Ex-Wye Zed", "AS": "Asia"}),
]
SEED_WORDS = sorted(
    {w for path in SEEDS.glob("*.txt") for w in words(path.read_text(encoding="utf-8"))}
)
TRICKY_WORDS = [
    "", "-", "AS", "As", "as", "LSM-LSM", "Lsm-lsm", "PBB-PBB", "ANAK2", "anak2", "Anak2", "PS2",
    "80.000", "1.250.000,5", "10.30", "57,8", "1/2", "Soekarno", "Djakarta", "achir", "rumahnja",
    "Café", "北京", "Jum'at", "-sama", "sela-sela", "Ab", "AB", "ab", "xyz", "XYZ", "bekasi",
    "yang", "Yang", "praktek", "mempraktekkan", "Korsel", "KTT", "usaha\u0301", "²³", "x_y",
]  # fmt: skip


def _probe_agrees(analyzer, word: str) -> None:
    for no_morph in (False, True):
        assert analyzer._probe(word, no_morph) == analyzer._probe_tokens(word, no_morph), word


def test_word_steps_give_the_stages_outputs_for_seed_and_tricky_words():
    """The word table learns a word through the stages' word steps; they must make what the
    stages' generators make of the word as one token, for every option that changes a stage."""
    for analyzer in STEP_ANALYZERS:
        assert analyzer._word_steps(False) is not None
        for word in TRICKY_WORDS + SEED_WORDS:
            _probe_agrees(analyzer, word)


@settings(max_examples=300, deadline=None)
@given(
    word=st.one_of(
        st.text(max_size=12),
        st.text(alphabet="aAsSeoOdDjJtTcChHnN2-.,/0123456789éÉ", max_size=12),
        st.sampled_from(TRICKY_WORDS).map(str.upper),
    )
)
def test_word_steps_give_the_stages_outputs(word):
    for analyzer in STEP_ANALYZERS:
        _probe_agrees(analyzer, word)


def test_a_stage_without_a_word_step_sends_every_word_through_the_generators():
    from whoosh.analysis import StopFilter

    analyzer = IndonesianAnalyzer()
    analyzer._stages = (*analyzer.stages(), ("whoosh_stop", StopFilter(stoplist=["kunjung"])))
    assert analyzer._word_steps(False) is None
    assert analyzer._probe("mengunjungi", False) == analyzer._probe_tokens("mengunjungi", False)
    assert analyzer._probe("mengunjungi", False) == (("kunjung", True),)  # flagged by Whoosh


def test_a_filter_subclass_with_its_own_generator_keeps_the_generator_path():
    """A step stands for the generator it was written with: a subclass that overrides only
    ``__call__`` must not be learnt through the parent's step."""
    from searchlib.analysis.filters import AcronymFilter, StemFilter

    class LoudStem(StemFilter):
        def __call__(self, tokens):
            for t in super().__call__(tokens):
                t.text = t.text.upper()
                yield t

    class NoAcronyms(AcronymFilter):
        def __call__(self, tokens):
            yield from tokens

    for replaced, word, expected in [
        ("stem", "mengunjungi", (("KUNJUNG", False),)),
        ("acronym", "Korsel", (("korsel", False),)),
    ]:
        analyzer = IndonesianAnalyzer()
        stages = dict(analyzer.stages())
        stages[replaced] = LoudStem() if replaced == "stem" else NoAcronyms()
        analyzer._stages = tuple(stages.items())
        assert analyzer._word_steps(False) is None
        assert analyzer._probe(word, False) == expected == analyzer._probe_tokens(word, False)
