//! The line prefilter: one pass over a line tells which rules may match it.
//!
//! What keeps it fast on the long lines that hold most of a corpus's bytes and match nothing:
//! - patterns anchored at the start of the line (most rules) are compiled into one
//!   multi-pattern automaton, which gives up after the first few bytes of most lines. Its
//!   patterns are widened: large Unicode classes (`\p{L}`, `\w`) keep their ASCII part and
//!   let any non-ASCII character through, which keeps the automaton small to build and run;
//! - the other patterns (few) run one by one, so each gets the regex engine's best strategy for
//!   it alone: a reverse search from the end for `...$` patterns, a literal scan for the rest;
//! - lines with more than [`LONG_LINE_WORDS`] words skip the rules whose word limit excludes
//!   them;
//! - word-boundary assertions are dropped everywhere in the prefilter (a Unicode `\b` makes the
//!   lazy DFA give up on non-ASCII text).
//!
//! Widening only adds candidates: a rule whose prefilter pattern was widened is confirmed with
//! its own regex.

use regex::Regex;
use regex_automata::meta;
use regex_automata::{Input, MatchKind, PatternSet};
use regex_syntax::hir::{Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition};

/// Lines with more words than this skip the rules limited to fewer words.
pub const LONG_LINE_WORDS: usize = 30;

/// One multi-pattern automaton and the rules its patterns belong to.
#[derive(Debug, Clone)]
struct Automaton {
    re: Option<meta::Regex>,
    rules: Vec<usize>,
}

/// A rule whose pattern is searched on its own.
#[derive(Debug, Clone)]
struct Loose {
    rule: usize,
    re: meta::Regex,
    long_ok: bool,
}

/// Prefilter over every rule that has a pattern.
#[derive(Debug, Clone)]
pub(crate) struct LineMatcher {
    /// Start-anchored patterns, for lines of at most [`LONG_LINE_WORDS`] words.
    short: Automaton,
    /// Start-anchored patterns allowed on longer lines.
    long: Automaton,
    /// The other patterns.
    loose: Vec<Loose>,
    /// Per rule index: confirm with the rule's own regex (its prefilter pattern was widened).
    confirm: Vec<bool>,
}

impl LineMatcher {
    /// Builds the prefilter from `(rule index, regex, max_words)` triples.
    pub fn new(rules: &[(usize, &Regex, Option<usize>)], rule_count: usize) -> Result<LineMatcher, String> {
        let mut confirm = vec![false; rule_count];
        let mut anchored = Vec::new();
        let mut loose = Vec::new();
        for &(ri, re, max_words) in rules {
            let hir = regex_syntax::ParserBuilder::new()
                .build()
                .parse(re.as_str())
                .map_err(|e| format!("rule pattern does not parse for the prefilter: {e}"))?;
            let long_ok = max_words.is_none_or(|m| m > LONG_LINE_WORDS);
            if hir.properties().look_set_prefix().contains(Look::Start) {
                let (hir, widened) = widen(&hir, true);
                confirm[ri] = widened;
                anchored.push((ri, hir, long_ok));
            } else {
                let (hir, widened) = widen(&hir, false);
                confirm[ri] = widened;
                let re = build(&[&hir])?.expect("one pattern");
                loose.push(Loose { rule: ri, re, long_ok });
            }
        }
        let group = |long: bool| {
            let (rules, hirs): (Vec<usize>, Vec<&Hir>) =
                anchored.iter().filter(|e| e.2 || !long).map(|e| (e.0, &e.1)).unzip();
            build(&hirs).map(|re| Automaton { re, rules })
        };
        Ok(LineMatcher { short: group(false)?, long: group(true)?, loose, confirm })
    }

    /// Calls `f` with the index of every rule whose pattern matches `line` (trimmed text), in
    /// no particular order.
    pub fn for_each_match(&self, line: &str, rules: &[crate::rules::Rule], mut f: impl FnMut(usize)) {
        let long = more_words_than(line, LONG_LINE_WORDS);
        let mut emit = |ri: usize| {
            if !self.confirm[ri] || rules[ri].regex.as_ref().is_some_and(|r| r.is_match(line)) {
                f(ri);
            }
        };
        let auto = if long { &self.long } else { &self.short };
        if let Some(re) = &auto.re {
            let input = Input::new(line);
            if re.is_match(input.clone()) {
                let mut set = PatternSet::new(re.pattern_len());
                re.which_overlapping_matches(&input, &mut set);
                for p in set.iter() {
                    emit(auto.rules[p.as_usize()]);
                }
            }
        }
        for l in &self.loose {
            if (l.long_ok || !long) && l.re.is_match(line) {
                emit(l.rule);
            }
        }
    }
}

