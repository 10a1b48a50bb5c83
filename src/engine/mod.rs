//! The per-document cleaner: a pure function from a [`RuleSet`] and a text to the cleaned
//! text and the list of removals. No I/O, no shared state.
//!
//! Semantics (see `rules/README.md`): every rule sees the original document; each rule's
//! matches become candidate byte ranges; overlapping ranges are merged and credited to the
//! first rule in pack order (the others are listed); a line left holding only whitespace goes
//! whole; blank lines left doubled by a removal are collapsed. A document no rule touches is
//! returned borrowed, byte for byte.

mod assemble;
mod candidates;
mod explain;
mod lines;

use std::borrow::Cow;
use std::sync::Arc;

use crate::rules::{Category, RuleSet};

pub use assemble::{LineFate, LineReport, line_reports};
pub use explain::{Decision, LineExplanation, NearMiss, explain};

/// A document to clean: its text and, when known, its URL (for site rules).
#[derive(Debug, Clone, Copy)]
pub struct Document<'t, 'u> {
    /// The text.
    pub text: &'t str,
    /// The page URL, if known.
    pub url: Option<&'u str>,
}

/// One removed range of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

/// Cleans `text` with `rules`, as a document with no known URL (site rules do not apply).
pub fn clean<'a>(rules: &RuleSet, text: &'a str) -> Cleaned<'a> {
    clean_document(rules, Document { text, url: None })
}

/// Cleans a document; site rules apply when its URL's host matches.
pub fn clean_document<'a>(rules: &RuleSet, doc: Document<'a, '_>) -> Cleaned<'a> {
    let lines = lines::Lines::new(doc.text);
    let found = candidates::find(rules, &lines, doc.url);
    if found.is_empty() {
        return Cleaned { text: Cow::Borrowed(doc.text), removals: Vec::new() };
    }
    assemble::assemble(rules, &lines, found)
}
