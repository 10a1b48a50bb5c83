//! The cleaner: a pure function from a [`RuleSet`] and a text to the cleaned text and the list
//! of removals (or from a batch of texts to theirs, the same, faster). No I/O, no shared state.
//!
//! Semantics (see `rules/README.md`): every rule sees the original document; each rule's
//! matches become candidate byte ranges; overlapping ranges are merged and credited to the
//! first rule in pack order (the others are listed); a line left holding only whitespace goes
//! whole; blank lines left doubled by a removal are collapsed. A document no rule touches is
//! returned borrowed, byte for byte.

mod assemble;
#[doc(hidden)]
pub mod bench_api;
mod candidates;
mod explain;
mod lines;
mod scope;
mod scoring;
mod tries;

use std::borrow::Cow;
use std::sync::Arc;

use crate::lang::Lang;
use crate::rules::{Category, RuleSet};

pub use assemble::{LineFate, LineReport, line_reports};
pub use explain::{Decision, LineExplanation, ModelScore, NearMiss, explain};
pub use scoring::rule_hits;

/// A document to clean: its text and, when known, its URL (for site rules) and language (for
/// language-scoped rules; detected from the text when not given).
#[derive(Debug, Clone, Copy)]
pub struct Document<'t, 'u> {
    /// The text.
    pub text: &'t str,
    /// The page URL, if known.
    pub url: Option<&'u str>,
    /// The language, if known; `None` detects it when a language-scoped rule asks.
    pub lang: Option<Lang>,
}

impl<'t> Document<'t, '_> {
    /// A document with no known URL or language.
    pub fn new(text: &'t str) -> Self {
        Document { text, url: None, lang: None }
    }
}

/// One removed range of the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal<'a> {
    /// The rule credited with the removal (first in pack order).
    pub rule: Arc<str>,
    /// That rule's category.
    pub category: Category,
    /// Other rules that also matched inside this range, in pack order.
    pub also: Vec<Arc<str>>,
    /// Byte range in the input.
    pub start: usize,
    /// End of the byte range (exclusive).
    pub end: usize,
    /// First line of the range in the input, 1-based.
    pub first_line: usize,
    /// Last line of the range in the input, 1-based, inclusive.
    pub last_line: usize,
    /// The removed text.
    pub text: &'a str,
    /// For removals a `model` rule made or joined: the highest probability of boilerplate it
    /// gave a line of the range.
    pub score: Option<f32>,
}

/// The result of cleaning one document.
#[derive(Debug, Clone)]
pub struct Cleaned<'a> {
    /// The cleaned text; borrowed (identical to the input) when nothing was removed.
    pub text: Cow<'a, str>,
    /// What was removed, in input order, non-overlapping.
    pub removals: Vec<Removal<'a>>,
}

impl Cleaned<'_> {
    /// Whether any rule removed anything.
    pub fn changed(&self) -> bool {
        !self.removals.is_empty()
    }

    /// Bytes removed by rules (blank lines dropped by tidying are not counted).
    pub fn removed_bytes(&self) -> usize {
        self.removals.iter().map(|r| r.end - r.start).sum()
    }

    /// The share of `input`'s characters the removals hold (what `--max-removed` limits);
    /// `input` is the text this was cleaned from.
    pub fn removed_share(&self, input: &str) -> f64 {
        if self.removals.is_empty() {
            return 0.0;
        }
        let removed: usize = self.removals.iter().map(|r| r.text.chars().count()).sum();
        removed as f64 / input.chars().count().max(1) as f64
    }
}

/// Cleans `text` with `rules`, as a document with no known URL (site rules do not apply).
pub fn clean<'a>(rules: &RuleSet, text: &'a str) -> Cleaned<'a> {
    clean_document(rules, Document::new(text))
}

/// Cleans a document; site rules apply when its URL's host matches.
pub fn clean_document<'a>(rules: &RuleSet, doc: Document<'a, '_>) -> Cleaned<'a> {
    clean_documents(rules, &[doc]).pop().expect("one document in, one out")
}

