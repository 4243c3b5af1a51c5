"""Token parity between searchlib's analysis and Lucene running the OpenSearch export of it.

Writes :func:`searchlib.export.analysis_settings` and :func:`searchlib.export.rules_files` to
a folder (as a node's config directory would hold them), starts
``benchmarks/lucene/Analyze.java`` once (Lucene 8.x from Debian's ``liblucene8-java``) and
compares, text by text, the ``(term, position)`` pairs of both analyzers
(``searchlib_indonesian`` = ``IndonesianAnalyzer()``, ``searchlib_written`` =
``IndonesianAnalyzer(stem=False, stopwords=False)``) on the bundled seeds and on every IndoSum
article (title and body, as searchlib indexes them). It prints the agreement and the categories
of the differences that remain, with examples::

    python benchmarks/lucene_parity.py                       # seeds and IndoSum
    python benchmarks/lucene_parity.py --unknown-words stem  # Lucene's stemmer outside the rules

Agreement counts the pairs both produce (as multisets) over the larger of the two counts, so
a missing token and every position it shifts count against it.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DATA = REPO.parent / "shared" / "data"
JAVA_SOURCE = REPO / "benchmarks" / "lucene" / "Analyze.java"
ANALYZERS = ("searchlib_indonesian", "searchlib_written")
#: Where Debian's liblucene8-java puts its jars (the file names carry an older version number).
JAR_DIRS = ("/usr/share/java",)
JARS = ("lucene-core", "lucene-analyzers-common")


def lucene_classpath() -> tuple[str | None, str]:
    """``(classpath, "")`` when Java and the Lucene jars are here, else ``(None, why not)``."""
    java = shutil.which("java")
    if java is None:
        return None, "no java on PATH (install a JDK 11+)"
    found = []
    for jar in JARS:
        candidates: list[str] = []
        for folder in JAR_DIRS:
            candidates += sorted(glob.glob(os.path.join(folder, f"{jar}-8*.jar")))
            candidates += sorted(glob.glob(os.path.join(folder, f"{jar}.jar")))
        if not candidates:
            return None, f"no {jar} jar in {', '.join(JAR_DIRS)} (apt-get install liblucene8-java)"
        found.append(candidates[0])
    return os.pathsep.join(found), ""


def lucene_version(classpath: str) -> str:
    """The Lucene version in the core jar's manifest (Debian names the files 8.7.0)."""
    import zipfile

    with zipfile.ZipFile(classpath.split(os.pathsep)[0]) as jar:
        manifest = jar.read("META-INF/MANIFEST.MF").decode()
    for line in manifest.splitlines():
        if line.startswith("Specification-Version:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def write_export(folder: Path, *, unknown_words: str = "keep") -> Path:
    """The settings and rules files as a node's config directory would hold them."""
    from searchlib.export.analysis import analysis_settings, rules_files

    folder.mkdir(parents=True, exist_ok=True)
    settings = {"settings": {"index": {"analysis": analysis_settings(unknown_words=unknown_words)}}}
    (folder / "settings.json").write_text(
        json.dumps(settings, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    for name, content in rules_files().items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return folder


class LuceneAnalyzers:
    """One JVM running ``Analyze.java tokens`` over an export folder; ask it for tokens.

    Requests are written by a thread while answers are read, so long batches never block.
    """

    def __init__(self, classpath: str, export_dir: Path) -> None:
        self.command = ["java", "-cp", classpath, str(JAVA_SOURCE), "tokens", str(export_dir)]

    def tokens(self, requests: list[tuple[str, str]]) -> list[list[tuple[str, int]]]:
        """``[(analyzer, text), ...]`` -> the ``(term, position)`` list of each, in order."""
        import threading

        proc = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None

        def feed() -> None:
            assert proc.stdin is not None
            try:
                for analyzer, text in requests:
                    line = json.dumps({"analyzer": analyzer, "text": text}, ensure_ascii=True)
                    proc.stdin.write(line + "\n")
            finally:
                proc.stdin.close()

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        out = [[(t, int(p)) for t, p in json.loads(line)] for line in proc.stdout]
        writer.join()
        errors = proc.stderr.read()
        if proc.wait() != 0 or len(out) != len(requests):
            raise RuntimeError(f"Analyze.java failed ({proc.returncode}): {errors.strip()}")
        return out


def searchlib_tokens(analyzer_name: str, text: str) -> list[tuple[str, int]]:
    """searchlib's ``(term, position)`` pairs, as the index gets them."""
    from searchlib.analysis import IndonesianAnalyzer

    analyzer = _SEARCHLIB[analyzer_name]
    if analyzer is None:
        analyzer = _SEARCHLIB[analyzer_name] = (
            IndonesianAnalyzer()
            if analyzer_name == "searchlib_indonesian"
            else IndonesianAnalyzer(stem=False, stopwords=False)
        )
    return [(t.text, t.pos) for t in analyzer(text, positions=True, mode="index")]


_SEARCHLIB: dict[str, Any] = {name: None for name in ANALYZERS}


def seed_texts() -> Iterator[tuple[str, str]]:
    """``(label, text)``: the title and body of each bundled seed document."""
    from searchlib import iter_documents

    for doc in iter_documents([REPO / "seeds"]):
        if doc.title:
            yield f"{doc.id}:title", doc.title
        yield f"{doc.id}:body", doc.body


def indosum_texts(limit: int | None = None) -> Iterator[tuple[str, str]]:
    """``(label, text)``: the title and body of every IndoSum article (as searchlib reads it)."""
    from searchlib import iter_documents

    for i, doc in enumerate(iter_documents([DATA / "indosum" / "docs.jsonl"], format="jsonl")):
        if limit is not None and i >= limit:
            return
        if doc.title:
            yield f"{doc.id}:title", doc.title
        yield f"{doc.id}:body", doc.body


@dataclass
class Parity:
    """Agreement of the two analyses over a set of texts, per analyzer."""

    agreed: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    texts: Counter[str] = field(default_factory=Counter)
    identical: Counter[str] = field(default_factory=Counter)
    #: (analyzer, category) -> count of differing pairs
    categories: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    mismatched: list[tuple[str, str]] = field(default_factory=list)

    def rate(self, analyzer: str) -> float:
        return self.agreed[analyzer] / self.total[analyzer] if self.total[analyzer] else 1.0


def compare(
    texts: Iterable[tuple[str, str]],
    lucene: LuceneAnalyzers,
    analyzers: Iterable[str] = ANALYZERS,
) -> Parity:
    """Run both analyses over ``texts`` and count where they agree."""
    items = list(texts)
    names = list(analyzers)
    requests = [(name, text) for name in names for _label, text in items]
    answers = iter(lucene.tokens(requests))
    parity = Parity()
    for name in names:
        for label, text in items:
            ours = searchlib_tokens(name, text)
            theirs = next(answers)
            a, b = Counter(ours), Counter(theirs)
            common = sum((a & b).values())
            parity.agreed[name] += common
            parity.total[name] += max(len(ours), len(theirs))
            parity.texts[name] += 1
            if ours == theirs:
                parity.identical[name] += 1
                continue
            parity.mismatched.append((name, label))
            _categorise(parity, name, label, ours, theirs)
    return parity


def _categorise(
    parity: Parity,
    name: str,
    label: str,
    ours: list[tuple[str, int]],
    theirs: list[tuple[str, int]],
) -> None:
    """File each difference under a category (by the first differing token of each run)."""
    import difflib

    ours_terms = [t for t, _ in ours]
    theirs_terms = [t for t, _ in theirs]
    matcher = difflib.SequenceMatcher(a=ours_terms, b=theirs_terms, autojunk=False)
    shifted = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            shifted += sum(1 for k in range(i2 - i1) if ours[i1 + k][1] != theirs[j1 + k][1])
            continue
        mine = " ".join(ours_terms[i1:i2])
        lucene = " ".join(theirs_terms[j1:j2])
        category = _category(name, mine, lucene)
        key = (name, category)
        parity.categories[key] += max(i2 - i1, j2 - j1)
        examples = parity.examples.setdefault(key, [])
        if len(examples) < 4:
            examples.append(f"{label}: searchlib [{mine}] / Lucene [{lucene}]")
    if shifted:
        key = (name, "same terms, shifted positions")
        parity.categories[key] += shifted
        examples = parity.examples.setdefault(key, [])
        if len(examples) < 4:
            examples.append(f"{label}: {shifted} tokens")


def _category(analyzer: str, mine: str, lucene: str) -> str:
    if not mine:
        return "token only in Lucene"
    if not lucene:
        return "token only in searchlib"
    if not (mine.isascii() and lucene.isascii()):
        return "non-Latin script (unidecode transliterates, asciifolding cannot)"
    if analyzer == "searchlib_indonesian" and len(mine.split()) == len(lucene.split()):
        return "different stem (word outside the stem rules)"
    return "different terms"


def report(title: str, parity: Parity) -> list[str]:
    lines = [f"### {title}", "", "| analyzer | texts | identical texts | pairs agreeing |"]
    lines.append("|---|---|---|---|")
    for name in ANALYZERS:
        if parity.texts[name]:
            lines.append(
                f"| {name} | {parity.texts[name]} | {parity.identical[name]} | "
                f"{parity.agreed[name]:,} / {parity.total[name]:,} = {parity.rate(name):.4%} |"
            )
    if parity.categories:
        lines += ["", "| analyzer | difference | pairs | examples |", "|---|---|---|---|"]
        for (name, category), count in parity.categories.most_common():
            examples = "; ".join(parity.examples[(name, category)][:3]).replace("|", "\\|")
            lines.append(f"| {name} | {category} | {count:,} | {examples} |")
    return [*lines, ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--unknown-words", choices=("keep", "stem"), default="keep")
    parser.add_argument("--limit", type=int, default=None, help="first N IndoSum articles")
    parser.add_argument("--no-indosum", action="store_true")
    args = parser.parse_args(argv)
    classpath, why = lucene_classpath()
    if classpath is None:
        print(f"skipping: {why}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        export = write_export(Path(tmp) / "config", unknown_words=args.unknown_words)
        lucene = LuceneAnalyzers(classpath, export)
        print(f"Lucene {lucene_version(classpath)}, unknown_words={args.unknown_words}\n")
        print("\n".join(report("Seeds", compare(seed_texts(), lucene))))
        if not args.no_indosum:
            if not DATA.is_dir():
                print(f"skipping IndoSum: no data at {DATA}")
                return 0
            print("\n".join(report("IndoSum", compare(indosum_texts(args.limit), lucene))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
