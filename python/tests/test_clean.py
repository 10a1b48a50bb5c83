import deboil
import pytest

from conftest import CREDIT_DOC, MARKER_RULE, write_rules


def test_wire_credit_removed(cleaner):
    cleaned = cleaner.clean(CREDIT_DOC)
    assert "REUTERS/Jane Doe" not in cleaned.text
    assert cleaned.changed
    assert cleaned.flagged is None
    (r,) = [r for r in cleaned.removals if "REUTERS/Jane Doe" in r.text]
    assert r.category == "credit"
    assert r.first_line <= 2 == r.last_line
    assert CREDIT_DOC[r.start : r.end] == r.text
    assert isinstance(r.also, list)
    assert r.score is None or 0.0 <= r.score <= 1.0


def test_wire_credit_with_caption_keeps_body(cleaner):
    body = (
        "Troops crossed the river at dawn on Tuesday, officials said.\n\n"
        "The ministry said the operation would continue for several days and that civilians "
        "had been warned to stay away.\n"
    )
    cleaned = cleaner.clean(body + "\nSoldiers wade across the river.\nREUTERS/Jane Doe\n", lang="en")
    assert cleaned.text == body
    (r,) = cleaned.removals
    assert (r.category, r.text) == ("credit", "Soldiers wade across the river.\nREUTERS/Jane Doe\n")
    assert (r.first_line, r.last_line) == (5, 6)


def test_untouched_text_is_the_same_object(cleaner):
    text = "Nothing to strip in this plain sentence, officials said on Monday.\n"
    cleaned = cleaner.clean(text)
    assert cleaned.text is text
    assert cleaned.removals == []
    assert not cleaned.changed


def test_offsets_are_characters_with_non_ascii_before(cleaner):
    text = (
        "Über 200 Menschen — naïve café crowds, 日本語 and 🎉 emoji — crossed the river, officials said.\n"
        "\n"
        "Advertisement\n"
        "\n"
        "Ça continue: more body text with accents, résumé and señor, the agency said today.\n"
        "REUTERS/Jane Doe\n"
    )
    cleaned = cleaner.clean(text, lang="en")
    assert len(cleaned.removals) >= 2, cleaned.removals
    encoded = text.encode("utf-8")
    for r in cleaned.removals:
        assert text[r.start : r.end] == r.text
        assert encoded[r.byte_start : r.byte_end].decode("utf-8") == r.text
        assert r.byte_start >= r.start and r.byte_end > r.end  # non-ASCII before every removal
    # Removals are in input order and do not overlap.
    ends = [(r.start, r.end) for r in cleaned.removals]
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:]))
    assert "Advertisement" not in cleaned.text and "REUTERS/Jane Doe" not in cleaned.text


def test_cleaned_and_removal_repr_and_eq(cleaner):
    a = cleaner.clean(CREDIT_DOC)
    b = cleaner.clean(CREDIT_DOC)
    assert a == b
    assert a.removals[0] == b.removals[0]
    assert a.removals[0].rule in repr(a.removals[0])
    assert repr(a).startswith("Cleaned(")


def test_select_and_ignore(tmp_path):
    assert "REUTERS" not in deboil.Cleaner(select=["credit"], max_removed=None).clean(CREDIT_DOC).text
    assert "REUTERS" not in deboil.Cleaner(select="wire-photo-credit", max_removed=None).clean(CREDIT_DOC).text
    assert deboil.Cleaner(ignore=["credit"]).clean(CREDIT_DOC).text == CREDIT_DOC
    assert deboil.Cleaner(ignore="credit,model").clean(CREDIT_DOC).text == CREDIT_DOC
    only = deboil.Cleaner(select=["wire-photo-credit"])
    assert only.rule_ids == ["wire-photo-credit"] and len(only) == 1
    ad = "Body text.\n\nAdvertisement\n\nMore body.\n"
    assert deboil.Cleaner(select=["credit"]).clean(ad).text == ad
    with pytest.raises(ValueError, match="no-such-rule"):
        deboil.Cleaner(select=["no-such-rule"])


