"""Another program using searchlib's API and printing JSON, as a service embedding it would.

python examples/embed.py "Menlu AS Korsel"
"""

from __future__ import annotations

import json
import sys

from searchlib import QueryError, SnippetOptions, seed_index


def answer(query: str) -> dict:
    """Search the seeds; errors become a JSON error object instead of a stack trace."""
    try:
        results = seed_index().search(query, limit=5, snippets=SnippetOptions(html=True))
    except QueryError as exc:
        return {"query": query, "error": str(exc)}
    return results.to_dict()


if __name__ == "__main__":
    print(
        json.dumps(answer(" ".join(sys.argv[1:]) or "denuklirisasi"), ensure_ascii=False, indent=2)
    )
