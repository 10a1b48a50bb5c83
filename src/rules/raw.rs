//! Serde mirror of a rule file, before validation. Every field a user may get wrong keeps its
//! span so that errors can point at `file:line:col`.

use serde::Deserialize;
use toml::Spanned;

/// A whole rule file: `[[rule]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    /// Languages every rule of the file is limited to, unless a rule gives its own.
    #[serde(default)]
    pub langs: Vec<Spanned<String>>,
    #[serde(default)]
    pub rule: Vec<Spanned<RawRule>>,
}

/// One `[[rule]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub id: Spanned<String>,
    pub category: Spanned<String>,
    pub kind: Spanned<String>,
    pub description: Spanned<String>,
    pub pattern: Option<Spanned<String>>,
    pub patterns: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub case_insensitive: bool,
    #[serde(default)]
    pub sites: Vec<Spanned<String>>,
    /// Languages the rule is limited to; replaces the file's `langs` (`[]`: every language).
    pub langs: Option<Vec<Spanned<String>>>,

    // Conditions on the matched line.
    pub min_words: Option<usize>,
    pub max_words: Option<usize>,
    pub max_chars: Option<usize>,
    pub sentence: Option<bool>,
    pub in_head: Option<usize>,
    pub in_tail: Option<usize>,
    #[serde(default)]
    pub after_body: bool,
    pub prev: Option<Spanned<String>>,
    pub next: Option<Spanned<String>>,
    pub max_removed: Option<Spanned<f64>>,

    // Section options.
    pub end: Option<Spanned<String>>,
    pub max_lines: Option<usize>,

    // Duplicate options.
    pub scope: Option<Spanned<String>>,
    pub copies: Option<Spanned<String>>,

    // Caption options.
    pub max_caption_words: Option<usize>,

    // Model options: the classifier itself.
    pub model: Option<Spanned<crate::model::RawModel>>,

    // Examples.
    #[serde(default)]
    pub remove: Vec<Spanned<String>>,
    #[serde(default)]
    pub keep: Vec<Spanned<String>>,
    #[serde(default)]
    pub example: Vec<Spanned<RawExample>>,
}

/// An `[[rule.example]]` table: a document and the exact output the rule alone must give.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExample {
    pub input: String,
    pub output: String,
}
