//! The line matcher alone (no engine around it): which of the built-in rules' patterns match
//! each line of a batch, by kind of line, and what building it from the patterns costs.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use deboil::RuleSet;
use deboil::matcher::{LONG_LINE_WORDS, LineMatcher, PatternSource, analyse_all};
use std::hint::black_box;

/// Article prose: most of a corpus's lines, and most of its bytes (the long ones).
const PROSE: &[&str] = &[
    "The harbour authority approved the new ferry timetable on Thursday after a month of \
     consultation with island residents, who had complained that the winter sailings left them \
     stranded on weekends.",
    "Officials said the bridge would reopen to light traffic by the end of the month.",
    "Wheat prices climbed for a third straight session as traders weighed dry weather across the \
     southern plains against a stronger dollar, which tends to make exports less competitive \
     abroad.",
    "\"We did not expect the water to come up so fast,\" said Marta Quill, who has run the bakery \
     on Dock Street for eleven years.",
    "The museum, closed since the fire in 2021, will open its east wing first.",
    "In a statement, the company said it had informed the regulator and was cooperating fully \
     with the inquiry, but declined to say how many customers had been affected or when the \
     breach was first noticed.",
    "Turnout was 61.4%, up from 55% at the last election.",
    "Die Gemeinde will bis zum Herbst entscheiden, ob die alte Schule abgerissen oder umgebaut \
     wird, sagte der Bürgermeister am Dienstag vor Journalisten.",
    "Le conseil municipal a voté mardi soir la rénovation du marché couvert, un chantier de deux ans.",
    "Click-through rates for the campaign were lower than forecast, the report found.",
];

/// Photo captions: a sentence about a picture, often with a place and a date.
const CAPTIONS: &[&str] = &[
    "Rescue workers search the rubble of a collapsed warehouse in Orlen Bay, March 3, 2024.",
    "A heron stands in the shallows of the flooded meadow outside Kessing.",
    "Image: a crane lifts the last section of the footbridge into place",
    "Photo: Lena Farrow",
    "Supporters wave flags outside the county hall as the results are announced.",
    "File photo: The old lighthouse at Carrow Point, seen from the north pier.",
];

/// Wire and photo credits.
const CREDITS: &[&str] = &[
    "REUTERS/Tomas Ardent",
    "(AP Photo/Nadia Pell)",
    "Photograph: Ivo Strand/Getty Images",
    "AFP via Getty Images",
    "Foto: dpa | Kai Hollmer",
    "Credit: Jun Okafor for The Harbour Times",
    "Reporting by Ada Brenner; Editing by Paul Senn",
];

/// Teasers, prompts and other residue around an article.
const TEASERS: &[&str] = &[
    "Read more: How the ferry timetable was decided",
    "READ MORE",
    "More from Harbour Times",
    "Sign up for our morning briefing",
    "Share this article",
    "Advertisement",
    "Watch the storm roll in over the bay - YouTube",
    "Click here to subscribe to our newsletter.",
    "Follow us on Instagram",
    "Related: Council delays vote on harbour lease",
    "Lesen Sie auch: Die Brücke bleibt gesperrt",
    "© 2024 Harbour Times. All rights reserved.",
];

/// Each line with whether it is long (more than [`LONG_LINE_WORDS`] words), as the engine
/// tells the matcher.
fn with_length(lines: &[&'static str]) -> Vec<(&'static str, bool)> {
    lines.iter().map(|l| (*l, l.split_whitespace().count() > LONG_LINE_WORDS)).collect()
}

/// The built-in rules that have a pattern, as the matcher's sources.
fn sources(rules: &RuleSet) -> Vec<PatternSource<'_>> {
    rules
        .rules()
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.kind.is_structural() && !r.patterns.is_empty())
        .map(|(i, r)| PatternSource::new(i, &r.patterns, r.case_insensitive, r.conditions.max_words))
        .collect()
}

fn bench_lines(c: &mut Criterion) {
    let rules = RuleSet::defaults();
    let matcher = LineMatcher::new(&sources(&rules)).expect("the built-in patterns build a matcher");
    let mixed: Vec<&str> = [PROSE, PROSE, PROSE, CAPTIONS, CREDITS, TEASERS].concat();
    let batches: [(&str, Vec<&str>); 5] = [
        ("prose", PROSE.to_vec()),
        ("captions", CAPTIONS.to_vec()),
        ("credits", CREDITS.to_vec()),
        ("teasers", TEASERS.to_vec()),
        ("mixed", mixed),
    ];
    let mut group = c.benchmark_group("match-lines");
    for (name, lines) in &batches {
        let lines = with_length(lines);
        let mut matched = 0usize;
        for &(line, long) in &lines {
            matcher.for_each_match(line, long, |_| true, |_| matched += 1);
        }
        // Junk lines match some pattern, or the bench measures the wrong thing.
        assert!(*name == "prose" || matched > 0, "{name}: no line matches");
        group.throughput(Throughput::Bytes(lines.iter().map(|(l, _)| l.len() as u64).sum()));
        // Which rules match each line: the prefilter, then the regexes it lets through.
        group.bench_with_input(BenchmarkId::new("for-each-match", name), &lines, |b, lines| {
            b.iter(|| {
                let mut hits = 0usize;
                for &(line, long) in lines {
                    matcher.for_each_match(black_box(line), long, |_| true, |_| hits += 1);
                }
                hits
            })
        });
        // The prefilter alone: the tries it plans, no regex run.
        group.bench_with_input(BenchmarkId::new("plan-only", name), &lines, |b, lines| {
            b.iter(|| {
                let mut tries = 0usize;
                for &(line, long) in lines {
                    matcher.plan(black_box(line), long, |_| true, |_| tries += 1);
                }
                tries
            })
        });
    }
    group.finish();
}

/// Building the matcher: analysing every pattern (once per rule set), then indexing the
/// analyses (once per language's subset of the rules).
fn bench_build(c: &mut Criterion) {
    let rules = RuleSet::defaults();
    let sources = sources(&rules);
    let analysed = analyse_all(&sources).expect("the built-in patterns analyse");
    let mut group = c.benchmark_group("build-matcher");
    group.sample_size(10);
    group.bench_function("analyse", |b| b.iter(|| analyse_all(black_box(&sources)).map(|a| a.len())));
    group.bench_function("index", |b| {
        b.iter(|| LineMatcher::from_analysed(black_box(analysed.clone()), rules.len()).is_ok())
    });
    group.finish();
}

criterion_group!(benches, bench_lines, bench_build);
criterion_main!(benches);
