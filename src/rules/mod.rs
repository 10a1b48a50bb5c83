//! Rule files: parse (TOML) → validate → compile into a [`RuleSet`] the engine runs.
//!
//! A rule file holds `[[rule]]` tables; `rules/README.md` is the reference for every field.
//! Loading is all-or-nothing: any error in any file refuses the whole set.

mod builtin;
mod category;
mod compile;
mod error;
pub mod examples;
mod raw;
mod sites;

use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use regex::Regex;

use crate::matcher::{self, LazyRegex, LineMatcher};

pub use crate::matcher::{LONG_LINE_WORDS, REGEX_SIZE_LIMIT};

pub use builtin::{BUILTIN_PACKS, BuiltinPack};
pub use category::{Category, Kind};
pub use error::{Excerpt, Location, RuleError};
pub use sites::{SiteGlob, host_of};

/// A validated, compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Unique id, named for the junk it matches (`wire-photo-credit`).
    pub id: Arc<str>,
    /// What kind of junk it removes.
    pub category: Category,
    /// How a match becomes a removal.
    pub kind: Kind,
    /// One-line human description.
    pub description: String,
    /// Where the rule is defined.
    pub source: Location,
    /// The patterns as written (joined as alternatives), for `rules show`.
    pub patterns: Vec<String>,
    /// Whether the patterns ignore case.
    pub case_insensitive: bool,
    /// The compiled pattern (compiled on first use for built-in rules); `None` only for
    /// structural and model rules without one.
    pub(crate) regex: Option<LazyRegex>,
    /// Structural conditions the matched line must meet.
    pub conditions: Conditions,
    /// Hosts the rule is limited to; empty means every document.
    pub sites: Vec<SiteGlob>,
    /// Languages the rule is limited to; empty means every language. A document whose
    /// language is not known meets every rule.
    pub langs: Vec<crate::lang::Lang>,
    /// Largest share (0-1] of a document's bytes this rule may remove; above it, the rule's
    /// removals in that document are dropped.
    pub max_removed: Option<f64>,
    /// `section`: the section ends before the first line matching this.
    pub(crate) end: Option<Regex>,
    /// `section`: the section takes at most this many non-blank lines after its first.
    pub max_lines: Option<usize>,
    /// `caption`: the longest line (in words) taken as the caption above a credit.
    pub max_caption_words: usize,
    /// `duplicate`: compare with every earlier line, not only the previous non-blank one.
    pub whole_document: bool,
    /// `duplicate`: remove the first copy with its repeats (`copies = "all"`), except on the
    /// document's first non-blank line (its title) and in a contents list.
    pub first_copy_too: bool,
    /// `model`: the classifier.
    pub model: Option<Arc<crate::model::Model>>,
    /// The rule's examples, run by `deboil rules test`.
    pub examples: Vec<examples::Example>,
}

impl Rule {
    /// Whether the prefilter matches this rule line by line: a rule with a pattern that is
    /// neither a `model` rule nor a structural kind (those the engine runs itself).
    fn is_line_pattern(&self) -> bool {
        self.regex.is_some() && self.kind != Kind::Model && !self.kind.is_structural()
    }

    /// The `end` pattern of a `section` rule, as written.
    pub fn section_end(&self) -> Option<&str> {
        self.end.as_ref().map(Regex::as_str)
    }
}

/// Structural conditions on the matched line: all given ones must hold.
#[derive(Debug, Clone, Default)]
pub struct Conditions {
    /// At least this many words.
    pub min_words: Option<usize>,
    /// At most this many words.
    pub max_words: Option<usize>,
    /// At most this many characters.
    pub max_chars: Option<usize>,
    /// `Some(true)`: the line must end like a sentence; `Some(false)`: it must not.
    pub sentence: Option<bool>,
    /// Among the first N non-blank lines.
    pub in_head: Option<usize>,
    /// Among the last N non-blank lines.
    pub in_tail: Option<usize>,
    /// After the last body paragraph (a line of at least [`BODY_WORDS`] words ending like a sentence).
    pub after_body: bool,
    /// The previous non-blank line must match this.
    pub(crate) prev: Option<Regex>,
    /// The next non-blank line must match this.
    pub(crate) next: Option<Regex>,
}

impl std::fmt::Display for Conditions {
    /// The conditions as they are written in a rule file (`max_words = 8, sentence = false`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        let mut num = |name: &str, v: Option<usize>| {
            if let Some(v) = v {
                parts.push(format!("{name} = {v}"));
            }
        };
        num("min_words", self.min_words);
        num("max_words", self.max_words);
        num("max_chars", self.max_chars);
        num("in_head", self.in_head);
        num("in_tail", self.in_tail);
        if let Some(s) = self.sentence {
            parts.push(format!("sentence = {s}"));
        }
        if self.after_body {
            parts.push("after_body = true".into());
        }
        for (name, re) in [("prev", &self.prev), ("next", &self.next)] {
            if let Some(re) = re {
                parts.push(format!("{name} = '{}'", re.as_str()));
            }
        }
        if parts.is_empty() {
            return f.write_str("none");
        }
        f.write_str(&parts.join(", "))
    }
}

