"""Search the five bundled seed articles (the README demo; `make demo` runs it).

python examples/search_seeds.py [QUERY...]
"""

from __future__ import annotations

import sys

from searchlib import seed_index

QUERIES = [
    "Siapa menteri pertahanan Jepang yang mengunjungi Korea?",
    "perusahaan",
    '"kerja sama trilateral"',
]


def main(queries: list[str]) -> None:
    ix = seed_index()  # built on first use, cached, rebuilt when the analyzer changes
    print(f"{ix.doc_count()} seed articles indexed\n")
    for query in queries:
        results = ix.search(query, limit=3)
        print(f"== {query}  ({results.total} hits, {results.took_ms:.1f} ms)")
        for hit in results.hits:
            print(f"{hit.rank}. [{hit.id}] {hit.title or '(untitled)'}  {hit.date or ''}")
            print(f"   {hit.snippet}")
        print()


if __name__ == "__main__":
    main(sys.argv[1:] or QUERIES)
