//! The learned line classifier: features of each line and its neighbourhood
//! ([`features`]), a boosted tree ensemble that scores them ([`forest`]), and its fitting
//! ([`fit`]). It is its own unit: it knows nothing of rule files or the engine, which hand it a
//! document's lines and which of them phrase rules removed, and take back a score per line.

pub mod features;
pub mod fit;
pub mod forest;
mod table;

pub use features::{N_FEATURES, NAMES as FEATURE_NAMES, StopWords};
pub use forest::{Forest, Tree, logit_of, sigmoid};
pub use table::{MODEL_FORMAT, RawModel};

/// A trained classifier and the settings it runs with.
#[derive(Debug, Clone)]
pub struct Model {
    /// The trees.
    pub forest: Forest,
    /// A line is boilerplate when its probability is at least this.
    threshold: f32,
    /// Function words, for the stop-word share.
    pub stopwords: StopWords,
    /// Where the training data came from, with licences and attributions.
    pub provenance: String,
}

/// A line's score and what pushed it: the features with the largest contributions.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreExplanation {
    /// Probability of boilerplate.
    pub probability: f32,
    /// Features by absolute contribution (log-odds), largest first, with the line's value.
    pub top: Vec<(&'static str, f32, f32)>,
}

impl Model {
    /// A model that removes lines scored at least `threshold`.
    pub fn new(forest: Forest, threshold: f32, stopwords: StopWords, provenance: String) -> Model {
        Model { forest, threshold, stopwords, provenance }
    }

    /// The threshold: lines scored at least this are boilerplate.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Sets the threshold.
    pub fn set_threshold(&mut self, threshold: f32) {
        self.threshold = threshold;
    }

    /// Probability of boilerplate for each of `texts` (non-blank lines, trimmed, in order),
    /// given which of them phrase rules removed. A model abstains (0) on a document without
    /// prose ([`features::Measured::for_scoring`]) and on lines outside its remit
    /// ([`features::Measured::in_remit`]): prose, a headline on the first line.
    /// `row` is scratch space, reused across calls.
    pub fn score(&self, texts: &[&str], hits: &[bool], row: &mut Vec<f32>, out: &mut Vec<f32>) {
        out.clear();
        let Some(doc) = features::Measured::for_scoring(texts, hits, &self.stopwords) else {
            out.resize(texts.len(), 0.0);
            return;
        };
        out.extend((0..texts.len()).map(|k| {
            if !doc.in_remit(k) {
                return 0.0;
            }
            row.clear();
            doc.row(k, row);
            sigmoid(self.forest.logit(row))
        }));
    }

    /// The score of every line of `texts`, each with the `top_k` features that moved it most.
    pub fn explain(&self, texts: &[&str], hits: &[bool], top_k: usize) -> Vec<ScoreExplanation> {
        let Some(doc) = features::Measured::for_scoring(texts, hits, &self.stopwords) else {
            let none = ScoreExplanation { probability: 0.0, top: Vec::new() };
            return vec![none; texts.len()];
        };
        let mut contrib = [0f32; N_FEATURES];
        let mut row = Vec::with_capacity(N_FEATURES);
        (0..texts.len())
            .map(|k| {
                if !doc.in_remit(k) {
                    return ScoreExplanation { probability: 0.0, top: Vec::new() };
                }
                row.clear();
                doc.row(k, &mut row);
                let row = &row[..];
                self.forest.contributions(row, &mut contrib);
                let mut top: Vec<(&'static str, f32, f32)> =
                    (0..N_FEATURES).map(|f| (FEATURE_NAMES[f], row[f], contrib[f])).collect();
                top.sort_by(|a, b| b.2.abs().total_cmp(&a.2.abs()).then(a.0.cmp(b.0)));
                top.truncate(top_k);
                top.retain(|t| t.2 != 0.0);
                ScoreExplanation { probability: sigmoid(self.forest.logit(row)), top }
            })
            .collect()
    }
}
