"""Text cleanup's shortcuts give what its patterns give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from searchlib.documents.cleanup import _SPACES, _collapse_spaces

# Every kind of space the pattern knows, others \s matches, and ordinary text.
SPACES = " \t\f\v\u00a0\u2000\u2005\u200a\u202f\u205f\u3000\x1c\x85\u2028\u2029\r"
LINE = st.text(alphabet=st.sampled_from(SPACES) | st.characters(exclude_characters="\n"))


@settings(max_examples=500, deadline=None)
@given(line=LINE)
def test_collapsing_spaces_skips_the_pattern_only_where_it_would_change_nothing(line):
    assert _collapse_spaces(line) == _SPACES.sub(" ", line)
