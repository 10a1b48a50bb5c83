//! Run counts: per document, per rule, per category. Summable across shards.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::Cleaned;

/// At most this many flagged or skipped documents are listed by name in the stats.
pub const LISTED: usize = 1000;

/// Counts for one rule or category.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCount {
    /// Removals credited to it.
    pub hits: u64,
    /// Bytes those removals cover.
    pub bytes: u64,
    /// Documents with at least one such removal.
    pub documents: u64,
}

/// Counts of a run. Every field sums across shards ([`Stats::add`], `deboil stats`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stats {
    /// Documents read (= written + rejected).
    pub documents: u64,
    /// Documents written with at least one removal.
    pub changed: u64,
    /// Documents sent to the rejects file instead of the output (`--min-chars`).
    pub rejected: u64,
    /// Documents left unchanged because the rules would have removed more than
    /// `--max-removed` of them.
    pub flagged: u64,
    /// Documents passed through unchanged because they could not be read (`--on-error skip`).
    pub skipped: u64,
    /// Bytes of document text read.
    pub bytes_in: u64,
    /// Bytes removed by rules from the documents written.
    pub bytes_removed: u64,
    /// Per rule id, for documents written.
    pub rules: BTreeMap<String, RuleCount>,
    /// Per category, for documents written.
    pub categories: BTreeMap<String, RuleCount>,
    /// The first flagged documents (id or file:line) with the share the rules would remove.
    pub flagged_documents: Vec<String>,
    /// The first skipped errors, as messages (file:line: reason).
    pub errors: Vec<String>,
}

impl Stats {
    /// Adds another run's counts into this one.
    pub fn add(&mut self, other: &Stats) {
        self.documents += other.documents;
        self.changed += other.changed;
        self.rejected += other.rejected;
        self.flagged += other.flagged;
        self.skipped += other.skipped;
        self.bytes_in += other.bytes_in;
        self.bytes_removed += other.bytes_removed;
        for (map, theirs) in [(&mut self.rules, &other.rules), (&mut self.categories, &other.categories)] {
            for (k, v) in theirs {
                let c = map.entry(k.clone()).or_default();
                c.hits += v.hits;
                c.bytes += v.bytes;
                c.documents += v.documents;
            }
        }
        extend_capped(&mut self.flagged_documents, &other.flagged_documents);
        extend_capped(&mut self.errors, &other.errors);
    }

    /// Counts one document read.
    pub(crate) fn read(&mut self, input_len: usize) {
        self.documents += 1;
        self.bytes_in += input_len as u64;
    }

    /// Counts the removals of one document written.
    pub(crate) fn removals(&mut self, cleaned: &Cleaned<'_>) {
        if !cleaned.changed() {
            return;
        }
        self.changed += 1;
        self.bytes_removed += cleaned.removed_bytes() as u64;
        let mut seen: Vec<(bool, &str)> = Vec::new();
        for r in &cleaned.removals {
            for (is_rule, map, key) in
                [(true, &mut self.rules, &*r.rule), (false, &mut self.categories, r.category.as_str())]
            {
                let c = map.entry(key.to_string()).or_default();
                c.hits += 1;
                c.bytes += (r.end - r.start) as u64;
                if !seen.contains(&(is_rule, key)) {
                    c.documents += 1;
                    seen.push((is_rule, key));
                }
            }
        }
    }

    pub(crate) fn flag(&mut self, name: String) {
        self.flagged += 1;
        extend_capped(&mut self.flagged_documents, &[name]);
    }

    pub(crate) fn skip(&mut self, message: String) {
        self.skipped += 1;
        extend_capped(&mut self.errors, &[message]);
    }

    /// The one-line summary printed on stderr at the end of a run.
    pub fn summary(&self) -> String {
        let pct =
            if self.bytes_in == 0 { 0.0 } else { 100.0 * self.bytes_removed as f64 / self.bytes_in as f64 };
        let mut s = format!(
            "deboil: {} documents, {} changed, {} rejected, {} flagged, {} skipped; {} of {} bytes removed ({pct:.1}%)",
            self.documents,
            self.changed,
            self.rejected,
            self.flagged,
            self.skipped,
            self.bytes_removed,
            self.bytes_in
        );
        let mut top: Vec<_> = self.rules.iter().collect();
        top.sort_by(|a, b| b.1.hits.cmp(&a.1.hits).then(a.0.cmp(b.0)));
        if !top.is_empty() {
            let names: Vec<String> = top.iter().take(5).map(|(id, c)| format!("{id} ({})", c.hits)).collect();
            s.push_str(&format!("; top rules: {}", names.join(", ")));
        }
        s
    }
}

fn extend_capped(list: &mut Vec<String>, more: &[String]) {
    let room = LISTED.saturating_sub(list.len());
    list.extend(more.iter().take(room).cloned());
}