def test_custom_rules_file_and_dir(tmp_path):
    write_rules(tmp_path / "marker.toml", MARKER_RULE)
    doc = "Body text of the story, with a sentence.\nZZ marker line\n"
    for rules in (tmp_path / "marker.toml", str(tmp_path / "marker.toml"), [tmp_path], tmp_path):
        c = deboil.Cleaner(rules=rules, default_rules=False)
        assert c.rule_ids == ["test-zz-marker"]
        out = c.clean(doc)
        assert out.text == "Body text of the story, with a sentence.\n"
        assert out.removals[0].rule == "test-zz-marker"
    both = deboil.Cleaner(rules=[tmp_path / "marker.toml"])
    assert "test-zz-marker" in both.rule_ids and "wire-photo-credit" in both.rule_ids
    with pytest.raises(ValueError, match="no rules loaded"):
        deboil.Cleaner(default_rules=False)


def test_lang_scoped_rules(tmp_path):
    rules = write_rules(tmp_path / "de.toml", 'langs = ["de"]\n' + MARKER_RULE)
    c = deboil.Cleaner(rules=rules, default_rules=False)
    doc = "The council met on Tuesday and approved the budget for the next year.\nZZ marker line\n"
    assert c.clean(doc, lang="de").text != doc
    assert c.clean(doc, lang="de-AT").text != doc
    assert c.clean(doc, lang="deu").text != doc
    assert c.clean(doc, lang="en").text == doc
    assert c.clean(doc, lang="fr").text == doc
    # In a batch: one code for all, or one per document.
    assert [x.changed for x in c.clean_batch([doc, doc], langs="de")] == [True, True]
    assert [x.changed for x in c.clean_batch([doc, doc, doc], langs=["de", "en", "DE"])] == [True, False, True]
    with pytest.raises(ValueError, match="not a language code"):
        c.clean(doc, lang="not a code")


def test_max_removed_flags(cleaner):
    doc = "REUTERS/Jane Doe\nShort.\n"
    full = cleaner.clean(doc)
    assert full.changed
    guarded = deboil.Cleaner(max_removed=0.1).clean(doc)
    assert guarded.text == doc and guarded.removals == [] and guarded.flagged > 0.1
    assert deboil.Cleaner(max_removed=1.0).max_removed is None
    assert deboil.Cleaner(max_removed=None).max_removed is None
    assert deboil.DEFAULT_MAX_REMOVED == 0.7
    assert deboil.Cleaner().max_removed == deboil.DEFAULT_MAX_REMOVED, "the command line's default"
    for bad in (0.0, -1.0, 1.5):
        with pytest.raises(ValueError, match="max_removed"):
            deboil.Cleaner(max_removed=bad)


def test_url_is_accepted(cleaner):
    assert cleaner.clean(CREDIT_DOC, url="https://example.com/a").text == cleaner.clean(CREDIT_DOC).text
    with pytest.raises(TypeError, match="url"):
        cleaner.clean(CREDIT_DOC, url=3)


def test_clean_bad_inputs(cleaner):
    with pytest.raises(TypeError, match="text: expected str, got bytes"):
        cleaner.clean(b"bytes")
    with pytest.raises(TypeError, match="text: expected str, got NoneType"):
        cleaner.clean(None)
    with pytest.raises(ValueError, match="text: not valid Unicode"):
        cleaner.clean("lone \ud800 surrogate")
    with pytest.raises(TypeError, match="lang"):
        cleaner.clean("x", lang=5)


def test_package_docstring_examples():
    import doctest

    result = doctest.testmod(deboil)
    assert result.attempted >= 4 and result.failed == 0


def test_model_threshold():
    assert deboil.Cleaner(model_threshold=0.99).clean(CREDIT_DOC).text == deboil.Cleaner().clean(CREDIT_DOC).text
    with pytest.raises(ValueError, match="model_threshold"):
        deboil.Cleaner(model_threshold=1.5)


def test_dolma_attributes_delete_to_the_cleaned_text(cleaner):
    doc = "Über die Brücke — 🎉, sagte die Stadt.\n\nAdvertisement\n\nThe council voted on Tuesday to rebuild the old bridge, which storms damaged twice last winter.\nREUTERS/Jane Doe\n\nSign up for our daily newsletter\n"
    attrs = cleaner.dolma_attributes(doc, lang="en")
    assert attrs and all(name.startswith("deboil__deboil__") for name in attrs)
    spans = sorted(span for spans in attrs.values() for span in spans)
    kept, pos = [], 0
    for start, end, score in spans:
        assert pos <= start < end <= len(doc) and score == 1.0
        kept.append(doc[pos:start])
        pos = end
    kept.append(doc[pos:])
    assert "".join(kept) == cleaner.clean(doc, lang="en").text
    assert cleaner.dolma_attributes("Nothing to remove here.\n") == {}
