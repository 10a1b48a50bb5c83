"""deboil.integrations.datatrove.DeboilCleaner in a datatrove pipeline: reader -> DeboilCleaner ->
writer, run by LocalPipelineExecutor, gives the texts Cleaner.clean_batch gives, drops nothing,
counts per rule and category, keeps the removals when asked, and writes what it removed."""

import copy
import json
import pickle
from pathlib import Path

import pytest

import deboil

pytest.importorskip("datatrove")

from datatrove.data import Document  # noqa: E402
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from deboil.integrations.datatrove import DeboilCleaner  # noqa: E402

BODY = [
    "The city council approved the new budget on Tuesday after a long debate, officials said.",
    "The plan sets aside money for road repairs and two new libraries in the northern districts.",
    "Opposition members said the spending was too high and called for a review of the figures.",
    "The mayor said the vote showed that the council could still agree on the big questions.",
]
JUNK_DOCS = [
    # (text, has junk)
    (f"{BODY[0]}\n\nAdvertisement\n\n{BODY[1]}\n", True),
    (f"{BODY[0]}\n\nCouncil members vote in the chamber on Tuesday.\nREUTERS/Jane Doe\n\n{BODY[2]}\n", True),
    (f"{BODY[1]}\n{BODY[3]}\n\nSign up for our daily newsletter\n", True),
    (f"{BODY[2]}\n\nAdvertisement\n\n{BODY[3]}\n\nSign up for our daily newsletter\n", True),
    (f"{BODY[0]}\n{BODY[1]}\n{BODY[2]}\n", False),
    ("Advertisement\nSign up for our daily newsletter\n", True),  # all junk: flagged, left as it was
    ("Der Stadtrat hat am Dienstag den neuen Haushalt beschlossen, sagte ein Sprecher.\n\nAnzeige\n\n"
     "Die Opposition kritisierte die hohen Ausgaben.\n", True),
]


def make_records(n: int = 24) -> list[dict]:
    recs = []
    for i in range(n):
        text, _ = JUNK_DOCS[i % len(JUNK_DOCS)]
        rec = {"id": f"doc-{i:03d}", "text": text, "url": f"https://news{i % 3}.example.com/story/{i}"}
        if i % len(JUNK_DOCS) == 6:
            rec["language"] = "de"
        elif i % 4 == 0:
            rec["language"] = "en"
        recs.append(rec)
    return recs


def write_input(folder: Path, recs: list[dict], files: int) -> None:
    folder.mkdir(parents=True)
    for f in range(files):
        part = recs[f::files]
        (folder / f"part-{f}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part), encoding="utf-8"
        )


def read_output(folder: Path) -> dict[str, dict]:
    out = {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            assert rec["id"] not in out
            out[rec["id"]] = rec
    return out


def expected(recs: list[dict], **kwargs) -> list[deboil.Cleaned]:
    return deboil.Cleaner(**kwargs).clean_batch(
        [r["text"] for r in recs], urls=[r["url"] for r in recs], langs=[r.get("language") for r in recs], jobs=1
    )


def step_stats(stats, step_name: str) -> dict:
    for s in stats.stats:
        if s.name == step_name:
            return {k: v.total for k, v in s.stats.items()}
    raise AssertionError(f"no stats for {step_name!r} in {[s.name for s in stats.stats]}")


@pytest.mark.parametrize(
    "tasks,workers,keep_removals,batch_size",
    [(1, 1, True, 256), (2, 1, False, 5), (2, 2, True, 3)],
)
def test_pipeline(tmp_path, tasks, workers, keep_removals, batch_size):
    recs = make_records()
    write_input(tmp_path / "in", recs, files=tasks)
    step = DeboilCleaner(
        keep_removals=keep_removals,
        batch_size=batch_size,
        exclusion_writer=JsonlWriter(str(tmp_path / "removed"), compression=None),
    )
    executor = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(tmp_path / "in")),
            step,
            JsonlWriter(str(tmp_path / "out"), compression=None),
        ],
        tasks=tasks,
        workers=workers,
        logging_dir=str(tmp_path / "logs"),
    )
    stats = executor.run()

    # Nothing dropped, every text as Cleaner.clean_batch cleans it.
    out = read_output(tmp_path / "out")
    assert sorted(out) == [r["id"] for r in recs]
    want = expected(recs)
    for rec, w in zip(recs, want):
        got = out[rec["id"]]
        assert got["text"] == w.text, rec["id"]
        assert got["metadata"]["url"] == rec["url"]
        if keep_removals:
            assert got["metadata"]["deboil"] == [
                {"rule": r.rule, "category": r.category, "start": r.start, "end": r.end} for r in w.removals
            ]
            for r in got["metadata"]["deboil"]:
                assert rec["text"][r["start"] : r["end"]] in {x.text for x in w.removals}
            assert got["metadata"].get("deboil_flagged") == w.flagged
        else:
            assert "deboil" not in got["metadata"]
    changed = [w for w in want if w.changed]
    flagged = [w for w in want if w.flagged is not None]
    assert changed and flagged  # the input exercises both

    # Stats: documents in/out/changed/flagged, per rule and per category.
    st = step_stats(stats, str(step))
    assert st["total"] == st["forwarded"] == len(recs)
    assert st["changed"] == len(changed)
    assert st["flagged"] == len(flagged)
    assert st["unchanged"] == len(recs) - len(changed)
    per_rule: dict[str, int] = {}
    per_cat: dict[str, int] = {}
    for w in want:
        for r in w.removals:
            per_rule[r.rule] = per_rule.get(r.rule, 0) + 1
            per_cat[r.category] = per_cat.get(r.category, 0) + 1
    assert {k[len("rule/") :]: v for k, v in st.items() if k.startswith("rule/")} == per_rule
    assert {k[len("category/") :]: v for k, v in st.items() if k.startswith("category/")} == per_cat
    assert per_rule and "credit" in per_cat
    # The same stats reach the logging folder.
    saved = json.loads((tmp_path / "logs" / "stats.json").read_text(encoding="utf-8"))
    assert any(s["name"] == str(step) and "changed" in s["stats"] for s in saved)

    # The exclusion writer got the removed text of each changed document, and only those.
    removed = read_output(tmp_path / "removed")
    want_removed = {rec["id"]: w for rec, w in zip(recs, want) if w.changed}
    assert sorted(removed) == sorted(want_removed)
    for doc_id, w in want_removed.items():
        got = removed[doc_id]
        assert got["text"] == "".join(r.text if r.text.endswith("\n") else r.text + "\n" for r in w.removals)
        assert "REUTERS/Jane Doe" in got["text"] or "Advertisement" in got["text"] or "newsletter" in got["text"] or "Anzeige" in got["text"]
        assert [r["rule"] for r in got["metadata"]["deboil"]] == [r.rule for r in w.removals]


