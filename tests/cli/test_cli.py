"""Every CLI command, in-process through ``main(argv)``, plus its error paths."""

from __future__ import annotations

import json
import sys

import pytest

from searchlib import Index
from searchlib.cli import main
from tests.conftest import SEEDS, seed_id


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_json_on_bundled_seeds_puts_nakatani_article_first(capsys):
    code, out, _ = run(capsys, "search", "Nakatani", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"query", "total", "took_ms", "hits"}
    assert data["hits"][0]["id"] == seed_id("003")
    assert set(data["hits"][0]) >= {"rank", "id", "score", "title", "date", "source", "snippet"}


def test_search_text_output_marks_the_reduplicated_word(capsys):
    code, out, _ = run(capsys, "search", "perusahaan", "--color", "never")
    assert code == 0
    assert seed_id("000") in out
    assert "**perusahaan-perusahaan**" in out


def test_search_explain_and_facets(capsys):
    code, out, _ = run(capsys, "search", "Nakatani", "--json", "--explain", "--facets")
    data = json.loads(out)
    assert code == 0 and data["hits"][0]["explain"]["matches"]
    assert "year" in data["facets"]


def test_index_then_search_a_folder(tmp_path, capsys):
    ix_dir = tmp_path / "ix"
    code, _, err = run(capsys, "index", str(SEEDS), "--index", str(ix_dir), "--quiet")
    assert code == 0
    assert "indexed 5 documents" in err  # a summary: stderr
    code, out, _ = run(capsys, "search", "Blinken", "--index", str(ix_dir), "--json")
    assert json.loads(out)["hits"][0]["id"] == seed_id("001")


def test_index_reports_bad_files_and_keeps_the_good_ones(tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text("Harga beras naik di Bekasi.", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Caf\xe9 di Bekasi".encode("latin-1"))
    (folder / "empty.txt").write_text("")
    ix_dir = tmp_path / "ix"
    code, _, err = run(capsys, "index", str(folder), "--index", str(ix_dir), "--quiet")
    assert code == 1
    assert "latin1.txt" in err and "empty.txt" in err
    with Index.open(ix_dir) as ix:
        assert list(ix.ids()) == ["good"]
    code, _, _ = run(
        capsys, "index", str(folder), "--index", str(ix_dir), "--quiet", "--skip-errors"
    )
    assert code == 0


def test_index_jsonl_and_tsv_corpora(tmp_path, capsys):
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text(
        json.dumps({"id": "j1", "text": "Artis dangdut tampil.", "category": "showbiz"}) + "\n",
        encoding="utf-8",
    )
    tsv = tmp_path / "c.tsv"
    tsv.write_text("t1\tHarga cabai naik.\n", encoding="utf-8")
    ix_dir = tmp_path / "ix"
    assert run(capsys, "index", str(jsonl), str(tsv), "--index", str(ix_dir), "--quiet")[0] == 0
    _, out, _ = run(capsys, "search", "category:showbiz", "--index", str(ix_dir), "--json")
    assert [h["id"] for h in json.loads(out)["hits"]] == ["j1"]


def test_analyze_json_gives_surface_normalized_stem_and_offsets(capsys):
    text = "Perusahaan-perusahaan AS mengunjungi"
    code, out, _ = run(capsys, "analyze", text, "--json")
    tokens = json.loads(out)["tokens"]
    assert code == 0
    first = tokens[0]
    assert first["text"] == "Perusahaan-perusahaan"
    assert text[first["start"] : first["end"]] == first["text"]
    assert {"text", "normalized", "stem", "start", "end"} <= set(first)
    assert any(t["stem"] == "kunjung" for t in tokens)


def test_analyze_text_output_shows_stages(capsys):
    code, out, _ = run(capsys, "analyze", "Soekarno")
    assert code == 0 and "sukarno" in out


def test_run_writes_a_trec_run_file(tmp_path, capsys, seed_index_path):
    queries = tmp_path / "q.tsv"
    queries.write_text("q1\tNakatani\nq2\tBlinken denuklirisasi\nq3\tyang\n", encoding="utf-8")
    output = tmp_path / "run.trec"
    code, _, _ = run(
        capsys,
        "run",
        "--index",
        str(seed_index_path),
        "--queries",
        str(queries),
        "--output",
        str(output),
        "--hits",
        "3",
    )
    assert code == 0
    rows = [line.split() for line in output.read_text().splitlines()]
    assert rows[0][:4] == ["q1", "Q0", seed_id("003"), "1"]
    assert all(len(r) == 6 and r[1] == "Q0" for r in rows)
    assert {r[0] for r in rows} == {"q1", "q2"}  # q3 is only a stopword: no rows, no crash
    assert max(int(r[3]) for r in rows) <= 3


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["search", "", "--json"], "empty query"),
        (["search", '"kerja sama'], "unbalanced quotes"),
        (["search", "Korea", "--index", "/nonexistent/ix"], "does not exist"),
        (
            ["run", "--index", "/nonexistent/ix", "--queries", "q", "--output", "o"],
            "does not exist",
        ),
    ],
)
def test_errors_are_one_line_on_stderr_with_nonzero_exit(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code != 0
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_console_script_entry_point_runs(tmp_path):
    import subprocess

    proc = subprocess.run(
        [sys.executable, "-m", "searchlib.cli", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0 and proc.stdout.startswith("searchlib ")


def test_cli_page_past_the_last_says_how_many_pages_there_are(capsys):
    assert main(["search", "Korea", "--page", "99", "--limit", "2"]) == 0
    assert "no hits on page 99; 5 hits in 3 pages" in capsys.readouterr().out