fn build(hirs: &[&Hir]) -> Result<Option<meta::Regex>, String> {
    if hirs.is_empty() {
        return Ok(None);
    }
    meta::Regex::builder()
        .configure(
            meta::Config::new()
                .match_kind(MatchKind::All)
                .nfa_size_limit(Some(64 << 20))
                .hybrid_cache_capacity(8 << 20),
        )
        .build_many_from_hir(hirs)
        .map(Some)
        .map_err(|e| format!("compiling the rule set: {e}"))
}

/// Whether `line` has more than `n` words, counting ASCII-whitespace-separated runs. It never
/// counts more words than `split_whitespace` does, so a rule is never wrongly skipped.
fn more_words_than(line: &str, n: usize) -> bool {
    if line.len() <= 2 * n {
        return false;
    }
    let mut words = 0;
    let mut in_word = false;
    for &b in line.as_bytes() {
        let space = b.is_ascii_whitespace();
        if !space && !in_word {
            words += 1;
            if words > n {
                return true;
            }
        }
        in_word = !space;
    }
    false
}

/// Unicode classes with more ranges than this are widened to "any character but newline".
const LARGE_CLASS: usize = 24;

/// The pattern widened for the prefilter (word-boundary assertions dropped and, with
/// `classes`, large classes made "any character"), and whether anything was widened.
fn widen(hir: &Hir, classes: bool) -> (Hir, bool) {
    let mut widened = false;
    let out = strip(hir, classes, &mut widened);
    (out, widened)
}

fn strip(hir: &Hir, classes: bool, widened: &mut bool) -> Hir {
    match hir.kind() {
        HirKind::Look(look) if is_word_look(*look) => {
            *widened = true;
            Hir::empty()
        }
        HirKind::Class(Class::Unicode(c)) if classes && c.ranges().len() > LARGE_CLASS => {
            // Exact on ASCII, where most text is decided; any non-ASCII character passes.
            *widened = true;
            let mut wide = c.clone();
            wide.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7f')]));
            wide.union(&ClassUnicode::new([ClassUnicodeRange::new('\u{80}', char::MAX)]));
            Hir::class(Class::Unicode(wide))
        }
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(|h| strip(h, classes, widened)).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(|h| strip(h, classes, widened)).collect())
        }
        HirKind::Repetition(rep) => {
            Hir::repetition(Repetition { sub: Box::new(strip(&rep.sub, classes, widened)), ..rep.clone() })
        }
        HirKind::Capture(cap) => {
            Hir::capture(Capture { sub: Box::new(strip(&cap.sub, classes, widened)), ..cap.clone() })
        }
        _ => hir.clone(),
    }
}

fn is_word_look(look: Look) -> bool {
    !matches!(look, Look::Start | Look::End | Look::StartLF | Look::EndLF | Look::StartCRLF | Look::EndCRLF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_count_never_exceeds_split_whitespace() {
        for line in ["a b c", "a\u{a0}b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g", ""] {
            let n = line.split_whitespace().count();
            assert!(!more_words_than(line, n), "{line:?}");
        }
        assert!(more_words_than(&"word ".repeat(40), 30));
    }

    #[test]
    fn word_boundaries_are_dropped_and_reported() {
        let (stripped, widened) = widen(&regex_syntax::parse(r"\bAd\b|x").unwrap(), true);
        assert!(widened);
        let re = regex::Regex::new(&stripped.to_string()).unwrap();
        assert!(re.is_match("xAdx"));
        assert!(!widen(&regex_syntax::parse("^Ad$").unwrap(), true).1);
        let (wide, widened) = widen(&regex_syntax::parse(r"^\p{Lu}b").unwrap(), true);
        assert!(widened);
        let re = regex::Regex::new(&wide.to_string()).unwrap();
        assert!(re.is_match("Éb") && re.is_match("ßb") && re.is_match("Ab") && !re.is_match("ab"));
    }
}
