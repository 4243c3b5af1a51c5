"""Build an index from a folder of articles or a JSONL/TSV corpus, then search it.

python examples/build_index.py ../shared/data/indosum/docs.jsonl /tmp/indosum-ix "harga beras"
python examples/build_index.py seeds/ /tmp/seeds-ix "Nakatani"
"""

from __future__ import annotations

import sys
import time

from searchlib import DocumentError, Index, iter_documents


def main(source: str, index_dir: str, query: str | None) -> int:
    errors: list[DocumentError] = []
    started = time.perf_counter()
    with Index.create(index_dir, overwrite=True) as ix:
        added = ix.add(iter_documents([source], on_error=errors.append))
        ix.commit()
        print(f"indexed {added} documents in {time.perf_counter() - started:.1f} s")
        for error in errors:
            print(f"skipped {error.path}: {error.reason}")
        if query:
            for hit in ix.search(query, limit=5).hits:
                print(f"{hit.rank}. {hit.id} ({hit.score:.2f}) {hit.snippet[:160]}")
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None))
