//! Throughput of each stage of cleaning a JSONL corpus, over the same input, so that a
//! regression shows where it is: reading records, splitting documents into lines, matching
//! the rules, scoring lines with the model, assembling the cleaned text, writing records; then
//! the engine alone (`clean`) and the runner's whole per-batch path (`whole`), on one thread,
//! for reference. Every stage reports bytes of the same JSONL input, so their times add up.
//!
//! The input is the fixture documents (`tests/fixtures/docs/*.txt`) as JSONL records, repeated
//! to about 2 MB, cleaned in chunks of 64 documents as the runner cleans them. Each stage's
//! inputs are made outside its timed loop.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use deboil::engine::bench_api;
use deboil::io::jsonl::{Fields, Record};
use deboil::runner::{Options, Runner};
use deboil::{Document, RuleSet, clean_documents};

/// Bytes of JSONL input.
const CORPUS_BYTES: usize = 2 << 20;

/// Documents cleaned together, as the runner's chunks.
const CHUNK: usize = 64;

/// The fixture documents as JSONL records (`id`, `url`, `text`), repeated to
/// [`CORPUS_BYTES`].
fn corpus() -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("the fixture documents")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let docs: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let stem = p.file_stem().expect("a file name").to_string_lossy().into_owned();
            (stem, std::fs::read_to_string(p).expect("a UTF-8 fixture"))
        })
        .collect();
    let mut out = Vec::with_capacity(CORPUS_BYTES + (1 << 16));
    for round in 0.. {
        for (stem, text) in &docs {
            if out.len() >= CORPUS_BYTES {
                return out;
            }
            let record = serde_json::json!({
                "id": format!("{stem}-{round}"),
                "url": format!("https://news.example.com/{stem}"),
                "text": text,
            });
            serde_json::to_writer(&mut out, &record).expect("a record serialises");
            out.push(b'\n');
        }
    }
    unreachable!("the loop returns")
}

/// The records of a JSONL buffer and their lines, as the runner reads them.
fn read<'a>(buf: &'a [u8], fields: &Fields) -> Vec<(&'a str, Record<'a>)> {
    let mut out = Vec::new();
    let mut start = 0;
    let unterminated = !buf.is_empty() && !buf.ends_with(b"\n");
    for end in memchr::memchr_iter(b'\n', buf).map(|i| i + 1).chain(unterminated.then_some(buf.len())) {
        let raw = buf[start..end].trim_ascii();
        start = end;
        if raw.is_empty() {
            continue;
        }
        let line = std::str::from_utf8(raw).expect("UTF-8 records");
        out.push((line, Record::parse(line, fields, None).expect("a record")));
    }
    out
}

fn bench(c: &mut Criterion) {
    let rules = RuleSet::defaults();
    let buf = corpus();
    let fields = Fields::default();
    let records = read(&buf, &fields);
    let docs: Vec<Document<'_, '_>> = records
        .iter()
        .map(|(_, r)| Document { text: &r.text, url: r.url.as_deref(), lang: r.lang })
        .collect();
    let split = || docs.chunks(CHUNK).map(bench_api::split).collect::<Vec<_>>();
    let match_all = |splits: Vec<_>| {
        docs.chunks(CHUNK)
            .zip(splits)
            .flat_map(|(d, s)| bench_api::match_lines(&rules, d, s))
            .collect::<Vec<_>>()
    };
    let matched = match_all(split());
    let model_inputs: Vec<_> = matched.iter().filter_map(|m| m.model_inputs(&rules)).collect();
    let decided: Vec<_> = matched.into_iter().map(|m| bench_api::decide(&rules, m)).collect();
    let cleaned: Vec<_> = docs.chunks(CHUNK).flat_map(|d| clean_documents(&rules, d)).collect();
    // The stages, run in order, are the engine: the same cleaned texts.
    assert!(decided.iter().zip(&cleaned).all(|(d, c)| bench_api::assemble(&rules, d).text == c.text));
    eprintln!(
        "stages: {} records, {} bytes of JSONL, {} scored by the model, {} changed",
        docs.len(),
        buf.len(),
        model_inputs.len(),
        cleaned.iter().filter(|c| c.changed()).count()
    );
    let runner = Runner::new(&rules, Options::default(), 1);

    let mut group = c.benchmark_group("stages");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Bytes(buf.len() as u64));
    group.bench_function("read", |b| b.iter(|| read(black_box(&buf), &fields).len()));
    group.bench_function("split-lines", |b| {
        b.iter(|| {
            for d in docs.chunks(CHUNK) {
                black_box(bench_api::split(black_box(d)));
            }
        })
    });
    group.bench_function("match", |b| b.iter_batched(split, match_all, BatchSize::LargeInput));
    let (mut rows, mut scores) = (Vec::new(), Vec::new());
    group.bench_function("model", |b| {
        b.iter(|| {
            let mut n = 0;
            for (model, texts, hits) in &model_inputs {
                model.score(black_box(texts), hits, &mut rows, &mut scores);
                n += scores.len();
            }
            n
        })
    });
    group.bench_function("assemble", |b| {
        b.iter(|| decided.iter().map(|d| bench_api::assemble(&rules, black_box(d)).text.len()).sum::<usize>())
    });
    let mut out = Vec::with_capacity(buf.len());
    group.bench_function("write", |b| {
        b.iter(|| {
            out.clear();
            // As the runner writes: a record nothing was removed from goes out as it came.
            for ((line, record), cleaned) in records.iter().zip(&cleaned) {
                if cleaned.changed() {
                    record.write_to(&mut out, &cleaned.text, None);
                } else {
                    out.extend_from_slice(line.as_bytes());
                    out.push(b'\n');
                }
            }
            black_box(out.len())
        })
    });
    group.bench_function("clean", |b| {
        b.iter(|| docs.chunks(CHUNK).map(|d| clean_documents(&rules, black_box(d)).len()).sum::<usize>())
    });
    group.bench_function("whole", |b| b.iter(|| runner.bench_batch(black_box(&buf))));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
