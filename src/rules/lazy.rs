//! Regexes compiled on first use. The built-in packs hold hundreds of patterns, most of them in
//! languages a given corpus never shows; compiling them all at start-up cost more than cleaning
//! a few hundred megabytes. A rule from a user's file is compiled when it is loaded (so a bad
//! pattern is an error there, with its location); a built-in rule, tested in CI, when it first
//! runs.

use std::sync::{Arc, OnceLock};

use regex::Regex;

/// A rule's regex: compiled already, or its pattern, to compile once when first needed.
#[derive(Debug, Clone)]
pub(crate) struct LazyRegex {
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
            super::compile::compile_regex(&self.pattern, self.case_insensitive)
                .unwrap_or_else(|e| panic!("built-in pattern {:?} does not compile: {e}", self.pattern))
        })
    }

    /// Whether the regex matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.get().is_match(text)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_built_in_pattern_compiles() {
        let rules = crate::RuleSet::defaults();
        for rule in rules.rules() {
            if let Some(re) = &rule.regex {
                assert!(!re.get().as_str().is_empty(), "{}", rule.id);
            }
        }
    }
}
