//! Regexes compiled on first use. The built-in packs hold hundreds of patterns, most of them in
//! languages a given corpus never shows; compiling them all at start-up cost more than cleaning
//! a few hundred megabytes. A rule from a user's file is compiled when it is loaded (so a bad
//! pattern is an error there, with its location); a built-in rule, tested in CI, when it first
//! runs. The regexes the prefilter derives from a rule's are compiled on first use too.

use std::sync::{Arc, OnceLock};

use regex::{Regex, RegexBuilder};
use regex_automata::meta;
use regex_syntax::hir::Hir;

/// Limit on the compiled size of one rule's regex, so a hostile rule file cannot blow up memory.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// A rule's regex: compiled already, or its pattern, to compile once when first needed.
#[derive(Debug, Clone)]
pub struct LazyRegex {
    pattern: Arc<str>,
    case_insensitive: bool,
    compiled: Arc<OnceLock<Regex>>,
}

impl LazyRegex {
    /// A regex compiled now.
    pub fn compiled(re: Regex, pattern: &str, case_insensitive: bool) -> LazyRegex {
        let compiled = Arc::new(OnceLock::new());
        let _ = compiled.set(re);
        LazyRegex { pattern: pattern.into(), case_insensitive, compiled }
    }

    /// A regex compiled on first use; the pattern must compile (built-in rules, tested).
    pub fn deferred(pattern: &str, case_insensitive: bool) -> LazyRegex {
        LazyRegex { pattern: pattern.into(), case_insensitive, compiled: Arc::new(OnceLock::new()) }
    }

    /// The regex, compiled now if it was not yet.
    pub fn get(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            compile_regex(&self.pattern, self.case_insensitive)
                .unwrap_or_else(|e| panic!("built-in pattern {:?} does not compile: {e}", self.pattern))
        })
    }

    /// Whether the regex matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.get().is_match(text)
    }
}

/// A rule's patterns as the one pattern of its regex: each an alternative (one alone as
/// written).
pub fn joined(patterns: &[String]) -> String {
    match patterns {
        [one] => one.clone(),
        _ => patterns.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|"),
    }
}

/// Compiles one pattern with the limits every rule gets; the error is a one-paragraph message.
pub fn compile_regex(pattern: &str, case_insensitive: bool) -> Result<Regex, String> {
    // The flag goes into the pattern text so that the rule set's RegexSet, built from
    // `Regex::as_str`, matches exactly as the rule's own regex does.
    let pattern = if case_insensitive { format!("(?i){pattern}") } else { pattern.to_string() };
    RegexBuilder::new(&pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(2 * REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(limit) => {
                format!("regex too large: its compiled form exceeds the limit of {limit} bytes")
            }
            other => format!("invalid regex: {}", other.to_string().replace('\n', "\n    ")),
        })
}

/// A regex the prefilter derives from a rule's (one alternative alone, or its word boundaries
/// changed), compiled on first use: most checks of a large rule set never run on a given
/// corpus. One that exceeds the limits is left out (`None`), and the check runs the rule's
/// own regex instead, which gives the same answer more slowly.
#[derive(Debug)]
pub(super) struct Derived {
    /// The derived pattern, written out: far smaller than its syntax tree, which a rule set
    /// would otherwise keep for every alternative of every rule.
    pattern: Box<str>,
    compiled: OnceLock<Option<meta::Regex>>,
}

impl Derived {
    /// The regex of `hir`, to compile when first asked for.
    pub(super) fn new(hir: Hir) -> Arc<Derived> {
        Arc::new(Derived { pattern: hir.to_string().into(), compiled: OnceLock::new() })
    }

    /// The regex, compiled now if it was not yet; `None` when it exceeds the limits.
    pub(super) fn get(&self) -> Option<&meta::Regex> {
        self.compiled.get_or_init(|| compile_derived(&self.pattern).ok()).as_ref()
    }
}

/// Compiles a pattern the prefilter derived from a rule's, within the limits rule patterns
/// get (they are no larger than the rule's own).
fn compile_derived(pattern: &str) -> Result<meta::Regex, String> {
    meta::Regex::builder()
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                .hybrid_cache_capacity(2 * REGEX_SIZE_LIMIT)
                .which_captures(regex_automata::nfa::thompson::WhichCaptures::None),
        )
        .build(pattern)
        .map_err(|e| format!("compiling the rule set: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_join_as_alternatives() {
        assert_eq!(joined(&["^a".into()]), "^a");
        assert_eq!(joined(&["^a".into(), "b$".into()]), "(?:^a)|(?:b$)");
        let re = LazyRegex::deferred(&joined(&["^a".into(), "b$".into()]), true);
        assert!(re.is_match("Ax") && re.is_match("xB") && !re.is_match("xa"));
    }

    // A derived pattern is kept written out and compiled from its text: it must match as the
    // syntax tree it was written from.
    #[test]
    fn derived_patterns_match_as_their_syntax_trees() {
        let patterns = [
            (r"\bAd\b", true),
            (r"(?-u:\b)Photo(?-u:\b): \p{Lu}[\p{L}.'’-]*$", false),
            (r"^(?:More|Read) from [^!?]{0,40}$", true),
            (r"[.!?)”]\s?(?:REUTERS|AFP)/\p{Lu}\w+(?:\s+\p{Lu}\w+){0,3}$", false),
            (r"(?:)", false),
            (r"^\[?!\[[^\]]*\]\((?:<[^>]*>|[^)\s]*)\)$", false),
        ];
        let lines = [
            "Ad",
            "AD here",
            "Bad",
            "Photo: Ana Ruiz",
            "Foto: ñ",
            "read from the Times",
            "more from Ünïcode Site",
            "Calm. REUTERS/Jane Doe",
            "![a](<b c>)",
            "",
            "über Ad",
        ];
        for (pattern, ci) in patterns {
            let hir = regex_syntax::ParserBuilder::new().case_insensitive(ci).build().parse(pattern).unwrap();
            let tree = meta::Regex::builder().build_from_hir(&hir).unwrap();
            let derived = Derived::new(hir);
            let text = derived.get().unwrap_or_else(|| panic!("{pattern} does not compile written out"));
            for line in lines {
                assert_eq!(text.is_match(line), tree.is_match(line), "{pattern} on {line:?}");
            }
        }
    }

    #[test]
    fn bad_patterns_are_one_paragraph_errors() {
        let e = compile_regex("(unclosed", false).unwrap_err();
        assert!(e.starts_with("invalid regex: ") && !e.contains("\n\n"), "{e}");
        let big = compile_regex(r"\w{1000}\w{1000}\w{1000}", false).unwrap_err();
        assert!(big.starts_with("regex too large"), "{big}");
    }
}
