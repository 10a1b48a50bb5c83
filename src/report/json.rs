//! Machine-readable diff records: one JSON object per removal, then a summary object.
//!
//! Field names are stable (documented in README.md).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::Removal;

/// One removal, as `deboil diff --format json` writes it.
#[derive(Debug, Serialize)]
pub struct RemovalRecord<'a> {
    /// The document: JSONL id (or file:line) or the file path.
    pub doc: &'a str,
    /// The rule credited.
    pub rule: &'a str,
    /// Other rules that matched inside the range.
    pub also: Vec<&'a str>,
    /// The rule's category.
    pub category: &'a str,
    /// Byte range in the original text.
    pub start: usize,
    /// End of the byte range (exclusive).
    pub end: usize,
    /// First line, 1-based.
    pub first_line: usize,
    /// Last line, 1-based, inclusive.
    pub last_line: usize,
    /// The removed text.
    pub text: &'a str,
    /// The line classifier's probability of boilerplate, when it made or joined the removal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
}

impl<'a> RemovalRecord<'a> {
    /// The record of `r` in document `doc`.
    pub fn new(doc: &'a str, r: &'a Removal<'a>) -> RemovalRecord<'a> {
        RemovalRecord {
            doc,
            rule: &r.rule,
            also: r.also.iter().map(|a| &**a).collect(),
            category: r.category.as_str(),
            start: r.start,
            end: r.end,
            first_line: r.first_line,
            last_line: r.last_line,
            text: r.text,
            score: r.score.map(|p| (p * 1000.0).round() / 1000.0),
        }
    }
}

/// Counts for the final `{"summary": ...}` object and for `--stat`.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Documents read.
    pub documents: u64,
    /// Documents with a shown removal.
    pub changed: u64,
    /// Shown removals.
    pub removals: u64,
    /// Bytes they cover.
    pub bytes_removed: u64,
    /// Per rule: hits, bytes, documents.
    pub rules: BTreeMap<String, RuleSummary>,
}

/// Counts for one rule.
#[derive(Debug, Default, Serialize)]
pub struct RuleSummary {
    /// The rule's category.
    pub category: String,
    /// Removals.
    pub hits: u64,
    /// Bytes.
    pub bytes: u64,
    /// Documents.
    pub documents: u64,
}

impl Summary {
    /// Counts one document from `(rule, category, bytes)` triples of its shown removals.
    pub fn add_counts(&mut self, removals: &[(String, String, u64)]) {
        self.documents += 1;
        let mut seen: Vec<&str> = Vec::new();
        for (rule, category, bytes) in removals {
            self.removals += 1;
            self.bytes_removed += bytes;
            let entry = self.rules.entry(rule.clone()).or_default();
            entry.category.clone_from(category);
            entry.hits += 1;
            entry.bytes += bytes;
            if !seen.contains(&rule.as_str()) {
                entry.documents += 1;
                seen.push(rule);
            }
        }
        if !seen.is_empty() {
            self.changed += 1;
        }
    }

    /// The per-rule table printed by `--stat`, most hits first.
    pub fn table(&self) -> String {
        let mut rows: Vec<(&String, &RuleSummary)> = self.rules.iter().collect();
        rows.sort_by(|a, b| b.1.hits.cmp(&a.1.hits).then(a.0.cmp(b.0)));
        let mut out =
            format!("{:<36} {:<11} {:>7} {:>6} {:>9}\n", "rule", "category", "hits", "docs", "bytes");
        for (id, r) in rows {
            out.push_str(&format!(
                "{id:<36} {:<11} {:>7} {:>6} {:>9}\n",
                r.category, r.hits, r.documents, r.bytes
            ));
        }
        out.push_str(&format!(
            "{} documents, {} changed, {} removals, {} bytes removed\n",
            self.documents, self.changed, self.removals, self.bytes_removed
        ));
        out
    }
}
