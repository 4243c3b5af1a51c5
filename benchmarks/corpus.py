"""A scale corpus for benchmarks, synthesised from IndoSum by recombining its sentences.

No public Indonesian news corpus of 100k+ articles can be brought onto the benchmark machines,
so larger corpora are made from the 3,463 IndoSum articles (``../shared/data/indosum``, CC BY-SA
4.0) with a fixed random seed: every synthetic article takes the lead of a real article and then
runs of consecutive sentences from other articles of the same category until it reaches a length
drawn from the real articles' lengths (mean about 300 words). Each gets an id, a title (the real
article's headline, or words of its first sentence), a date in 2016-2023, a source URL on the
real article's site and its category. Every figure measured on it must say "synthesised from
IndoSum".

Queries are 1-4 consecutive words of IndoSum headlines (the known-item queries of
``indosum/queries.dev.tsv``), which is what people type into a news search box; a second set
(:func:`headline_queries`) has three-word headline spans and single title words.

    python benchmarks/corpus.py --docs 20000 --out /tmp/corpus-20k.jsonl
    python benchmarks/corpus.py --queries 500 --out /tmp/queries.tsv
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "indosum"
SEED = 20240601

# IndoSum source labels -> a plausible host, so `site:` filters and facets have real values.
HOSTS = {
    "cnn indonesia": "www.cnnindonesia.com",
    "kumparan": "kumparan.com",
    "dailysocial.id": "dailysocial.id",
    "antaranews": "www.antaranews.com",
    "merdeka": "www.merdeka.com",
    "juara.net": "www.juara.net",
    "suara": "www.suara.com",
    "rimanews": "www.rimanews.com",
    "goal indonesia": "www.goal.com",
    "poskotanews": "poskotanews.com",
}

# A sentence ends at . ! ? (and closing quotes) before a space and a capital, quote or digit.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z\"“0-9])")
_FIRST_DAY = dt.date(2016, 1, 1)
_DAYS = (dt.date(2023, 12, 31) - _FIRST_DAY).days


@dataclass(frozen=True)
class Source:
    """One IndoSum article, split into sentences."""

    id: str
    site: str
    category: str
    sentences: tuple[str, ...]
    words: int
    headline: str | None


def load_sources(data: Path = DATA) -> list[Source]:
    """The IndoSum articles with their sentences and (where known) their headlines."""
    headlines: dict[str, str] = {}
    queries = dict(_tsv(data / "queries.dev.tsv"))
    for line in (data / "qrels.dev.txt").read_text(encoding="utf-8").splitlines():
        qid, _, doc_id, _rel = line.split()
        if qid in queries:
            headlines[doc_id] = queries[qid]
    sources = []
    with (data / "docs.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            text = " ".join(record["text"].split())
            sentences = tuple(s for s in _SENTENCE_END.split(text) if len(s.split()) >= 3)
            if not sentences:
                continue
            sources.append(
                Source(
                    id=record["id"],
                    site=HOSTS.get(record["source"], record["source"]),
                    category=record["category"],
                    sentences=sentences,
                    words=len(text.split()),
                    headline=headlines.get(record["id"]),
                )
            )
    return sources


def _tsv(path: Path) -> Iterator[tuple[str, str]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            key, value = line.split("\t", 1)
            yield key.strip(), value.strip()


def _title(source: Source, rng: random.Random) -> str:
    if source.headline and rng.random() < 0.5:
        words = source.headline.split()
    else:
        # Words from inside one of the article's sentences (a lead opens with a dateline).
        words = [w.strip(",.!?\"'“”’()") for w in rng.choice(source.sentences).split()]
        words = [w for w in words if w]
        start = rng.randrange(0, max(1, len(words) - 6))
        words = words[start : start + rng.randint(5, 11)]
    return " ".join(w[:1].upper() + w[1:] for w in words)


def synthesise(n: int, *, seed: int = SEED, sources: list[Source] | None = None) -> Iterator[dict]:
    """Yield ``n`` synthetic article records (``id``, ``title``, ``date``, ``source``...)."""
    rng = random.Random(seed)
    sources = sources or load_sources()
    by_category: dict[str, list[Source]] = {}
    for source in sources:
        by_category.setdefault(source.category, []).append(source)
    for number in range(n):
        base = rng.choice(sources)
        target = max(60, int(rng.choice(sources).words * rng.uniform(0.8, 1.2)))
        lead = rng.randint(1, min(3, len(base.sentences)))
        chosen = list(base.sentences[:lead])
        words = sum(len(s.split()) for s in chosen)
        pool = by_category[base.category]
        while words < target:
            other = rng.choice(pool)
            start = rng.randrange(len(other.sentences))
            for sentence in other.sentences[start : start + rng.randint(2, 4)]:
                chosen.append(sentence)
                words += len(sentence.split())
                if words >= target:
                    break
        date = _FIRST_DAY + dt.timedelta(days=rng.randrange(_DAYS + 1))
        doc_id = f"syn-{number:07d}"
        yield {
            "id": doc_id,
            "title": _title(base, rng),
            "date": date.isoformat(),
            "source": f"https://{base.site}/{base.category.replace(' ', '-')}/"
            f"{date:%Y/%m/%d}/{doc_id}",
            "category": base.category,
            "text": " ".join(chosen),
        }


def queries(n: int = 500, *, seed: int = SEED, data: Path = DATA) -> list[tuple[str, str]]:
    """``n`` queries of 1-4 consecutive headline words (about 15/35/35/15 per cent).

    A query neither starts nor ends with a function word (nobody searches for ``kembali ke``).
    """
    rng = random.Random(seed + 1)
    function_words = set(
        (data.parent / "lexicon" / "stopwords-tala.txt").read_text(encoding="utf-8").split()
    ) | {"untuk", "dan", "yang", "dari", "dengan", "pada", "dalam", "oleh", "atau", "bagi"}
    headlines = [text for _, text in _tsv(data / "queries.dev.tsv")]
    rng.shuffle(headlines)
    out: list[tuple[str, str]] = []
    for headline in headlines:
        words = headline.split()
        length = min(len(words), rng.choices((1, 2, 3, 4), weights=(15, 35, 35, 15))[0])
        start = rng.randrange(len(words) - length + 1)
        span = words[start : start + length]
        if span[0] in function_words or span[-1] in function_words or len(span[-1]) < 3:
            continue
        out.append((f"q{len(out):03d}", " ".join(span)))
        if len(out) == n:
            break
    return out


def headline_queries(
    three: int = 300, single: int = 100, *, seed: int = SEED, data: Path = DATA
) -> list[tuple[str, str]]:
    """``three`` three-word headline queries and ``single`` one-word title queries.

    The second workload: three consecutive words of a headline (no function word at either
    end), and single headline words of five letters or more, the kind of query that hits
    thousands of documents. Different seed from :func:`queries`.
    """
    rng = random.Random(seed + 2)
    function_words = set(
        (data.parent / "lexicon" / "stopwords-tala.txt").read_text(encoding="utf-8").split()
    )
    headlines = [text for _, text in _tsv(data / "queries.dev.tsv")]
    rng.shuffle(headlines)
    out: list[tuple[str, str]] = []
    singles: list[str] = []
    for headline in headlines:
        words = headline.split()
        if len(out) < three and len(words) >= 3:
            start = rng.randrange(len(words) - 2)
            span = words[start : start + 3]
            if span[0] not in function_words and span[-1] not in function_words:
                out.append((f"h{len(out):03d}", " ".join(span)))
        if len(singles) < single:
            candidates = [w for w in words if len(w) >= 5 and w.lower() not in function_words]
            if candidates:
                singles.append(rng.choice(candidates))
        if len(out) == three and len(singles) == single:
            break
    return out + [(f"w{i:03d}", word) for i, word in enumerate(singles)]


def write_corpus(n: int, out: Path, *, seed: int = SEED) -> Path:
    """Write ``n`` synthetic records to ``out`` as JSONL (atomically)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for record in synthesise(n, seed=seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--docs", type=int, help="synthesise this many articles (JSONL)")
    what.add_argument("--queries", type=int, help="write this many queries (qid<TAB>text)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if args.docs:
        write_corpus(args.docs, args.out, seed=args.seed)
    else:
        rows = queries(args.queries, seed=args.seed)
        args.out.write_text("".join(f"{q}\t{t}\n" for q, t in rows), encoding="utf-8")
    print(f"wrote {args.out} (synthesised from IndoSum)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