/// A line with at least this many words that ends like a sentence is a body paragraph.
pub const BODY_WORDS: usize = 25;

/// Default for `max_caption_words`.
pub const DEFAULT_MAX_CAPTION_WORDS: usize = 50;

/// A compiled set of rules, ready for the engine to clean documents with.
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<Rule>,
    /// The prefilter over every rule that has a pattern (all kinds but `duplicate`): for
    /// documents whose language is not known, and for `explain`.
    pub(crate) matcher: LineMatcher,
    /// Each rule's analysis by the prefilter, from which the per-language ones are built.
    analysed: Vec<matcher::Analysed>,
    /// Languages some rule is limited to, sorted.
    langs: Vec<crate::lang::Lang>,
    /// The prefilter for documents in `langs[i]` is `by_lang[i]`, for documents in any other
    /// known language `by_lang[langs.len()]`: each over the rules that apply there, built on
    /// first use (an English corpus never pays for the other languages' rules).
    by_lang: Vec<std::sync::OnceLock<LineMatcher>>,
    /// Rules that compare lines rather than match a pattern (`duplicate`, `doubled`).
    pub(crate) structural_rules: Vec<usize>,
    /// `model` rules, which score lines once every other rule has matched.
    pub(crate) model_rules: Vec<usize>,
    /// Whether any rule is limited to sites (so the engine must look at the URL).
    pub(crate) has_site_rules: bool,
}

impl RuleSet {
    /// The built-in default rules.
    pub fn defaults() -> RuleSet {
        let mut b = RuleSetBuilder::new();
        b.add_defaults().expect("built-in rules are valid (tested)");
        b.build().expect("built-in rules compile (tested)")
    }

    /// Compiles a set from rules already validated; ids must be unique.
    pub fn from_rules(rules: Vec<Rule>) -> Result<RuleSet, RuleError> {
        let patterns: Vec<matcher::PatternSource<'_>> = rules
            .iter()
            .enumerate()
            .filter(|(_, rule)| rule.is_line_pattern())
            .map(|(i, rule)| matcher::PatternSource {
                rule: i,
                patterns: &rule.patterns,
                case_insensitive: rule.case_insensitive,
                max_words: rule.conditions.max_words,
                regex: rule.regex.clone().expect("a line-pattern rule has a regex"),
            })
            .collect();
        let analysed = matcher::analyse_all(&patterns).map_err(RuleError::Set)?;
        RuleSet::from_analysed(rules, analysed)
    }

