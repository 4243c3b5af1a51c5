"""A Document refuses what the index cannot store or a run file cannot print."""

from __future__ import annotations

import pytest

from searchlib import Document, DocumentError, Index


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"id": ""}, "non-empty"),
        ({"id": "   "}, "non-empty"),
        ({"id": 7}, "non-empty"),
        ({"id": "a\nb"}, "control character (U+000A)"),
        ({"id": "a\tb"}, "control character (U+0009)"),
        ({"id": "a\x00"}, "control character (U+0000)"),
        ({"id": "a\ud800"}, "lone surrogate (U+D800)"),
        ({"id": "a", "body": "ok \udfff"}, "body holds a lone surrogate"),
        ({"id": "a", "date": "2020\ud800"}, "date holds a lone surrogate"),
        ({"id": "a", "fields": {"k": "v\ud800"}}, "metadata 'k' holds a lone surrogate"),
        ({"id": "a", "body": None}, "body must be a string"),
        ({"id": "a", "title": 3}, "title must be a string or None"),
        ({"id": "a", "fields": {"k": 1}}, "names and values must be strings"),
        ({"id": "a", "fields": {"👍🏻": "x", " ": "y"}}, "both become the field '_'"),
        ({"id": "a", "fields": {"Sub Category": "x", "sub-category": "y"}}, "sub_category"),
    ],
)
def test_bad_documents_are_refused_saying_why(kwargs, says):
    values = {"body": "isi", **kwargs}
    with pytest.raises(DocumentError, match=None) as raised:
        Document(**values)
    assert says in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_good_documents_still_pass():
    doc = Document(id="Ünïcode id", body="é 北京 🙂", fields={"Category": "x", "sub": "y"})
    assert doc.id == "Ünïcode id"


def test_adding_something_that_is_not_a_document_is_a_clear_error(tmp_path):
    from searchlib import OptionError

    with Index.create(tmp_path) as ix:
        with pytest.raises(OptionError, match="Document"):
            ix.add({"id": "x", "body": "tes"})
        with pytest.raises(OptionError, match="Document"):
            ix.add([Document(id="a", body="b"), "not a document"])
        ix.rollback()
        assert ix.doc_count() == 0


def test_metadata_names_are_kept_as_the_index_stores_them_so_documents_read_back_equal(tmp_path):
    document = Document(id="a", body="Isi.", fields={"Sub Category": "x", "Korea": "y", "": "z"})
    assert document.fields == {"sub_category": "x", "korea": "y", "_": "z"}
    with Index.create(tmp_path / "ix") as ix:
        ix.add(document)
        ix.commit()
        assert ix.get("a") == document
