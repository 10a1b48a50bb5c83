import threading

import pytest

from conftest import CREDIT_DOC


def as_tuple(c):
    return (c.text, [(r.rule, r.start, r.end, r.byte_start, r.byte_end, r.text) for r in c.removals], c.flagged)


def test_batch_equals_clean_in_order(cleaner, fixture_texts):
    texts = fixture_texts + [CREDIT_DOC, "", "\n", "é"]
    batch = cleaner.clean_batch(texts)
    assert len(batch) == len(texts)
    assert [as_tuple(b) for b in batch] == [as_tuple(cleaner.clean(t)) for t in texts]
    assert batch == [cleaner.clean(t) for t in texts]
    assert any(b.changed for b in batch)
    for t, b in zip(texts, batch):
        for r in b.removals:
            assert t[r.start : r.end] == r.text


def test_batch_jobs_equal(cleaner, fixture_texts):
    texts = fixture_texts * 3
    one = cleaner.clean_batch(texts, jobs=1)
    two = cleaner.clean_batch(texts, jobs=2)
    default = cleaner.clean_batch(texts)
    assert one == two == default


def test_batch_accepts_iterables_and_empty(cleaner):
    assert cleaner.clean_batch([]) == []
    assert cleaner.clean_batch(t for t in [CREDIT_DOC]) == [cleaner.clean(CREDIT_DOC)]
    assert cleaner.clean_batch((CREDIT_DOC,), urls=(None,), langs=(None,)) == [cleaner.clean(CREDIT_DOC)]


def test_batch_urls_and_langs(cleaner):
    texts = [CREDIT_DOC, CREDIT_DOC]
    out = cleaner.clean_batch(texts, urls=["https://example.com/x", None], langs=["en", "und"])
    assert [o.text for o in out] == [cleaner.clean(CREDIT_DOC).text] * 2


@pytest.mark.parametrize(
    "kwargs, exc, pattern",
    [
        (dict(texts=["ok", 3, "ok"]), TypeError, r"texts\[1\]: expected str, got int"),
        (dict(texts=["ok", "ok", None]), TypeError, r"texts\[2\]: expected str, got NoneType"),
        (dict(texts=["ok", b"bytes"]), TypeError, r"texts\[1\]: expected str, got bytes"),
        (dict(texts=["ok", "bad \udc80 text"]), ValueError, r"texts\[1\]: not valid Unicode"),
        (dict(texts="a str"), TypeError, r"texts: expected a sequence of str"),
        (dict(texts=5), TypeError, r"texts: expected a sequence"),
        (dict(texts=["a", "b"], urls=["u"]), ValueError, r"urls has 1 items but texts has 2"),
        (dict(texts=["a", "b"], urls=["u", 7]), TypeError, r"urls\[1\]: expected str, got int"),
        (dict(texts=["a", "b"], langs=["de"]), ValueError, r"langs has 1 items but texts has 2"),
        (dict(texts=["a", "b"], langs=["de", "klingon!"]), ValueError, r"langs\[1\]: not a language code"),
        (dict(texts=["a", "b"], langs=[None, 4]), TypeError, r"langs\[1\]: expected str, got int"),
        (dict(texts=["a"], langs="??"), ValueError, r"not a language code"),
        (dict(texts=["a"], jobs=0), ValueError, r"jobs must be at least 1"),
    ],
)
def test_batch_bad_inputs(cleaner, kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        cleaner.clean_batch(**kwargs)


def test_batch_from_threads(cleaner, fixture_texts):
    """Cleaning releases the GIL: Python threads can share one Cleaner."""
    expected = cleaner.clean_batch(fixture_texts, jobs=1)
    results = [None] * 4
    errors = []

    def work(k):
        try:
            results[k] = cleaner.clean_batch(fixture_texts, jobs=2)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert all(r == expected for r in results)