    /// A set from its rules and the prefilter's analyses of their patterns (indexed by rule).
    fn from_analysed(rules: Vec<Rule>, analysed: Vec<matcher::Analysed>) -> Result<RuleSet, RuleError> {
        let mut structural_rules = Vec::new();
        let mut model_rules = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            if rule.kind == Kind::Model {
                model_rules.push(i);
            } else if !rule.is_line_pattern() {
                structural_rules.push(i);
            }
        }
        let matcher = LineMatcher::from_analysed(analysed.clone(), rules.len()).map_err(RuleError::Set)?;
        let has_site_rules = rules.iter().any(|r| !r.sites.is_empty());
        let mut langs: Vec<crate::lang::Lang> = rules.iter().flat_map(|r| r.langs.iter().copied()).collect();
        langs.sort_unstable();
        langs.dedup();
        let by_lang = (0..=langs.len()).map(|_| std::sync::OnceLock::new()).collect();
        Ok(RuleSet {
            rules,
            matcher,
            analysed,
            langs,
            by_lang,
            structural_rules,
            model_rules,
            has_site_rules,
        })
    }

    /// The set of the rules `keep` keeps, in the same order: their patterns' analyses are
    /// reused (renumbered), not redone.
    fn subset(self, keep: impl Fn(&Rule) -> bool) -> RuleSet {
        let mut new_index = vec![usize::MAX; self.rules.len()];
        let mut rules = Vec::new();
        for (i, rule) in self.rules.into_iter().enumerate() {
            if keep(&rule) {
                new_index[i] = rules.len();
                rules.push(rule);
            }
        }
        let analysed = self
            .analysed
            .into_iter()
            .filter(|a| new_index[a.rule] != usize::MAX)
            .map(|mut a| {
                a.rule = new_index[a.rule];
                a
            })
            .collect();
        RuleSet::from_analysed(rules, analysed).expect("a subset of a compiled set compiles")
    }

    /// Whether any rule is limited to languages (so the engine must know each document's).
    pub(crate) fn has_lang_rules(&self) -> bool {
        !self.langs.is_empty()
    }

    /// The prefilter for a document in `lang` (`None`: not known), and its number for
    /// [`RuleSet::matcher_at`]. It holds the rules that apply in that language, and no others.
    pub(crate) fn matcher_for(&self, lang: Option<crate::lang::Lang>) -> (u8, &LineMatcher) {
        match lang {
            Some(lang) if !self.langs.is_empty() => {
                let slot = self.langs.binary_search(&lang).unwrap_or(self.langs.len());
                let n = u8::try_from(slot + 1).expect("fewer than 255 languages in a rule set");
                (n, self.lang_matcher(slot))
            }
            _ => (0, &self.matcher),
        }
    }

    /// The prefilter numbered `n` by [`RuleSet::matcher_for`].
    pub(crate) fn matcher_at(&self, n: u8) -> &LineMatcher {
        match n {
            0 => &self.matcher,
            n => self.lang_matcher(usize::from(n) - 1),
        }
    }

    fn lang_matcher(&self, slot: usize) -> &LineMatcher {
        self.by_lang[slot].get_or_init(|| {
            let lang = self.langs.get(slot).copied();
            let applies = |r: &Rule| r.langs.is_empty() || lang.is_some_and(|l| r.langs.contains(&l));
            let subset = self.analysed.iter().filter(|a| applies(&self.rules[a.rule])).cloned().collect();
            LineMatcher::from_analysed(subset, self.rules.len())
                .expect("a subset of a prefilter that built builds")
        })
    }

    /// Sets the threshold of every `model` rule (a probability in (0, 1)): higher removes
    /// fewer lines, more surely boilerplate.
    pub fn set_model_threshold(&mut self, threshold: f32) -> Result<(), String> {
        if !(threshold > 0.0 && threshold < 1.0) {
            return Err(format!("model threshold {threshold} must be between 0 and 1"));
        }
        for &i in &self.model_rules {
            if let Some(m) = &mut self.rules[i].model {
                Arc::make_mut(m).set_threshold(threshold);
            }
        }
        Ok(())
    }

    /// The same set without its `model` rules: what a model's rule features are computed with.
    pub fn without_models(&self) -> RuleSet {
        if self.model_rules.is_empty() {
            return self.clone();
        }
        self.clone().subset(|r| r.kind != Kind::Model)
    }

    /// Whether the set has a `model` rule.
    pub fn has_model(&self) -> bool {
        !self.model_rules.is_empty()
    }

    /// The rules, in pack order (the order of attribution).
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| &*r.id == id)
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether the set has no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Keeps the rules named by `select` (ids or categories; empty keeps all), then drops
    /// those named by `ignore`. Unknown names are an error, so a typo is not silently ignored.
    pub fn filter(self, select: &[String], ignore: &[String]) -> Result<RuleSet, String> {
        if select.is_empty() && ignore.is_empty() {
            return Ok(self);
        }
        let known = |name: &str| Category::parse(name).is_some() || self.get(name).is_some();
        if let Some(bad) = select.iter().chain(ignore).find(|n| !known(n)) {
            return Err(format!("unknown rule id or category {bad:?} (see `deboil rules list`)"));
        }
        let named = |rule: &Rule, names: &[String]| {
            names.iter().any(|n| *n == *rule.id || *n == rule.category.as_str())
        };
        Ok(self.subset(|r| (select.is_empty() || named(r, select)) && !named(r, ignore)))
    }
}

/// Collects rule files into a [`RuleSet`], checking ids across all of them.
#[derive(Debug, Default)]
pub struct RuleSetBuilder {
    rules: Vec<Rule>,
    ids: HashMap<Arc<str>, Location>,
}

impl RuleSetBuilder {
    /// An empty builder.
    pub fn new() -> RuleSetBuilder {
        RuleSetBuilder::default()
    }

    /// Adds the built-in packs.
    pub fn add_defaults(&mut self) -> Result<&mut Self, RuleError> {
        // Compiling the regexes is most of the start-up time, and files compile independently:
        // in parallel, then added in order.
        let compiled: Vec<_> = BUILTIN_PACKS
            .par_iter()
            .map(|pack| {
                let name = format!("rules/{}", pack.name);
                let rules = compile::compile_file(&name, pack.text, true);
                (name, rules)
            })
            .collect();
        self.add_compiled(compiled)
    }

