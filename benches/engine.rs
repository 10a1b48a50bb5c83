//! Per-document engine throughput (bytes/s) by rule pack and document size.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use deboil::RuleSet;
use std::hint::black_box;

/// A news-like document of about `paragraphs` paragraphs, with some junk every few.
fn document(paragraphs: usize) -> String {
    let prose = "The council voted on Tuesday to extend the harbour lease for another decade, \
                 after months of talks with the operators and a public hearing that drew more \
                 than two hundred residents, officials said.";
    let junk = [
        "Advertisement",
        "A crane unloads containers at the harbour.\nREUTERS/Jane Doe",
        "Sign up for our daily newsletter",
        "Share this article",
    ];
    let mut text = String::from("Harbour lease extended for ten years\n\n");
    for i in 0..paragraphs {
        text.push_str(prose);
        text.push_str("\n\n");
        if i % 4 == 3 {
            text.push_str(junk[(i / 4) % junk.len()]);
            text.push_str("\n\n");
        }
    }
    text.push_str("More from Harbour Times\n\nA teaser about another story.\n");
    text
}

fn bench(c: &mut Criterion) {
    let packs: Vec<(&str, RuleSet)> = vec![
        ("defaults", RuleSet::defaults()),
        ("credit-only", RuleSet::defaults().filter(&["credit".into()], &[]).unwrap()),
    ];
    let mut group = c.benchmark_group("clean");
    for paragraphs in [8usize, 64, 512] {
        let doc = document(paragraphs);
        group.throughput(Throughput::Bytes(doc.len() as u64));
        for (name, rules) in &packs {
            group.bench_with_input(BenchmarkId::new(*name, doc.len()), &doc, |b, doc| {
                b.iter(|| deboil::clean(black_box(rules), black_box(doc)).removals.len())
            });
        }
    }
    group.finish();

    // The runner cleans JSONL records in chunks of 64: one by one against as one batch.
    let docs: Vec<String> = (0..64).map(|i| document(4 + i % 16)).collect();
    let batch: Vec<deboil::Document<'_, '_>> = docs.iter().map(|text| deboil::Document::new(text)).collect();
    let rules = &packs[0].1;
    let mut group = c.benchmark_group("batch-of-64");
    group.throughput(Throughput::Bytes(docs.iter().map(|d| d.len() as u64).sum()));
    group.bench_function("one-by-one", |b| {
        b.iter(|| batch.iter().map(|d| deboil::clean_document(rules, *d).removals.len()).sum::<usize>())
    });
    group.bench_function("together", |b| {
        b.iter(|| {
            deboil::clean_documents(rules, black_box(&batch)).iter().map(|c| c.removals.len()).sum::<usize>()
        })
    });
    group.finish();
}

/// The line classifier alone, per line: features of a document, and features plus trees.
fn bench_model(c: &mut Criterion) {
    let rules = RuleSet::defaults();
    let model = rules.rules().iter().find_map(|r| r.model.clone()).expect("a built-in model");
    let doc = document(64);
    let texts: Vec<&str> = doc.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let hits = vec![false; texts.len()];
    let mut group = c.benchmark_group("model-per-line");
    group.throughput(Throughput::Elements(texts.len() as u64));
    let (mut rows, mut out) = (Vec::new(), Vec::new());
    group.bench_function("features", |b| {
        b.iter(|| {
            deboil::model::features::document_features(black_box(&texts), &hits, &model.stopwords, &mut rows);
            rows.len()
        })
    });
    group.bench_function("features-and-trees", |b| {
        b.iter(|| {
            model.score(black_box(&texts), &hits, &mut rows, &mut out);
            out.len()
        })
    });
    group.finish();
}

/// Language detection, per document: English prose (decided early) and a short line that
/// never decides (read to the end).
fn bench_detect(c: &mut Criterion) {
    let doc = document(16);
    let mut group = c.benchmark_group("detect-language");
    group.bench_function("english-document", |b| b.iter(|| deboil::lang::detect(black_box(&doc))));
    group.bench_function("short-undecided", |b| {
        b.iter(|| deboil::lang::detect(black_box("Foto: dpa | Startseite | 12.03.2024")))
    });
    group.finish();
}

criterion_group!(benches, bench, bench_model, bench_detect);
criterion_main!(benches);
