//! Training a `model` rule from labelled pages: load them ([`data`]), find what the phrase
//! rules remove on each (the model's rule features), turn every line into a feature row,
//! score each source held out in turn, and fit the model on all of them.
//!
//! Each group of pages (a source of a data set) weighs the same in the loss, whatever its
//! size, so a large source does not drown the others.

pub mod data;

use rayon::prelude::*;

use crate::engine::{Document, clean_documents, rule_hits};
use crate::model::fit::{Params, Samples, fit};
use crate::model::{Model, N_FEATURES, StopWords, features};
use crate::rules::RuleSet;

pub use data::{LabelledPage, TrainError, load};

/// Feature rows of labelled lines, with the page, group and source each came from.
#[derive(Debug, Default)]
pub struct Rows {
    /// Feature rows, `N_FEATURES` numbers each.
    pub features: Vec<f32>,
    /// Whether each line is boilerplate.
    pub labels: Vec<bool>,
    /// Whether a phrase rule removed (part of) each line.
    pub hits: Vec<bool>,
    /// Index of each row's group in `groups`.
    pub group: Vec<u32>,
    /// Each row's page (index into the pages featurized) and line (0-based) in it.
    pub origin: Vec<(u32, u32)>,
    /// Group names (`DATASET/SOURCE`), and the source each belongs to.
    pub groups: Vec<(String, String)>,
    /// Relative weight of each group (1 unless set with [`Rows::weigh`]).
    pub group_weight: Vec<f32>,
}

impl Rows {
    /// Weighs the groups of data set `dataset` (the part of the group name before `/`) by `w`;
    /// returns how many groups matched.
    pub fn weigh(&mut self, dataset: &str, w: f32) -> usize {
        let mut n = 0;
        for (g, (name, _)) in self.groups.iter().enumerate() {
            if name.split('/').next() == Some(dataset) {
                self.group_weight[g] = w;
                n += 1;
            }
        }
        n
    }
}

/// One page's labelled lines: feature rows, labels, rule hits and line numbers.
#[derive(Default)]
struct PageRows {
    features: Vec<f32>,
    labels: Vec<bool>,
    hits: Vec<bool>,
    lines: Vec<u32>,
}

/// Builds feature rows for the labelled lines of `pages`, with `rules` (its `model` rules are
/// not run) giving the rule features.
///
/// Lines a model never scores are left out: those of pages without prose, prose between
/// prose, and a page's first line when it reads like a headline (the labels of extraction
/// benchmarks call headlines boilerplate; deboil keeps them).
pub fn featurize(rules: &RuleSet, pages: &[LabelledPage], stop: &StopWords) -> Rows {
    let per_page: Vec<PageRows> = pages
        .par_chunks(64)
        .flat_map_iter(|chunk| {
            let docs: Vec<Document<'_, '_>> =
                chunk.iter().map(|p| Document { text: &p.text, url: p.url.as_deref(), lang: None }).collect();
            let cleaned = clean_documents(rules, &docs);
            chunk
                .iter()
                .zip(cleaned)
                .map(|(page, c)| {
                    let (texts, index, hits) = rule_hits(&page.text, &c.removals);
                    // A model abstains on pages without prose, so it learns nothing from them.
                    let Some(doc) = features::Measured::for_scoring(&texts, &hits, stop) else {
                        return PageRows::default();
                    };
                    let mut out = PageRows::default();
                    for (k, &i) in index.iter().enumerate() {
                        if !doc.in_remit(k) {
                            continue;
                        }
                        if let Some(Some(label)) = page.labels.get(i) {
                            doc.row(k, &mut out.features);
                            out.labels.push(*label);
                            out.hits.push(hits[k]);
                            out.lines.push(i as u32);
                        }
                    }
                    out
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut out = Rows::default();
    for (p, (page, rows)) in pages.iter().zip(per_page).enumerate() {
        let key = (page.group.clone(), page.source.clone());
        let g = match out.groups.iter().position(|k| *k == key) {
            Some(g) => g,
            None => {
                out.groups.push(key);
                out.group_weight.push(1.0);
                out.groups.len() - 1
            }
        };
        out.group.extend(std::iter::repeat_n(g as u32, rows.labels.len()));
        out.origin.extend(rows.lines.into_iter().map(|i| (p as u32, i)));
        out.features.extend(rows.features);
        out.labels.extend(rows.labels);
        out.hits.extend(rows.hits);
    }
    out
}

/// Loss weights that give every group the same total (times its relative weight), with a
/// mean of 1 per row.
fn group_weights(rows: &Rows, keep: impl Fn(usize) -> bool) -> Vec<f32> {
    let mut counts = vec![0usize; rows.groups.len()];
    for (r, &g) in rows.group.iter().enumerate() {
        if keep(r) {
            counts[g as usize] += 1;
        }
    }
    let present = counts.iter().filter(|&&c| c > 0).count().max(1);
    let total: usize = counts.iter().sum();
    rows.group
        .iter()
        .map(|&g| {
            rows.group_weight[g as usize] * total as f32 / (present as f32 * counts[g as usize].max(1) as f32)
        })
        .collect()
}

/// Fits a forest on the rows for which `keep` holds.
fn fit_rows(rows: &Rows, keep: impl Fn(usize) -> bool + Copy, params: &Params) -> crate::model::Forest {
    let idx: Vec<usize> = (0..rows.labels.len()).filter(|&r| keep(r)).collect();
    let weights_all = group_weights(rows, keep);
    let mut features = Vec::with_capacity(idx.len() * N_FEATURES);
    let (mut labels, mut weights) = (Vec::with_capacity(idx.len()), Vec::with_capacity(idx.len()));
    for &r in &idx {
        features.extend_from_slice(&rows.features[r * N_FEATURES..(r + 1) * N_FEATURES]);
        labels.push(rows.labels[r]);
        weights.push(weights_all[r]);
    }
    fit(Samples { rows: &features, n_features: N_FEATURES, labels: &labels, weights: &weights }, params)
}

/// Counts of removed lines against labels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Boilerplate lines removed.
    pub tp: usize,
    /// Content lines removed.
    pub fp: usize,
    /// Boilerplate lines kept.
    pub fn_: usize,
}

impl Counts {
    /// Precision of removals (1 when nothing was removed).
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 { 1.0 } else { self.tp as f64 / (self.tp + self.fp) as f64 }
    }

    /// Recall of boilerplate.
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 { 1.0 } else { self.tp as f64 / (self.tp + self.fn_) as f64 }
    }

    /// Counts one line: whether it was removed, and whether it is boilerplate.
    pub fn add(&mut self, removed: bool, label: bool) {
        match (removed, label) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => {}
        }
    }
}

