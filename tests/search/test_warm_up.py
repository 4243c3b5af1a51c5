"""The first search of a process reports no one-off warm-up in ``took_ms`` (issue 15, item 10).

Each check runs in a fresh interpreter, where the first search used to take 150-200 ms more
than the same search run again (regular expressions compiled, word lists loaded, the words of
the documents analysed for snippets). ``Index.open`` now does the one-off work and says what it
cost (``warm_up_ms``), and a search reports the time it spent filling caches apart
(``Results.warm_up_ms``), so ``took_ms`` is the search's own time.
"""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json, sys
from searchlib import Index
ix = Index.open(sys.argv[1])
runs = [ix.search(q) for q in ["Korea Nakatani"] * 12 + ["Korea"]]
print(json.dumps({
    "took": [r.took_ms for r in runs],
    "warm": [r.warm_up_ms for r in runs],
    "open_warm_up_ms": ix.warm_up_ms,
}))
"""


def _first_searches(path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_the_first_search_of_a_process_reports_no_warm_up_in_took_ms(seed_index_path):
    # Timing on a shared machine is noisy: the best of three fresh processes is compared.
    runs = [_first_searches(seed_index_path) for _ in range(3)]
    best = min(runs, key=lambda run: run["took"][0] - min(run["took"][1:3]))
    first, again = best["took"][0], min(best["took"][1:3])
    assert first <= 2.5 * again + 25.0, best
    # The snippets' new words, reported apart: the first search analyses those its hits' marks
    # need, later sights the rest of those texts a budget at a time, until there are none left.
    warm = best["warm"][:12]
    assert warm[0] > 0
    settled = warm.index(0.0)  # raises if the hits' words are never all learned
    assert warm[settled:] == [0.0] * (12 - settled), warm
    assert best["open_warm_up_ms"] > 0


def test_an_index_opened_again_in_the_same_process_does_not_warm_up_again(seed_index_path):
    from searchlib import Index

    with Index.open(seed_index_path):
        pass
    with Index.open(seed_index_path) as again:
        assert again.warm_up_ms == 0.0


def test_a_created_index_reports_no_warm_up(small_ix):
    assert small_ix.warm_up_ms == 0.0
