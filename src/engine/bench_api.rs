//! The steps of [`clean_documents`](super::clean_documents) one at a time, for the per-stage
//! benchmark (`benches/stages.rs`): not a stable interface. Each step is the engine's own
//! function; run in order, they clean as `clean_documents` does.

use crate::model::Model;
use crate::rules::RuleSet;

use super::{Cleaned, Document, lines::Lines};

/// A batch of documents split into lines.
pub struct Split<'a>(Vec<Lines<'a>>);

/// A document with what every rule but the `model` rules proposes.
pub struct Matched<'a>(super::Matched<'a>);

/// A document with every rule's candidates, the model's included: what assembly needs.
pub struct Decided<'a>(super::Decided<'a>);

/// Splits each document into lines.
pub fn split<'a>(docs: &[Document<'a, '_>]) -> Split<'a> {
    Split(docs.iter().map(|d| Lines::new(d.text)).collect())
}

/// Runs every rule but the `model` rules (prefilter, regexes, conditions) over `docs`, split.
pub fn match_lines<'a>(rules: &RuleSet, docs: &[Document<'a, '_>], split: Split<'a>) -> Vec<Matched<'a>> {
    super::match_lines(rules, docs, split.0).into_iter().map(Matched).collect()
}

impl<'a> Matched<'a> {
    /// The applicable model and what it scores: the non-blank lines and whether the other
    /// rules' candidates touch each; `None` when no `model` rule applies to the document.
    pub fn model_inputs<'r>(&self, rules: &'r RuleSet) -> Option<(&'r Model, Vec<&'a str>, Vec<bool>)> {
        let ri = super::scoring::applicable_model(rules, &self.0.scope)?;
        let model = rules.rules()[ri].model.as_ref()?;
        let (texts, _, hits) = super::scoring::model_inputs(&self.0.lines, &self.0.found);
        Some((model, texts, hits))
    }
}

/// Scores the document's lines with the applicable model, if any, adding its removals.
pub fn decide<'a>(rules: &RuleSet, m: Matched<'a>) -> Decided<'a> {
    Decided(super::decide(rules, m.0))
}

/// The cleaned document, assembled from a copy of the candidates.
pub fn assemble<'a>(rules: &RuleSet, d: &Decided<'a>) -> Cleaned<'a> {
    let d = &d.0;
    super::finish(rules, &d.lines, d.found.clone(), d.scores.as_ref().map(|(_, s)| s.as_slice()))
}