def test_options_reach_the_cleaner(tmp_path):
    docs = [Document(text=t, id=str(i), metadata={}) for i, (t, _) in enumerate(JUNK_DOCS)]
    texts = [t for t, _ in JUNK_DOCS]
    step = DeboilCleaner(select="credit", max_removed=None, lang_key=None, url_key=None, batch_size=2, jobs=2)
    got = [d.text for d in step.run([copy.copy(d) for d in docs])]
    assert got == [c.text for c in deboil.Cleaner(select="credit", max_removed=None).clean_batch(texts)]
    assert got[1] != texts[1] and got[0] == texts[0]  # only the credit went
    rules = tmp_path / "r.toml"
    rules.write_text(
        '[[rule]]\nid = "test-zz-marker"\ncategory = "promo"\nkind = "line"\n'
        "description = \"A test marker line.\"\npattern = '^ZZ marker line$'\n",
        encoding="utf-8",
    )
    step = DeboilCleaner(rules=[rules], default_rules=False)
    (out,) = step.run([Document(text="Body text stays here, it is long enough.\nZZ marker line\n", id="z")])
    assert out.text == "Body text stays here, it is long enough.\n"
    with pytest.raises(deboil.RuleError):
        DeboilCleaner(rules=[tmp_path / "missing.toml"])
    with pytest.raises(ValueError):
        DeboilCleaner(batch_size=0)


def test_never_drops_bad_documents():
    # A lone surrogate cannot be cleaned, a language code deboil rejects is ignored: the batch
    # still goes through, those documents as they were.
    docs = [
        Document(text=JUNK_DOCS[0][0], id="a", metadata={"language": "not a language code 123"}),
        Document(text="bad \ud800 text\n", id="b", metadata={}),
        Document(text=JUNK_DOCS[1][0], id="c", metadata={"url": 17}),
    ]
    step = DeboilCleaner(keep_removals=True)
    out = list(step.run(docs))
    assert [d.id for d in out] == ["a", "b", "c"]
    want = deboil.Cleaner().clean_batch([JUNK_DOCS[0][0], JUNK_DOCS[1][0]])
    assert out[0].text == want[0].text and out[2].text == want[1].text
    assert out[1].text == "bad \ud800 text\n" and out[1].metadata["deboil"] == []
    assert step.stats["errors"].total == 1
    assert step.stats["total"].total == step.stats["forwarded"].total == 3


def test_copies_and_pickles_without_the_compiled_rules():
    step = DeboilCleaner(ignore="model")
    for other in (copy.deepcopy(step), pickle.loads(pickle.dumps(step))):
        assert other._cleaner is None
        assert other.ignore == "model"
        (doc,) = other.run([Document(text=JUNK_DOCS[0][0], id="x")])
        assert doc.text == deboil.Cleaner(ignore="model").clean(JUNK_DOCS[0][0]).text
