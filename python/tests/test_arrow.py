"""The Arrow path: `Cleaner.clean_arrow` reads string arrays through the Arrow C data interface and
gives the same texts as `clean_batch`, nulls kept, in order."""

import pytest

import deboil
from conftest import CREDIT_DOC

pa = pytest.importorskip("pyarrow")

DOCS = [
    "Über die Brücke — 🎉, sagte die Stadt am Dienstag.\n\nAdvertisement\n\nMore text follows here.\n",
    CREDIT_DOC,
    "Nothing to remove in this one.\n",
    "Advertisement\nREUTERS/Jane Doe\n",
]


def want(cleaner, docs):
    return [None if d is None else c.text for d, c in zip(docs, cleaner.clean_batch([d or "" for d in docs]))]


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string(), pa.string_view()])
def test_arrow_arrays_of_every_string_type(cleaner, kind):
    docs = [*DOCS, None]
    out = cleaner.clean_arrow(pa.array(docs, type=kind))
    assert isinstance(out, pa.Array)
    assert out.to_pylist() == want(cleaner, docs)


def test_chunked_arrays_and_jobs(cleaner):
    chunked = pa.chunked_array([DOCS[:2], DOCS[2:]])
    for jobs in (None, 1, 2):
        assert cleaner.clean_arrow(chunked, jobs=jobs).to_pylist() == want(cleaner, DOCS)


def test_max_removed_leaves_flagged_texts_as_they_were():
    guarded = deboil.Cleaner(max_removed=0.5)
    out = guarded.clean_arrow(pa.array(DOCS)).to_pylist()
    assert out == [c.text for c in guarded.clean_batch(DOCS)]
    assert out[3] == DOCS[3], "all junk: flagged, unchanged"


def test_bad_input_is_refused(cleaner):
    with pytest.raises(TypeError, match="strings"):
        cleaner.clean_arrow(pa.array([1, 2]))
    with pytest.raises(TypeError):
        cleaner.clean_arrow(["a list is not an Arrow array"])
    with pytest.raises(ValueError, match="jobs"):
        cleaner.clean_arrow(pa.array(DOCS), jobs=0)


def test_datasets_map_in_arrow_format(cleaner, tmp_path):
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_dict({"id": list(range(len(DOCS))), "text": DOCS}).with_format("arrow")
    # In the Arrow format a batch is a pyarrow.Table, and the function returns one.
    def clean(batch):
        return batch.set_column(batch.schema.get_field_index("text"), "text", cleaner.clean_arrow(batch["text"]))

    out = ds.map(clean, batched=True, batch_size=3)
    assert out.with_format(None)["text"] == want(cleaner, DOCS)