    /// Adds a rule file, or every `.toml` file under a directory (recursively, sorted by path).
    pub fn add_path(&mut self, path: &Path) -> Result<&mut Self, RuleError> {
        let io = |source| RuleError::Io { path: path.to_path_buf(), source };
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            let mut files = Vec::new();
            collect_toml(path, &mut files)?;
            if files.is_empty() {
                return Err(RuleError::Empty(path.display().to_string()));
            }
            files.sort();
            // As for the built-in packs: compiled in parallel, added in order.
            self.add_compiled(files.par_iter().map(|file| compile_path(file)).collect())?;
        } else {
            let (name, rules) = compile_path(path);
            self.add_rules(&name, rules?)?;
        }
        Ok(self)
    }

    /// Adds rules from TOML `text`, reported in errors as file `name`.
    pub fn add_source(&mut self, name: &str, text: &str) -> Result<&mut Self, RuleError> {
        self.add_rules(name, compile::compile_file(name, text, false)?)
    }

    /// Adds files compiled apart, in order: the first error stops it.
    fn add_compiled(
        &mut self,
        compiled: Vec<(String, Result<Vec<Rule>, RuleError>)>,
    ) -> Result<&mut Self, RuleError> {
        for (name, rules) in compiled {
            self.add_rules(&name, rules?)?;
        }
        Ok(self)
    }

    /// Adds the compiled rules of file `name`, refusing an empty file and ids already taken.
    fn add_rules(&mut self, name: &str, rules: Vec<Rule>) -> Result<&mut Self, RuleError> {
        if rules.is_empty() {
            return Err(RuleError::Empty(name.to_string()));
        }
        for rule in rules {
            if let Some(first) = self.ids.get(&rule.id) {
                return Err(RuleError::DuplicateId {
                    loc: rule.source.clone(),
                    rule: rule.id.to_string(),
                    first: first.clone(),
                });
            }
            self.ids.insert(rule.id.clone(), rule.source.clone());
            self.rules.push(rule);
        }
        Ok(self)
    }

    /// Compiles the collected rules.
    pub fn build(self) -> Result<RuleSet, RuleError> {
        RuleSet::from_rules(self.rules)
    }
}

/// Reads and compiles one rule file: its name for messages, and its rules.
fn compile_path(path: &Path) -> (String, Result<Vec<Rule>, RuleError>) {
    let name = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(source) => return (name, Err(RuleError::Io { path: path.to_path_buf(), source })),
    };
    let rules = match String::from_utf8(bytes) {
        Ok(text) => compile::compile_file(&name, &text, false),
        Err(e) => {
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let offset = e.utf8_error().valid_up_to();
            Err(RuleError::Syntax {
                loc: Location::at(&name, &text, offset),
                message: "invalid UTF-8".into(),
                excerpt: Excerpt::default(),
            })
        }
    };
    (name, rules)
}

fn collect_toml(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), RuleError> {
    let io = |source| RuleError::Io { path: dir.to_path_buf(), source };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        // file_type() does not follow links, so a link loop cannot recurse forever.
        let kind = entry.file_type().map_err(io)?;
        if kind.is_dir() {
            collect_toml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prefilter must report exactly the rules whose own regex matches, on every line of
    /// every built-in example and fixture document: all of them when told to try every rule,
    /// and those whose word limit allows the line when given its word count.
    #[test]
    fn prefilter_agrees_with_each_rules_own_regex() {
        let rules = RuleSet::defaults();
        let mut texts: Vec<String> =
            rules.rules().iter().flat_map(|r| r.examples.iter().map(|e| e.input.clone())).collect();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/docs");
        for entry in std::fs::read_dir(dir).unwrap() {
            texts.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
        let (mut lines, mut long) = (0, 0);
        for line in texts.iter().flat_map(|t| t.lines()).map(str::trim).filter(|l| !l.is_empty()) {
            let n = line.split_whitespace().count();
            long += usize::from(n > LONG_LINE_WORDS);
            let matching: Vec<usize> = (0..rules.len())
                .filter(|&ri| {
                    let r = &rules.rules()[ri];
                    !r.kind.is_structural() && r.regex.as_ref().is_some_and(|re| re.is_match(line))
                })
                .collect();
            let found = |long: bool| {
                let mut got = Vec::new();
                rules.matcher.for_each_match(line, long, |_| true, |ri| got.push(ri));
                got.sort_unstable();
                got
            };
            assert_eq!(found(false), matching, "{line:?}");
            let got = found(n > LONG_LINE_WORDS);
            let allowed = |ri: &usize| rules.rules()[*ri].conditions.max_words.is_none_or(|m| n <= m);
            assert!(got.iter().all(|ri| matching.contains(ri)), "{line:?}: {got:?}");
            assert!(matching.iter().filter(|ri| allowed(ri)).all(|ri| got.contains(ri)), "{line:?}: {got:?}");
            lines += 1;
        }
        assert!(lines > 1000 && long > 20, "{lines} lines, {long} long");
    }

    #[test]
    fn every_built_in_pattern_compiles() {
        let rules = RuleSet::defaults();
        for rule in rules.rules() {
            if let Some(re) = &rule.regex {
                assert!(!re.get().as_str().is_empty(), "{}", rule.id);
            }
        }
    }
}
