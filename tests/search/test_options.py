"""Search arguments are checked where they enter, each error naming the argument and what works."""

from __future__ import annotations

import pytest

from searchlib import OptionError, OptionTypeError, QueryError, Ranking, SnippetOptions


@pytest.mark.parametrize(
    ("options", "error", "says"),
    [
        ({"limit": "10"}, OptionTypeError, "limit must be a whole number"),
        ({"limit": None}, OptionTypeError, "limit must be a whole number"),
        ({"limit": 0}, QueryError, "limit must be at least 1"),
        ({"page": 1.5}, OptionTypeError, "page must be a whole number"),
        ({"page": True}, OptionTypeError, "page must be a whole number"),
        ({"page_size": -2}, QueryError, "page_size must be at least 1"),
        ({"sort": "relevance"}, QueryError, "unknown sort"),
        ({"date_from": 20200101}, OptionTypeError, "date_from must be an ISO date string"),
        ({"ranking": "bogus"}, OptionTypeError, "ranking must be a Ranking"),
        ({"facets": "site"}, OptionTypeError, "facets must be"),
        ({"snippets": 3}, OptionTypeError, "snippets must be"),
        ({"suggest": "yes"}, OptionTypeError, "suggest must be True or False"),
    ],
)
def test_bad_search_options_are_searchlib_errors(seed_ix, options, error, says):
    with pytest.raises(error, match=says) as raised:
        seed_ix.search("Korea", **options)
    assert isinstance(raised.value, OptionError)
    assert isinstance(raised.value, TypeError if error is OptionTypeError else ValueError)


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda: SnippetOptions(length=5), "at least 20"),
        (lambda: SnippetOptions(fragments=0), "at least one fragment"),
        (lambda: SnippetOptions(length="200"), "length must be a whole number"),
        (lambda: SnippetOptions(markers="**"), "two strings"),
        (lambda: Ranking(k1="1.2"), "Ranking.k1 must be a number"),
        (lambda: Ranking(proximity=-1), "must not be negative"),
        (lambda: Ranking(question_words=1), "Ranking.question_words must be True or False"),
        (lambda: Ranking(or_factor=2), "between 0 and 1"),
    ],
)
def test_bad_option_objects_are_refused(make, says):
    with pytest.raises(OptionError, match=says):
        make()


def test_more_like_checks_its_arguments(seed_ix):
    with pytest.raises(OptionTypeError):
        seed_ix.more_like(3)
    with pytest.raises(QueryError, match="limit must be at least 1"):
        seed_ix.more_like("x", limit=0)


def test_the_cli_reports_a_bad_length_in_one_line(capsys):
    from searchlib.cli import main

    assert main(["search", "korea", "--length", "5"]) == 1
    err = capsys.readouterr().err
    assert "at least 20" in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_stacked_operators_say_what_to_change(seed_ix):
    with pytest.raises(QueryError, match="needs a word beside it") as raised:
        seed_ix.search("NOT NOT korea")
    assert "list index" not in str(raised.value)


def test_a_misspelt_option_names_the_options_there_are(seed_ix):
    with pytest.raises(OptionTypeError, match="no option limt; its options are limit, page"):
        seed_ix.search("Korea", limt=2)
    with pytest.raises(OptionTypeError, match="no option lmit"):
        seed_ix.more_like("x", lmit=2)


def test_a_file_this_user_may_not_read_is_a_permission_error(tmp_path, monkeypatch):
    import builtins
    import io

    from searchlib import Document, Index, IndexPermissionError

    with Index.create(tmp_path) as ix:
        ix.add(Document(id="a", body="harga beras"))
        ix.commit()
    real_open = io.open

    def denied(file, *args, **kwargs):
        if str(file).endswith(".seg"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", denied)
    monkeypatch.setattr(io, "open", denied)
    with pytest.raises(IndexPermissionError, match="Permission denied") as raised:
        Index.open(tmp_path).search("beras")
    assert "delete" not in str(raised.value) and isinstance(raised.value, OSError)
