"""Behaviour of searchlib.documents: raw articles, JSONL/TSV corpora, and bad input."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from searchlib.documents import (
    DEFAULT_MAX_BYTES,
    Document,
    LoadReport,
    clean_text,
    iter_documents,
    load_file,
    parse_article,
    parse_date,
)
from searchlib.errors import DocumentError

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
SHARED_DATA = REPO.parent / "shared" / "data"


def seed(prefix: str) -> Document:
    return load_file(next(SEEDS.glob(f"{prefix}_*.txt")))


# ---------------------------------------------------------------------------------------
# The seed articles
# ---------------------------------------------------------------------------------------

SEED_METADATA = [
    # prefix, title, date, source, fields
    ("000", None, "2019-09-20", None, {"byline": "Park Han-na dan laporan berita"}),
    ("001", "Menlu AS dan Korsel Bahas Cara-Cara untuk Berdialog dengan Korut", None, None, {}),
    ("002", None, "2020-01-14", None, {}),
    (
        "003",
        None,
        None,
        "https://baothanhhoa.vn/bo-truong-quoc-phong-nhat-ban-tham-han-quoc-lan-dau-tien-trong-1-thap-ky-qua-260949.htm",
        {"credit": "VNA"},
    ),
    (
        "004",
        "Ishiba Jepang menjadi tuan rumah Lee Korea Selatan sebelum KTT Key Trump",
        None,
        None,
        {},
    ),
]


@pytest.mark.parametrize(("prefix", "title", "date", "source", "fields"), SEED_METADATA)
def test_seed_metadata_is_extracted_where_the_article_states_it(
    prefix: str, title: str | None, date: str | None, source: str | None, fields: dict
) -> None:
    doc = seed(prefix)
    assert doc.id == next(SEEDS.glob(f"{prefix}_*.txt")).stem
    assert (doc.title, doc.date, doc.source, doc.fields) == (title, date, source, fields)


def test_only_seed_000_is_dated_2019() -> None:
    dated_2019 = [d.id[:3] for d in iter_documents(SEEDS) if (d.date or "").startswith("2019")]
    assert dated_2019 == ["000"]


def test_caption_dates_are_not_publication_dates() -> None:
    doc = seed("001")  # captions say "17 Maret 2021" and "3 Mei 2021"; the lead "Jumat (6/8)"
    assert doc.date is None
    assert "17 Maret 2021" in doc.body  # the caption itself stays searchable


BOILERPLATE = {
    "000": ["Oleh Park Han-na", ". ."],
    "001": ["Tautan-tautan Akses", "Recommended", "\nXS", "\nLG", "[uh/ab]", "Menlu AS dan Korsel"],
    "002": ["date 2020-01", "Photo : YONHAP", "YONHAP News"],
    "003": ["Menurut VNA", "Sumber: https", "baothanhhoa", "Komentar (0)"],
    "004": [
        "Berita\n",
        "Source link",
        "Related Articles",
        "Tinggalkan Balasan",
        "Alamat email Anda",
        "Back to top",
        "Ishiba Jepang menjadi tuan rumah",  # the title is not repeated in the body
    ],
}


@pytest.mark.parametrize(("prefix", "unwanted"), sorted(BOILERPLATE.items()))
def test_seed_body_has_no_site_boilerplate(prefix: str, unwanted: list[str]) -> None:
    body = seed(prefix).body
    for text in unwanted:
        assert text not in body, text
    assert body == body.strip() and "\n\n\n" not in body


FIRST_BODY_WORDS = {
    "000": "Kedua negara belum melakukan diplomasi",
    "001": "Menteri Luar Negeri AS Antony Blinken, kiri,",
    "002": "Para diplomat tertinggi Korea Selatan",
    "003": "Menteri Pertahanan Jepang Jenderal Nakatani",
    "004": "Kunjungan Lee datang dua hari",
}


@pytest.mark.parametrize(("prefix", "start"), sorted(FIRST_BODY_WORDS.items()))
def test_seed_body_starts_with_the_article_text(prefix: str, start: str) -> None:
    assert seed(prefix).body.startswith(start)


REPAIRS = [
    # prefix, present after repair, absent after repair
    ("004", "barang-barang", "barang -barang"),
    ("004", "Bersama-sama", "Bersama -sama"),
    ("004", "sela-sela", "sela -sela"),
    ("004", "antar-jemput", "antar -jemput"),
    ("004", "liberal liberal – setelah", "liberal liberal–setelah"),  # an aside stays
    ("002", "perundingan. Menteri", "perundingan.Menteri"),
    ("002", "San Francisco. Setelah", "Francisco.Setelah"),
    ("002", "(14/01/20)", "(14/01/20 )"),
    ("000", "bilateral selama kunjungan", "bilateral. ."),
    ("000", "2 1/2 bulan", "2 1/ 2"),
    ("004", "80.000 tentara", "80. 000"),
    ("004", "Washington, DC", "D. C"),
]


@pytest.mark.parametrize(("prefix", "present", "absent"), REPAIRS)
def test_seed_scrape_damage_is_repaired(prefix: str, present: str, absent: str) -> None:
    body = seed(prefix).body
    assert present in body
    assert absent not in body


def test_repeated_caption_is_kept_once() -> None:
    body = seed("001").body
    assert body.count("3 Mei 2021. (Foto: Ben Stansall via REUTERS)") == 1


def test_seed_paragraphs_are_kept() -> None:
    assert len(seed("000").body.split("\n\n")) == 14  # 16 lines less dateline and byline
    assert len(seed("002").body.split("\n\n")) == 1  # one run-on paragraph in the source


# ---------------------------------------------------------------------------------------
# Parsing rules on synthetic articles (the kind, not just the five seeds)
# ---------------------------------------------------------------------------------------

CLEAN_TEXT = [
    ("barang -barang", "barang-barang"),
    ("kata- kata", "kata-kata"),  # reduplication with the space on the other side
    ("Jepang- Korea", "Jepang- Korea"),  # not reduplication: left alone
    ("liberal – setelah", "liberal – setelah"),  # a spaced dash is an aside
    ("suhu -5 derajat", "suhu -5 derajat"),  # a negative number
    ("perundingan.Menteri", "perundingan. Menteri"),
    ("dengan AS.Kementerian", "dengan AS. Kementerian"),
    ("Suara.com - berita", "Suara.com - berita"),
    ("naik 57.8 persen", "naik 57.8 persen"),
    ("Washington D.C. hari ini", "Washington D.C. hari ini"),
    ("gelar Ph.D. dari", "gelar Ph.D. dari"),
    (
        "lihat https://contoh.id/Berita.Html sekarang",
        "lihat https://contoh.id/Berita.Html sekarang",
    ),
    ("surel redaksi@Contoh.Com ya", "surel redaksi@Contoh.Com ya"),
    ("situs Kompas.Com memuat", "situs Kompas.Com memuat"),
    ("bilateral. . selama", "bilateral selama"),
    ("akhir. . Kemudian", "akhir. Kemudian"),
    ("a  b\t c\u00a0d", "a b c d"),
    ("satu\n\n\n\n dua ", "satu\n\ndua"),
    ("baris yang\nterputus di tengah.", "baris yang terputus di tengah."),
]


@pytest.mark.parametrize(("raw", "cleaned"), CLEAN_TEXT)
def test_clean_text_repairs_scrape_damage_only(raw: str, cleaned: str) -> None:
    assert clean_text(raw) == cleaned


PARSE_DATE = [
    ("20 September 2019", "2019-09-20"),
    ("20 Sep 2019", "2019-09-20"),
    ("5 Agt 2021", "2021-08-05"),
    ("Jumat, 6 Agustus 2021 10:30 WIB", "2021-08-06"),
    ("September 2019", "2019-09"),
    ("2020-01", "2020-01"),
    ("2021", "2021"),
    ("2019-09-20T08:00:00Z", "2019-09-20"),
    ("14/01/20", "2020-01-14"),
    ("14/01/2020", "2020-01-14"),
    ("31 Februari 2020", None),
    ("kemarin", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "iso"), PARSE_DATE)
def test_parse_date_reads_indonesian_and_iso_dates(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


BODY = "Isi berita yang panjang dan lengkap ditulis di sini."

ARTICLE_DATES = [
    # article text, expected date
    (f"20 Agt 2019\n{BODY}", "2019-08-20"),
    (f"Tanggal: 3 Mei 2021\n{BODY}", "2021-05-03"),
    (f"Diterbitkan pada 20 Sep 2019 pukul 10.00 WIB\n{BODY}", "2019-09-20"),
    (f"Judul Berita Yang Panjang\nSelasa, 14/01/2020 08:00 WIB\n{BODY}", "2020-01-14"),
    ("date 2020-01\n\nPara menteri bertemu pada Selasa (14/01/20) di Seoul.", "2020-01-14"),
    ("date 2020-02\n\nPara menteri bertemu pada Selasa (14/01/20) di Seoul.", "2020-02"),
    ("2021\n\nPara menteri bertemu pada Jumat (6/8) di Seoul.", "2021-08-06"),
    ("Para menteri bertemu pada Jumat (6/8) di Seoul tahun 2021.", None),
    ("Para menteri bertemu pada Selasa (14/1/2020) di Seoul.", "2020-01-14"),
    ("JAKARTA, 20 September 2019 - Para menteri bertemu.", "2019-09-20"),
    ("Foto menteri di Seoul 17 Maret 2021. (Foto: Reuters)\n\nPara menteri bertemu.", None),
    (f"{BODY} Rapat digelar pada 11 September 2019.", None),  # an event, not publication
]


@pytest.mark.parametrize(("text", "date"), ARTICLE_DATES)
def test_article_date_is_the_stated_publication_date(text: str, date: str | None) -> None:
    assert parse_article(text, "x").date == date


ARTICLE_TITLES = [
    (f"Berita\n\nMenteri Bertemu di Seoul Hari Ini\n\n{BODY}", "Menteri Bertemu di Seoul Hari Ini"),
    (f"Beranda » Berita » Dunia\nMenteri bertemu di Seoul\n{BODY}", "Menteri bertemu di Seoul"),
    (f"Menteri Bertemu di Seoul\n20 September 2019\n{BODY}", "Menteri Bertemu di Seoul"),
    (f"{BODY}\n{BODY}", None),  # a first sentence is not a title
    (f"Foto para menteri di Seoul (Foto: AFP)\n{BODY}", None),  # a caption
    ("Menteri Bertemu di Seoul Hari Ini", None),  # nothing follows: it is the body
    (f"Halo\n{BODY}", None),  # too short to be a headline
]


@pytest.mark.parametrize(("text", "title"), ARTICLE_TITLES)
def test_article_title_only_where_a_headline_is_stated(text: str, title: str | None) -> None:
    doc = parse_article(text, "x")
    assert doc.title == title
    if title:
        assert title not in doc.body


CREDITS = [
    # lines around the body, expected fields
    ("Penulis: Budi Santoso", "Editor: Ani", {"byline": "Budi Santoso", "editor": "Ani"}),
    ("Oleh Park Han-na", "Sumber: Antara", {"byline": "Park Han-na", "credit": "Antara"}),
    ("Sumber Daya Manusia Indonesia", "Menurut VNA", {"credit": "VNA"}),  # 1st is a title
]


@pytest.mark.parametrize(("before", "after", "fields"), CREDITS)
def test_credit_lines_go_to_fields_not_body(before: str, after: str, fields: dict) -> None:
    doc = parse_article(f"{before}\n{BODY}\n{after}", "x")
    assert (doc.fields, doc.body) == (fields, BODY)


def test_footer_marker_followed_by_prose_does_not_cut_the_article() -> None:
    later = "Paragraf berikutnya tetap bagian dari berita ini dan tidak boleh dibuang begitu saja."
    doc = parse_article(f"{BODY}\nRelated Articles\n{later}", "x")
    assert later in doc.body and "Related Articles" not in doc.body


def test_sentence_starting_with_oleh_is_not_a_byline() -> None:
    text = f"{BODY}\nOleh karena itu pemerintah menunda rapat"
    assert parse_article(text, "x").body.endswith("Oleh karena itu pemerintah menunda rapat")


def test_share_widgets_and_read_also_links_are_dropped() -> None:
    text = f"{BODY}\nBaca juga: Menteri Lain Bertemu\nBagikan\nFacebook\nWhatsApp\n{BODY}"
    assert parse_article(text, "x").body == BODY  # the repeat of BODY is also dropped


# ---------------------------------------------------------------------------------------
# Corpora and folders
# ---------------------------------------------------------------------------------------


def write_jsonl(path: Path, records: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", "utf-8")
    return path


def test_jsonl_records_become_documents(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "c.jsonl",
        [
            {"id": "a", "text": "Harga  naik.Inflasi turun.", "category": "ekonomi"},
            {
                "id": 7,
                "text": "Isi dua.",
                "title": "Judul",
                "date": "20 September 2019",
                "source": "https://contoh.id/a",
                "author": "Ani",
                "rank": 3,
                "tags": ["x"],
            },
        ],
    )
    docs = list(iter_documents([path]))
    assert docs == [
        Document(id="a", body="Harga naik. Inflasi turun.", fields={"category": "ekonomi"}),
        Document(
            id="7",
            body="Isi dua.",
            title="Judul",
            date="2019-09-20",
            source="https://contoh.id/a",
            fields={"author": "Ani", "rank": "3"},
        ),
    ]


def test_tsv_lines_become_documents(tmp_path: Path) -> None:
    path = tmp_path / "c.tsv"
    path.write_text("id\ttext\np1\tSatu , dua .\r\np2\tteks\tdengan tab\n\n", "utf-8")
    docs = list(iter_documents(path))
    assert [(d.id, d.body) for d in docs] == [("p1", "Satu , dua ."), ("p2", "teks dengan tab")]


def test_folders_are_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text(BODY, "utf-8")
    (tmp_path / "a.txt").write_text(BODY, "utf-8")
    (tmp_path / "c.tsv").write_text("t1\tteks\n", "utf-8")
    (tmp_path / "README.md").write_text("# not an article", "utf-8")
    (tmp_path / "foto.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / ".hidden.txt").write_text(BODY, "utf-8")
    assert [d.id for d in iter_documents(tmp_path)] == ["a", "z", "t1"]


def test_explicit_text_format_reads_every_file_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(BODY, "utf-8")
    (tmp_path / "b").write_text(BODY, "utf-8")
    assert [d.id for d in iter_documents([tmp_path], format="text")] == ["a", "b"]


def test_seed_folder_loads_every_seed() -> None:
    report = LoadReport()
    docs = list(iter_documents([SEEDS], format="text", on_error=report))
    assert report.ok, report.summary()
    assert [d.id[:3] for d in docs] == ["000", "001", "002", "003", "004"]


def test_jsonl_is_streamed_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "text": "satu"}\nnot json\n', "utf-8")
    documents = iter_documents(path)
    assert next(documents).id == "a"  # yielded before the bad second line is read
    with pytest.raises(DocumentError):
        next(documents)


def test_bom_and_crlf_are_handled(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + BODY.encode() + b"\r\n")
    assert load_file(path).body == BODY


def test_unknown_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        list(iter_documents([SEEDS], format="xml"))


def test_shared_corpora_load_without_errors() -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared evaluation data not found at {SHARED_DATA}")
    report = LoadReport()
    facqa = list(iter_documents(SHARED_DATA / "facqa" / "corpus.tsv", on_error=report))
    indosum = list(iter_documents(SHARED_DATA / "indosum" / "docs.jsonl", on_error=report))
    assert report.ok, report.summary()
    assert (len(facqa), len(indosum)) == (1369, 3463)
    assert indosum[0].fields.get("category") and indosum[0].source


# ---------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------


def make_latin1(path: Path) -> Path:
    path.write_bytes("Berita tentang café dan señor.".encode("latin-1"))
    return path


def make_png(path: Path) -> Path:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    return path


def make_nul(path: Path) -> Path:
    path.write_bytes(b"teks\x00\x01\x02biner")
    return path


def make_empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def make_whitespace(path: Path) -> Path:
    path.write_text(" \n\t\n  \n", "utf-8")
    return path


def make_broken_link(path: Path) -> Path:
    path.symlink_to(path.parent / "gone.txt")
    return path


def make_missing(path: Path) -> Path:
    return path


def make_directory(path: Path) -> Path:
    path.mkdir()
    return path


def make_boilerplate_only(path: Path) -> Path:
    path.write_text("Tautan-tautan Akses\n\nRecommended\n\nXS\nSM\n", "utf-8")
    return path


def make_utf16(path: Path) -> Path:
    path.write_text(BODY, "utf-16")
    return path


BAD_FILES = [
    (make_latin1, "not valid UTF-8"),
    (make_png, "PNG image"),
    (make_nul, "NUL bytes"),
    (make_empty, "file is empty"),
    (make_whitespace, "only whitespace"),
    (make_broken_link, "broken symbolic link"),
    (make_missing, "no such file"),
    (make_directory, "is a directory"),
    (make_boilerplate_only, "boilerplate"),
    (make_utf16, "UTF-16"),
]


@pytest.mark.parametrize(("make", "reason"), BAD_FILES, ids=lambda v: getattr(v, "__name__", v))
def test_bad_file_gives_document_error_with_path_and_reason(
    tmp_path: Path, make, reason: str
) -> None:
    path = make(tmp_path / "bad.txt")
    with pytest.raises(DocumentError) as caught:
        load_file(path)
    assert caught.value.path == str(path)
    assert reason in caught.value.reason


BAD_FILES_IN_A_LIST = [
    (make, "folder holds no files" if make is make_directory else reason)
    for make, reason in BAD_FILES
]


@pytest.mark.parametrize(
    ("make", "reason"), BAD_FILES_IN_A_LIST, ids=lambda v: getattr(v, "__name__", v)
)
def test_bad_file_is_reported_and_loading_continues(tmp_path: Path, make, reason: str) -> None:
    good = tmp_path / "good.txt"
    good.write_text(BODY, "utf-8")
    bad = make(tmp_path / "bad.txt")
    report = LoadReport()
    docs = list(iter_documents([bad, good], format="text", on_error=report))
    assert [d.id for d in docs] == ["good"]
    assert [(e.path, reason in e.reason) for e in report.errors] == [(str(bad), True)]


def test_latin1_error_says_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"line 1, column 19.*Latin-1.*re-save"):
        load_file(make_latin1(tmp_path / "x.txt"))


def test_oversized_file_is_rejected_quickly_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:  # 50 MB, sparse: cheap to make
        handle.truncate(50 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(DocumentError, match="over the limit of 10,485,760 bytes") as caught:
        load_file(path)
    assert time.perf_counter() - started < 0.5
    assert caught.value.path == str(path)
    assert DEFAULT_MAX_BYTES == 10 * 1024 * 1024


def test_max_bytes_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(BODY, "utf-8")
    with pytest.raises(DocumentError, match="raise max_bytes"):
        load_file(path, max_bytes=10)
    assert [d.body for d in iter_documents([path], max_bytes=10_000)] == [BODY]


def test_unreadable_file_gives_permission_error(tmp_path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root from reading the file")
    path = tmp_path / "secret.txt"
    path.write_text(BODY, "utf-8")
    path.chmod(0)
    try:
        with pytest.raises(DocumentError, match="permission denied") as caught:
            load_file(path)
        assert caught.value.path == str(path)
    finally:
        path.chmod(0o644)


def test_permission_error_while_opening_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Runs even as root, by making open() fail the way it does for an unreadable file.
    path = tmp_path / "secret.txt"
    path.write_text(BODY, "utf-8")

    def deny(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", deny)
    with pytest.raises(DocumentError, match=r"permission denied.*check its permissions"):
        load_file(path)


BAD_JSONL_LINES = [
    ("{not json", "not valid JSON"),
    ('["a", "b"]', "expected an object"),
    ('{"text": "isi"}', 'no "id" field'),
    ('{"id": "x"}', 'no "text" field'),
    ('{"id": "x", "text": "   "}', '"text" is empty'),
    ('{"id": {"a": 1}, "text": "isi"}', '"id" must be a string'),
    ('{"id": "x", "text": 5}', '"text" must be a string'),
    ('{"id": "x", "text": "isi", "date": "kemarin"}', "is not a date"),
]


@pytest.mark.parametrize(("line", "reason"), BAD_JSONL_LINES)
def test_bad_jsonl_record_is_reported_with_its_line(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(f'{{"id": "a", "text": "satu"}}\n{line}\n{{"id": "b", "text": "dua"}}\n')
    report = LoadReport()
    assert [d.id for d in iter_documents(path, on_error=report)] == ["a", "b"]
    assert [e.path for e in report.errors] == [f"{path}:2"]
    assert reason in report.errors[0].reason


BAD_TSV_LINES = [
    ("tanpa tab sama sekali", "no tab"),
    ("\tteks tanpa id", "id (before the tab) is empty"),
    ("p9\t   ", "text (after the tab) is empty"),
]


@pytest.mark.parametrize(("line", "reason"), BAD_TSV_LINES)
def test_bad_tsv_line_is_reported_with_its_line(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "c.tsv"
    path.write_text(f"p1\tsatu\n{line}\np2\tdua\n", "utf-8")
    report = LoadReport()
    assert [d.id for d in iter_documents(path, on_error=report)] == ["p1", "p2"]
    assert [e.path for e in report.errors] == [f"{path}:2"]
    assert reason in report.errors[0].reason


def test_bad_bytes_in_a_corpus_line_are_reported_per_line(tmp_path: Path) -> None:
    path = tmp_path / "c.tsv"
    path.write_bytes(b"p1\tsatu\np2\tcaf\xe9\np3\ttiga\n")
    report = LoadReport()
    assert [d.id for d in iter_documents(path, on_error=report)] == ["p1", "p3"]
    assert report.errors[0].path == f"{path}:2"
    assert "not valid UTF-8" in report.errors[0].reason


def test_oversized_corpus_record_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "c.tsv"
    path.write_text(f"p1\t{'x' * 500}\np2\tdua\n", "utf-8")
    report = LoadReport()
    assert [d.id for d in iter_documents(path, max_bytes=100, on_error=report)] == ["p2"]
    assert report.errors[0].path == f"{path}:1"
    assert "over the limit of 100 bytes" in report.errors[0].reason


def test_binary_corpus_file_is_rejected_as_a_whole(tmp_path: Path) -> None:
    path = make_png(tmp_path / "c.jsonl")
    with pytest.raises(DocumentError, match="PNG image") as caught:
        list(iter_documents(path))
    assert caught.value.path == str(path)


def test_duplicate_id_in_a_corpus_file_is_reported_and_first_kept(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "c.jsonl",
        [{"id": "a", "text": "pertama"}, {"id": "b", "text": "b"}, {"id": "a", "text": "kedua"}],
    )
    report = LoadReport()
    docs = list(iter_documents(path, on_error=report))
    assert [(d.id, d.body) for d in docs] == [("a", "pertama"), ("b", "b")]
    assert [e.path for e in report.errors] == [f"{path}:3"]
    assert f"duplicate id 'a' (first used by {path}:1)" in report.errors[0].reason


def test_duplicate_id_across_files_is_reported(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a.txt").write_text(BODY, "utf-8")
    (tmp_path / "a.txt").write_text(BODY, "utf-8")
    report = LoadReport()
    assert [d.id for d in iter_documents(tmp_path, on_error=report)] == ["a"]
    assert "duplicate id 'a'" in report.errors[0].reason


def test_without_on_error_the_first_error_is_raised(tmp_path: Path) -> None:
    bad = make_empty(tmp_path / "a.txt")
    with pytest.raises(DocumentError, match="file is empty"):
        list(iter_documents([bad]))


def test_load_report_summarises_errors(tmp_path: Path) -> None:
    report = LoadReport()
    assert report.summary() == "no errors"
    list(iter_documents([tmp_path / "nope.txt"], on_error=report))
    assert report.summary() == f"{tmp_path / 'nope.txt'}: no such file or directory"
    assert not report.ok
