//! deboil strips boilerplate from scraped news text: photo captions and credits, "More from"
//! teaser sections, promos, newsletter and share prompts, embed residue, ad markers.
//!
//! Rules are data (TOML files, see `rules/README.md`); [`RuleSet::defaults`] holds the
//! built-in packs. Cleaning one document is a pure function:
//!
//! ```
//! let rules = deboil::RuleSet::defaults();
//! let text = "Troops crossed the river at dawn, officials said.\nREUTERS/Jane Doe\n";
//! let cleaned = deboil::clean(&rules, text);
//! assert!(!cleaned.text.contains("REUTERS/Jane Doe"));
//! assert_eq!(cleaned.removals[0].category, deboil::Category::Credit);
//! ```
//!
//! The `io` and `runner` modules stream whole corpora (text files, JSONL) through it in
//! parallel, in input order.

#[doc(hidden)]
pub mod cli;
pub mod engine;
pub mod io;
pub mod lang;
pub mod matcher;
pub mod mine;
pub mod model;
pub mod report;
pub mod rule_tests;
pub mod rules;
pub mod runner;
pub mod training;

pub use engine::{Cleaned, Document, Removal, clean, clean_document, clean_documents};
pub use rules::{Category, Kind, Rule, RuleError, RuleSet, RuleSetBuilder};