/// One group's result with its source held out: the phrase rules alone, and with the model.
#[derive(Debug, Clone)]
pub struct HeldOut {
    /// The group (`DATASET/SOURCE`).
    pub group: String,
    /// Labelled lines in it.
    pub lines: usize,
    /// The rules alone.
    pub rules: Counts,
    /// The rules and the model trained without the group's source.
    pub with_model: Counts,
}

/// Scores every group with its source held out of training: for each source, a model is fitted
/// on the others and applied to it at `threshold`. Out-of-fold probabilities are returned too.
pub fn cross_validate(rows: &Rows, params: &Params, threshold: f32) -> (Vec<HeldOut>, Vec<f32>) {
    let mut sources: Vec<&str> = rows.groups.iter().map(|(_, s)| s.as_str()).collect();
    sources.sort_unstable();
    sources.dedup();
    let mut probs = vec![f32::NAN; rows.labels.len()];
    for source in &sources {
        let held = |r: usize| rows.groups[rows.group[r] as usize].1 == *source;
        if (0..rows.labels.len()).all(held) {
            continue;
        }
        let forest = fit_rows(rows, |r| !held(r), params);
        for r in (0..rows.labels.len()).filter(|&r| held(r)) {
            probs[r] =
                crate::model::sigmoid(forest.logit(&rows.features[r * N_FEATURES..(r + 1) * N_FEATURES]));
        }
    }
    let results = rows
        .groups
        .iter()
        .enumerate()
        .map(|(g, (name, _))| {
            let mut out = HeldOut {
                group: name.clone(),
                lines: 0,
                rules: Counts::default(),
                with_model: Counts::default(),
            };
            for r in (0..rows.labels.len()).filter(|&r| rows.group[r] as usize == g && !probs[r].is_nan()) {
                out.lines += 1;
                out.rules.add(rows.hits[r], rows.labels[r]);
                out.with_model.add(rows.hits[r] || probs[r] >= threshold, rows.labels[r]);
            }
            out
        })
        .collect();
    (results, probs)
}

/// Fits the model on every row.
pub fn train(rows: &Rows, params: &Params, threshold: f32, stop: StopWords, provenance: String) -> Model {
    Model::new(fit_rows(rows, |_| true, params), threshold, stop, provenance)
}

/// The default function words: the most common ones of English, German, French, Spanish,
/// Italian, Portuguese and Dutch, so that prose in any of them reads as prose.
pub const DEFAULT_STOPWORDS: &[&str] = &[
    // English
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "was", "on", "with", "as", "he", "she",
    "be", "at", "by", "this", "had", "not", "are", "but", "from", "or", "have", "an", "they", "which", "one",
    "you", "were", "her", "all", "their", "there", "been", "has", "would", "will", "if", "its", "so", "who",
    "we", "his", "when", "what", "about", "into", "than", "them", "can", "only", "other", "also", "after",
    "said", "more", "some", "could", "these", "our", "i", "my", // German
    "der", "die", "und", "das", "ist", "nicht", "mit", "von", "zu", "den", "sich", "des", "auf", "für", "im",
    "dem", "ein", "eine", "es", "auch", "als", "an", "wie", "bei", "aus", "nach", "wird", "hat", "sind",
    "werden", "oder", "noch", "einer", "um", "sie", "er", "war", "dass", // French
    "le", "la", "les", "et", "des", "est", "un", "une", "du", "en", "que", "qui", "dans", "pour", "pas",
    "sur", "au", "par", "avec", "ce", "il", "elle", "sont", "mais", "aux", "ont", "été",
    // Spanish
    "el", "los", "las", "y", "del", "se", "por", "con", "para", "una", "su", "al", "lo", "como", "más",
    "pero", "sus", "le", "ha", "fue", "este", "entre", "cuando", "muy", "sin", "sobre", // Italian
    "il", "di", "che", "è", "non", "per", "una", "sono", "della", "nel", "alla", "anche", "gli", "ma",
    "delle", "dei", "come", "più", "questo", // Portuguese
    "o", "os", "do", "da", "em", "não", "uma", "com", "mais", "dos", "das", "ao", "ele", "foi", "na", "no",
    "pelo", "pela", "são", // Dutch
    "het", "een", "van", "zijn", "op", "te", "dat", "niet", "met", "voor", "hij", "ook", "maar", "om", "aan",
    "er", "bij", "nog", "wordt", "worden", "naar",
];
