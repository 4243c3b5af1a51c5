"""The CLI in pipes and batch runs (issue 15, items 6 and 7).

Data on stdout, summaries and warnings on stderr, ``-`` for stdin/stdout, failed queries
reported with a non-zero exit, progress on a terminal only, ``--json`` on every command
(validated against the JSON Schemas shipped in ``searchlib/schemas/``), counts printed one
way; ``searchlib run`` with ``--threads``, ``--bm25-k1``/``--bm25-b``, ``--run-tag`` and ids
that cannot break the TREC format.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from searchlib import Document, Index
from searchlib.cli import main
from tests.conftest import SEEDS, seed_id

# The schema of each command's --json output (searchlib.cli.SCHEMAS says the same).
SCHEMAS = {
    "search": "results.json",
    "similar": "results.json",
    "index": "index.json",
    "reindex": "reindex.json",
    "analyze": "analyze.json",
    "run": "run.json",
    "export": "export.json",
}
QUERIES = "q1\tNakatani\nq2\tBlinken denuklirisasi\nq3\tyang\nq4\tKorea\n"


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def schema(command: str) -> dict:
    text = resources.files("searchlib").joinpath("schemas", SCHEMAS[command]).read_text("utf-8")
    return json.loads(text)


def check_json(command: str, out: str) -> dict:
    data = json.loads(out)
    validator = jsonschema.Draft202012Validator(schema(command))
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    return data


def trec_rows(text: str) -> list[list[str]]:
    return [line.split(" ") for line in text.splitlines()]


@pytest.fixture
def queries(tmp_path: Path) -> Path:
    path = tmp_path / "q.tsv"
    path.write_text(QUERIES, encoding="utf-8")
    return path


@pytest.fixture
def index_copy(tmp_path: Path, seed_index_path: Path) -> Path:
    """A private copy of the seed index (tests here write to it)."""
    target = tmp_path / "ix"
    shutil.copytree(seed_index_path, target)
    return target


# -- item 6: data on stdout, messages on stderr ------------------------------------------------


def test_run_to_stdout_gives_a_clean_run_file_and_the_summary_on_stderr(
    capsys, seed_index_path, queries
):
    code, out, err = run(
        capsys, "run", "--index", str(seed_index_path), "--queries", str(queries), "--output", "-"
    )
    assert code == 0
    rows = trec_rows(out)
    assert rows and all(len(r) == 6 and r[1] == "Q0" for r in rows), out
    assert rows[0][:3] == ["q1", "Q0", seed_id("003")]
    assert "wrote" in err and "4 queries" in err and "wrote" not in out


def test_run_output_dev_stdout_redirected_is_a_clean_run_file(tmp_path, seed_index_path, queries):
    # The shell case of the issue: --output /dev/stdout > f must not get the summary in f.
    target = tmp_path / "run.trec"
    with target.open("w") as handle:
        argv = ["run", "--index", str(seed_index_path), "--queries", str(queries)]
        done = subprocess.run(
            [sys.executable, "-m", "searchlib", *argv, "--output", "/dev/stdout"],
            stdout=handle,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert done.returncode == 0, done.stderr
    rows = trec_rows(target.read_text())
    assert rows and all(len(r) == 6 for r in rows)
    assert "wrote" in done.stderr


def test_run_reads_queries_from_stdin(capsys, monkeypatch, seed_index_path, tmp_path):
    output = tmp_path / "run.trec"
    argv = ["run", "--index", str(seed_index_path), "--queries", "-", "--output", str(output)]
    code, out, _ = run(capsys, *argv, stdin=QUERIES, monkeypatch=monkeypatch)
    assert code == 0 and out == ""
    assert {r[0] for r in trec_rows(output.read_text())} == {"q1", "q2", "q4"}


def test_search_dash_reads_the_query_from_stdin(capsys, monkeypatch):
    code, out, _ = run(capsys, "search", "-", "--json", stdin="Nakatani\n", monkeypatch=monkeypatch)
    assert code == 0
    data = json.loads(out)
    assert data["query"] == "Nakatani"
    assert data["hits"][0]["id"] == seed_id("003")


def test_analyze_dash_reads_the_text_from_stdin(capsys, monkeypatch):
    code, out, _ = run(capsys, "analyze", "-", "--json", stdin="anak2\n", monkeypatch=monkeypatch)
    assert code == 0
    assert [t["normalized"] for t in json.loads(out)["tokens"]] == ["anak"]


def test_index_dash_reads_jsonl_or_tsv_records_from_stdin(capsys, monkeypatch, tmp_path):
    ix_dir = str(tmp_path / "ix")
    records = '{"id": "j1", "text": "Harga beras naik."}\n{"id": "j2"}\n'
    code, out, err = run(
        capsys, "index", "-", "--index", ix_dir, stdin=records, monkeypatch=monkeypatch
    )
    assert code == 1 and out == ""
    assert "skipped stdin:2" in err and "1 document from stdin" in err
    code, out, _ = run(
        capsys,
        "index",
        str(SEEDS),
        "-",
        "--index",
        ix_dir,
        "--json",
        "--skip-errors",
        stdin="t1\tHarga cabai naik.\n",
        monkeypatch=monkeypatch,
    )
    data = check_json("index", out)
    assert code == 0 and data["documents_from_stdin"] == 1 and data["documents_total"] == 7
    with Index.open(ix_dir) as ix:
        assert {"j1", "t1", seed_id("003")} <= set(ix.ids())
    code, _, err = run(
        capsys, "index", "-", "--index", ix_dir, stdin="plain words\n", monkeypatch=monkeypatch
    )
    assert code == 1 and "pass --format jsonl or --format tsv" in err


def test_index_and_reindex_print_their_summaries_on_stderr(capsys, tmp_path):
    ix_dir = tmp_path / "ix"
    code, out, err = run(capsys, "index", str(SEEDS), "--index", str(ix_dir), "--quiet")
    assert code == 0 and out == "" and "indexed 5 documents" in err
    code, out, err = run(capsys, "reindex", "--index", str(ix_dir))
    assert code == 0 and out == "" and "reindexed 5 documents" in err


def test_a_failed_query_is_reported_on_stderr_with_a_nonzero_exit(
    capsys, seed_index_path, tmp_path
):
    queries = tmp_path / "q.tsv"
    queries.write_text('q1\tNakatani\nq2\t"kerja sama\nq3\tKorea\n', encoding="utf-8")
    output = tmp_path / "run.trec"
    argv = ["run", "--index", str(seed_index_path), "--queries", str(queries)]
    code, _, err = run(capsys, *argv, "--output", str(output))
    assert code == 1
    assert "query q2 failed: unbalanced quotes" in err
    assert "1 query of 3 failed" in err
    # The other queries still ran and were written.
    assert {r[0] for r in trec_rows(output.read_text())} == {"q1", "q3"}
    code, _, err = run(capsys, *argv, "--output", str(output), "--skip-errors")
    assert code == 0 and "query q2 failed" in err


def test_run_refuses_json_and_output_to_stdout_together(capsys, seed_index_path, queries):
    with pytest.raises(SystemExit) as exit_info:
        argv = ["run", "--index", str(seed_index_path), "--queries", str(queries)]
        main([*argv, "--json", "--output", "-"])
    assert exit_info.value.code == 2
    assert "--json and --output -" in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_run_progress_shows_on_a_terminal_only(capsys, monkeypatch, seed_index_path, queries):
    argv = ["run", "--index", str(seed_index_path), "--queries", str(queries), "--output"]
    code, _, err = run(capsys, *argv, str(queries.parent / "a.trec"))
    assert code == 0 and "\r" not in err and "searched" not in err
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main([*argv, str(queries.parent / "b.trec")]) == 0
    shown = terminal.getvalue()
    assert "\r" in shown and "searched 4 queries" in shown
    assert main([*argv, str(queries.parent / "c.trec"), "--quiet"]) == 0
    assert "\r" not in terminal.getvalue()[len(shown) :]


# -- item 6: --json on every command, keys always present, one schema each ---------------------


def test_every_command_has_a_json_flag_and_a_shipped_schema():
    from tests.test_docs import cli_options

    commands = {c for c, o in cli_options() if not o and c != "searchlib"}
    with_json = {c for c, o in cli_options() if o == "--json"}
    assert commands == with_json == set(SCHEMAS)
    from searchlib import cli

    assert cli.SCHEMAS == SCHEMAS
    for name in set(SCHEMAS.values()):
        loaded = json.loads(resources.files("searchlib").joinpath("schemas", name).read_text())
        jsonschema.Draft202012Validator.check_schema(loaded)
        assert loaded["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_search_json_of_every_kind_matches_the_schema(capsys):
    cases = [
        ["search", "Korea", "--json"],
        ["search", "Korea", "--json", "--facets", "--explain", "--limit", "2"],
        ["search", "yang dan", "--json"],  # only stopwords: a notice, no hits
        ["search", "Nakatnai", "--json"],  # a misspelling: a suggestion
        ["search", "Korea", "--json", "--page", "99"],
        ["search", "Korea", "--json", "--sort=-date"],
    ]
    seen = []
    for argv in cases:
        code, out, _ = run(capsys, *argv)
        assert code == 0
        seen.append(check_json("search", out))
    assert seen[2]["notice"] and seen[2]["hits"] == []
    assert seen[0]["facets"] == {} and seen[0]["suggestion"] is None
    assert seen[0]["hits"][0]["explain"] is None and seen[1]["hits"][0]["explain"]["matches"]


def test_similar_and_analyze_json_match_their_schemas(capsys):
    code, out, _ = run(capsys, "similar", seed_id("001"), "--json", "--limit", "2")
    assert code == 0 and check_json("similar", out)["hits"]
    code, out, _ = run(capsys, "analyze", "Perusahaan-perusahaan AS mengunjungi", "--json")
    assert code == 0 and check_json("analyze", out)["tokens"]


def test_index_and_reindex_json_summaries_match_their_schemas(capsys, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text("Harga beras naik di Bekasi.", encoding="utf-8")
    (folder / "empty.txt").write_text("")
    ix_dir = tmp_path / "ix"
    code, out, err = run(capsys, "index", str(folder), "--index", str(ix_dir), "--json")
    data = check_json("index", out)
    assert code == 1 and "empty.txt" in err
    assert data["documents_indexed"] == 1 and data["documents_total"] == 1
    assert [Path(e["path"]).name for e in data["errors"]] == ["empty.txt"]
    code, out, _ = run(capsys, "index", str(folder), "--index", str(ix_dir), "--json")
    assert check_json("index", out)["files_unchanged"] == [str(folder / "good.txt")]
    code, out, _ = run(capsys, "reindex", "--index", str(ix_dir), "--json")
    assert code == 0 and check_json("reindex", out) == {"index": str(ix_dir), "documents": 1}


def test_run_json_summary_matches_its_schema(capsys, seed_index_path, tmp_path):
    queries = tmp_path / "q.tsv"
    queries.write_text('q1\tNakatani\nq2\t"kerja sama\n', encoding="utf-8")
    argv = ["run", "--index", str(seed_index_path), "--queries", str(queries), "--json"]
    code, out, _ = run(capsys, *argv, "--output", str(tmp_path / "r.trec"), "--bm25-b", "0.4")
    data = check_json("run", out)
    assert code == 1
    assert data["queries"] == 2 and data["queries_failed"] == 1 and data["lines"] == 1
    assert data["failures"][0]["qid"] == "q2" and data["bm25"] == {"k1": 1.2, "b": 0.4}


# -- item 6: numbers printed one way -----------------------------------------------------------


def test_counts_are_singular_for_one_and_grouped_by_thousands(capsys, seed_index_path, tmp_path):
    _, out, _ = run(capsys, "search", "Nakatani", "--color", "never")
    assert "1-1 of 1 hit for 'Nakatani'" in out
    queries = tmp_path / "q.tsv"
    queries.write_text("q1\tNakatani\n", encoding="utf-8")
    argv = ["run", "--index", str(seed_index_path), "--queries", str(queries), "--hits", "1"]
    _, _, err = run(capsys, *argv, "--output", str(tmp_path / "r.trec"))
    assert f"wrote 1 line for 1 query to {tmp_path / 'r.trec'}" in err
    ix = Index.create(tmp_path / "big")
    ix.add(Document(id=f"d{i}", body=f"Harga beras naik {i}.") for i in range(1200))
    ix.commit()
    ix.close()
    _, out, _ = run(capsys, "search", "beras", "--index", str(tmp_path / "big"), "--limit", "1")
    assert "1-1 of 1,200 hits" in out or "1-1 of at least 1,000 hits" in out


# -- item 7: runs as IR people expect ----------------------------------------------------------


def test_run_threads_write_the_same_run_as_one(capsys, seed_index_path, tmp_path):
    lines = "".join(f"q{i}\t{q}\n" for i, q in enumerate(["Nakatani", "Korea", "AS"] * 20))
    queries = tmp_path / "q.tsv"
    queries.write_text(lines, encoding="utf-8")
    outputs = []
    for threads in ("1", "2"):
        output = tmp_path / f"run{threads}.trec"
        argv = ["run", "--index", str(seed_index_path), "--queries", str(queries)]
        code, _, _ = run(capsys, *argv, "--output", str(output), "--threads", threads)
        assert code == 0
        outputs.append(output.read_text())
    assert outputs[0] == outputs[1] and len(outputs[0].splitlines()) > 60


def test_run_bm25_parameters_change_the_scores_and_are_validated(
    capsys, seed_index_path, queries, tmp_path
):
    argv = ["run", "--index", str(seed_index_path), "--queries", str(queries), "--output"]
    texts = []
    for extra in ([], ["--bm25-k1", "0.9", "--bm25-b", "0.4"]):
        output = tmp_path / "run.trec"
        assert run(capsys, *argv, str(output), *extra)[0] == 0
        texts.append(output.read_text())
    assert texts[0] != texts[1]
    for flag, value, message in (
        ("--bm25-b", "1.5", "--bm25-b must be between 0 and 1"),
        ("--bm25-b", "nan", "--bm25-b must be between 0 and 1"),
        ("--bm25-k1", "-1", "--bm25-k1 must be a finite number"),
        ("--bm25-k1", "inf", "--bm25-k1 must be a finite number"),
        ("--threads", "0", "--threads must be at least 1"),
        ("--hits", "0", "--hits must be at least 1"),
        ("--run-tag", "my run", "--run-tag must be one word"),
    ):
        code, _, err = run(capsys, *argv, str(tmp_path / "x.trec"), flag, value)
        assert code == 1 and message in err, err


def test_run_tag_is_the_last_column(capsys, seed_index_path, queries, tmp_path):
    output = tmp_path / "run.trec"
    argv = ["run", "--index", str(seed_index_path), "--queries", str(queries)]
    assert run(capsys, *argv, "--output", str(output), "--run-tag", "bm25-id")[0] == 0
    assert {r[5] for r in trec_rows(output.read_text())} == {"bm25-id"}


def test_ids_with_whitespace_are_written_percent_encoded(capsys, tmp_path):
    ix_dir = tmp_path / "ix"
    with Index.create(ix_dir) as ix:
        ix.add(Document(id="berita 1", body="Harga beras naik."))
        ix.add(Document(id="berita%2", body="Harga beras turun."))
        ix.commit()
    queries = tmp_path / "q.tsv"
    queries.write_text("topik 1\tberas\n", encoding="utf-8")
    output = tmp_path / "run.trec"
    argv = ["run", "--index", str(ix_dir), "--queries", str(queries), "--output", str(output)]
    code, _, err = run(capsys, *argv)
    assert code == 0
    rows = trec_rows(output.read_text())
    assert all(len(r) == 6 for r in rows)
    assert {r[0] for r in rows} == {"topik%201"}
    assert {r[2] for r in rows} == {"berita%201", "berita%2"}  # needs no encoding: as it is
    assert "2 ids held whitespace" in err


def test_pyserini_flag_names_are_aliases(capsys, seed_index_path, queries, tmp_path):
    ours, theirs = tmp_path / "ours.trec", tmp_path / "theirs.trec"
    argv = ["run", "--index", str(seed_index_path)]
    ours_argv = ["--queries", str(queries), "--bm25-k1", "0.9", "--bm25-b", "0.4", "--run-tag", "x"]
    theirs_argv = ["--topics", str(queries), "--k1", "0.9", "--b", "0.4", "--runtag", "x"]
    assert run(capsys, *argv, *ours_argv, "--output", str(ours))[0] == 0
    assert run(capsys, *argv, *theirs_argv, "--output", str(theirs))[0] == 0
    assert ours.read_text() == theirs.read_text()


def test_export_json_summary_matches_its_schema(capsys, seed_index_path, tmp_path):
    code, out, err = run(
        capsys,
        "export",
        "opensearch",
        "--index",
        str(seed_index_path),
        "--out",
        str(tmp_path / "out"),
        "--json",
    )
    assert code == 0, err
    data = check_json("export", out)
    assert data["documents"] == len(list(SEEDS.glob("*.txt"))) and data["flavour"] == "opensearch"
    code, out, err = run(
        capsys,
        "export",
        "elasticsearch",
        "--index",
        str(seed_index_path),
        "--out",
        str(tmp_path / "out2"),
    )
    assert code == 0 and out == "" and "exported" in err
