"""Dates are read and normalised, or refused saying what is wrong (issue 15, item 2)."""

from __future__ import annotations

import pytest

from searchlib import Document, parse_article
from searchlib.errors import DocumentError, QueryError


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2021", "2021"),
        ("2021-08", "2021-08"),
        ("2021-08-06", "2021-08-06"),
        ("2021-08-06T10:30:00+07:00", "2021-08-06"),
        ("2021-08-06 10:30", "2021-08-06"),
        ("6 Agustus 2021", "2021-08-06"),
        ("Jumat, 6 Agustus 2021", "2021-08-06"),
        ("Jumat, 6 Agt 2021 10:30 WIB", "2021-08-06"),
        ("Agustus 2021", "2021-08"),
        ("06/08/2021", "2021-08-06"),
        (" 2021-08-06 ", "2021-08-06"),
    ],
)
def test_document_dates_are_read_and_kept_as_iso(written, iso):
    assert Document(id="a", body="Isi.", date=written).date == iso


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("2021-13-45", "month 13 does not exist"),
        ("2019-02-30", "February 2019 has 28 days, not 30"),
        ("2019-00", "month 00 does not exist"),
        ("31 April 2021", "April 2021 has 30 days, not 31"),
        ("kemarin", "not a date"),
        ("6 Ag", "not a date"),
        ("0999-01-01", "year 999 is out of range"),
    ],
)
def test_a_date_that_does_not_exist_is_a_document_error_saying_why(written, reason):
    with pytest.raises(DocumentError, match=reason):
        Document(id="a", body="Isi.", date=written)


def test_normalised_dates_sort_and_facet_correctly(small_ix):
    small_ix.add(
        [
            Document(id="written", body="Banjir di Jakarta.", date="6 Agustus 2021"),
            Document(id="iso", body="Banjir di Bekasi.", date="2020-01-15"),
        ]
    )
    small_ix.commit()
    results = small_ix.search("banjir", sort="date", facets=["year"])
    assert [h.id for h in results.hits] == ["iso", "written"]
    assert results.facets["year"] == {"2020": 1, "2021": 1}
    assert small_ix.get("written").date == "2021-08-06"


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"date_from": "2019-13"}, "month 13 does not exist"),
        ({"date_from": "2019-02-30"}, "February 2019 has 28 days"),
        ({"date_to": "2019-00"}, "month 00 does not exist"),
        ({"date_from": "kemarin"}, "not an ISO date"),
        ({"date_from": "2020", "date_to": "2019"}, "before date_from"),
    ],
)
def test_search_dates_are_validated_saying_what_is_wrong(seed_ix, options, reason):
    with pytest.raises(QueryError, match=reason):
        seed_ix.search("Korea", **options)


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("Korea date:2019-13", "month 13 does not exist"),
        ("Korea tanggal:2019-02-30", "February 2019 has 28 days"),
        ("Korea date:[2019-01 TO 2019-00]", "month 00 does not exist"),
        ("Korea date:kemarin", "not an ISO date"),
    ],
)
def test_query_language_dates_are_validated(seed_ix, query, reason):
    with pytest.raises(QueryError, match=reason):
        seed_ix.search(query)


def test_valid_query_dates_still_filter(seed_ix):
    assert seed_ix.search("Korea date:2019").total == 1
    assert seed_ix.search("Korea", date_from="2019-09", date_to="2019").total == 1
    assert seed_ix.search("Korea date:[2020 TO 2021-08]").total >= 1


@pytest.mark.parametrize(
    ("dateline", "iso"),
    [
        ("Blitar, 21 Juni 2021", "2021-06-21"),
        ("Jakarta, 21/06/2021", "2021-06-21"),
        ("Jakarta, Senin (21/6/2021)", "2021-06-21"),
        ("Senin (21/6/2021)", "2021-06-21"),
        ("KOTA BATU, Jumat, 6 Agustus 2021 10:30 WIB", "2021-08-06"),
        ("JAKARTA, KOMPAS.com -", None),
        ("Jakarta (ANTARA) -", None),
    ],
)
def test_datelines_on_their_own_line_give_the_date_and_leave_the_body(dateline, iso):
    text = (
        "Banjir Rendam Ribuan Rumah Warga di Kota Itu\n"
        f"{dateline}\n"
        "Banjir merendam ribuan rumah warga sejak Minggu malam. Warga mengungsi.\n\n"
        "Petugas membuka posko di balai desa."
    )
    doc = parse_article(text, "x")
    assert doc.date == iso
    assert doc.title == "Banjir Rendam Ribuan Rumah Warga di Kota Itu"
    assert doc.body.startswith("Banjir merendam ribuan rumah")


def test_a_dateline_without_a_year_is_completed_from_the_header():
    doc = parse_article("2021\nJumat (6/8)\nPara menteri bertemu di Seoul hari ini.", "x")
    assert doc.date == "2021-08-06" and doc.body.startswith("Para menteri")


def test_a_sentence_naming_a_place_and_date_stays_in_the_body():
    text = "Presiden tiba di Jakarta, 21 Juni 2021, untuk rapat kabinet.\n\nRapat berlangsung."
    doc = parse_article(text, "x")
    assert doc.body.startswith("Presiden tiba di Jakarta, 21 Juni 2021")


def test_an_index_holding_dates_stored_as_given_still_reads_back_and_reindexes(tmp_path):
    from searchlib import Index, reindex
    from searchlib.index.schema import fields_of

    with Index.create(tmp_path) as ix:
        # What an earlier version stored: the date as given, unchecked.
        for doc_id, date in (("written", "6 Agustus 2021"), ("bad", "2021-13-45")):
            values = fields_of(Document(id=doc_id, body="Banjir di Jakarta."))
            values.update(date=date, year=date[:4], dated="0")
            ix._get_writer().update_document(**values)
        ix.commit()
    with Index.open(tmp_path) as ix:
        assert ix.get("written").date == "2021-08-06" and ix.get("bad").date is None
    assert reindex(tmp_path) == 2
    with Index.open(tmp_path) as ix:
        assert [h.id for h in ix.search("banjir", sort="date")] == ["written", "bad"]