/// Cleans several documents, in order: the same as [`clean_document`] on each, faster on a
/// batch (tens of news articles), since each rule's regex then runs over all of their lines
/// in turn.
pub fn clean_documents<'a>(rules: &RuleSet, docs: &[Document<'a, '_>]) -> Vec<Cleaned<'a>> {
    matched_documents(rules, docs)
        .into_iter()
        .map(|m| {
            let d = decide(rules, m);
            finish(rules, &d.lines, d.found, d.scores.as_ref().map(|(_, s)| s.as_slice()))
        })
        .collect()
}

/// A document with every rule's candidates, the model's included.
struct Decided<'a> {
    lines: lines::Lines<'a>,
    found: Vec<candidates::Candidate>,
    /// The applicable `model` rule and each line's score, when one ran.
    scores: Option<(usize, Vec<f32>)>,
}

/// Scores a matched document's lines with the applicable `model` rule, if any, and adds the
/// lines it removes to the candidates.
fn decide<'a>(rules: &RuleSet, m: Matched<'a>) -> Decided<'a> {
    let Matched { lines, scope, mut found } = m;
    let scores = scoring::score_lines(rules, &lines, &scope, &found);
    if let Some((ri, scores)) = &scores {
        scoring::model_candidates(rules, &lines, *ri, scores, &mut found);
        candidates::enforce_max_removed(rules, lines.input.len(), &mut found);
    }
    Decided { lines, found, scores }
}

/// The cleaned document: the input, borrowed, when there is nothing to remove.
fn finish<'a>(
    rules: &RuleSet,
    lines: &lines::Lines<'a>,
    found: Vec<candidates::Candidate>,
    scores: Option<&[f32]>,
) -> Cleaned<'a> {
    if found.is_empty() {
        return Cleaned { text: Cow::Borrowed(lines.input), removals: Vec::new() };
    }
    assemble::assemble(rules, lines, found, scores)
}

/// For a document a `model` rule applies to: that rule's index and, for each line (`None` for
/// blank ones), its score and the `k` features that moved it most.
pub(crate) fn model_explanations(
    rules: &RuleSet,
    doc: Document<'_, '_>,
    k: usize,
) -> Option<(usize, Vec<Option<crate::model::ScoreExplanation>>)> {
    let m = matched_documents(rules, &[doc]).pop()?;
    let ri = scoring::applicable_model(rules, &m.scope)?;
    let model = rules.rules()[ri].model.as_ref()?;
    let (texts, index, hits) = scoring::model_inputs(&m.lines, &m.found);
    let mut out = vec![None; m.lines.lines.len()];
    for (e, i) in model.explain(&texts, &hits, k).into_iter().zip(index) {
        out[i] = Some(e);
    }
    Some((ri, out))
}

/// A document with what every rule but the `model` rules proposes.
struct Matched<'a> {
    lines: lines::Lines<'a>,
    scope: scope::Scope<'a>,
    found: Vec<candidates::Candidate>,
}

/// Runs every rule but the `model` rules over a batch of documents.
fn matched_documents<'a>(rules: &RuleSet, docs: &[Document<'a, '_>]) -> Vec<Matched<'a>> {
    match_lines(rules, docs, docs.iter().map(|d| lines::Lines::new(d.text)).collect())
}

/// [`matched_documents`], given the documents split into lines (`lines[k]` from `docs[k]`).
fn match_lines<'a>(
    rules: &RuleSet,
    docs: &[Document<'a, '_>],
    lines: Vec<lines::Lines<'a>>,
) -> Vec<Matched<'a>> {
    let scopes: Vec<scope::Scope<'a>> = docs.iter().map(|d| scope::Scope::of(rules, d)).collect();
    let mut planned = Vec::new();
    let mut ends = Vec::with_capacity(docs.len());
    for (d, (lines, scope)) in lines.iter().zip(&scopes).enumerate() {
        candidates::plan(rules, lines, scope, d as u32, &mut planned);
        ends.push(planned.len());
    }
    let matched = tries::run(rules, &lines, &planned);
    let mut from = 0;
    lines
        .into_iter()
        .zip(scopes)
        .zip(ends)
        .map(|((lines, scope), end)| {
            let (tries, hits) = (&planned[from..end], &matched[from..end]);
            from = end;
            let found = candidates::find(rules, &lines, &scope, tries, hits);
            Matched { lines, scope, found }
        })
        .collect()
}
