"""Indonesian text analysis: text -> searchable tokens.

:class:`IndonesianAnalyzer` (``analyzer``) composes the tokenizer (``tokenizer``) and one small
filter per phenomenon of Indonesian text (``filters``: folding, acronyms, reduplication,
numbers, old spelling, variants, stopwords, affixes); the stemmer (``stemmer``) is a pure
function of one word; the word lists live in ``data/`` behind ``resources``; :func:`analyze`
(``inspect``) shows what each filter did; ``fingerprint`` says which analysis built an index.

``IndonesianAnalyzer`` is a Whoosh analyzer by design (usable in any Whoosh schema): the one
public name that is a Whoosh object.

>>> [t.text for t in IndonesianAnalyzer()("Perusahaan-perusahaan AS")]
['usaha', 'amerika', 'serikat']
"""

from searchlib.analysis.analyzer import IndonesianAnalyzer
from searchlib.analysis.filters import (
    AcronymFilter,
    FoldFilter,
    NumberFilter,
    OldSpellingFilter,
    ReduplicationFilter,
    StemFilter,
    StopFilter,
    VariantFilter,
)
from searchlib.analysis.inspect import AnalyzedToken, analyze
from searchlib.analysis.stemmer import cached_stem, stem
from searchlib.analysis.tokenizer import IndonesianTokenizer, is_reduplication

__all__ = [
    "AcronymFilter",
    "AnalyzedToken",
    "FoldFilter",
    "IndonesianAnalyzer",
    "IndonesianTokenizer",
    "NumberFilter",
    "OldSpellingFilter",
    "ReduplicationFilter",
    "StemFilter",
    "StopFilter",
    "VariantFilter",
    "analyze",
    "cached_stem",
    "is_reduplication",
    "stem",
]
