//! The line prefilter: which rules can match a line, decided with as little work per line as
//! possible, since most lines match no rule.
//!
//! - Rules anchored at the start of the line (most of them) are indexed by the bytes their
//!   matches can start with: a line is only tried against the rules its first byte allows, and
//!   each of those regexes gives up within a few bytes when the line is not junk.
//! - The other rules are gated by the literals their matches must start or end with, found in
//!   one Aho-Corasick pass over the line; a rule without a usable literal always runs (such
//!   rules are nearly all end-anchored, which the regex engine searches backwards from the end).
//! - Lines with more than [`LONG_LINE_WORDS`] words skip the rules whose word limit excludes
//!   them.
//!
//! Separate regexes rather than one union automaton: a union of a hundred Unicode patterns has
//! too many states for a lazy DFA to cache. A Unicode `\b` makes the lazy DFA give up on
//! non-ASCII text, so rules with one are tried with the assertion dropped (a wider pattern) and
//! confirmed with their own regex.

use aho_corasick::{AhoCorasick, MatchKind as AcMatchKind};
use regex_automata::meta;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Capture, Class, Hir, HirKind, Look, Repetition};

/// Lines with more words than this skip the rules limited to fewer words.
pub const LONG_LINE_WORDS: usize = 30;

/// Literals shorter than this are too common to gate a rule.
const MIN_LITERAL: usize = 3;

/// How one pattern (or one top-level alternative of it) is tried on a line.
#[derive(Debug, Clone)]
struct Check {
    rule: usize,
    /// This alternative alone, word boundaries dropped.
    re: meta::Regex,
    /// Whether a match of `re` must be confirmed with the rule's own regex (`re` is wider).
    confirm: bool,
    long_ok: bool,
}

/// Prefilter over every rule that has a pattern.
#[derive(Debug, Clone)]
pub(crate) struct LineMatcher {
    checks: Vec<Check>,
    /// Per first byte of a line: the anchored checks (indices into `checks`) it allows.
    by_first: Vec<Vec<u32>>,
    /// Literals gating unanchored checks (distinct, lowercase, matched ignoring ASCII case).
    literals: Option<AhoCorasick>,
    /// Per literal: the checks it gates.
    literal_checks: Vec<Vec<u32>>,
    /// Unanchored checks without a usable literal.
    always: Vec<u32>,
}

/// What the prefilter needs to know of one rule.
pub(crate) struct PatternSource<'a> {
    /// The rule's index in its set.
    pub rule: usize,
    /// The rule's patterns as written.
    pub patterns: &'a [String],
    /// Whether they ignore case.
    pub case_insensitive: bool,
    /// The rule's word limit.
    pub max_words: Option<usize>,
}

impl LineMatcher {
    /// Builds the prefilter.
    pub fn new(sources: &[PatternSource<'_>]) -> Result<LineMatcher, String> {
        let mut m = LineMatcher {
            checks: Vec::new(),
            by_first: vec![Vec::new(); 256],
            literals: None,
            literal_checks: Vec::new(),
            always: Vec::new(),
        };
        let mut literals: Vec<(Vec<u8>, u32)> = Vec::new();
        let parse = |p: &str, ci: bool| {
            regex_syntax::ParserBuilder::new()
                .case_insensitive(ci)
                .build()
                .parse(p)
                .map_err(|e| format!("rule pattern does not parse for the prefilter: {e}"))
        };
        for src in sources {
            for pattern in src.patterns {
                let hir = parse(pattern, src.case_insensitive)?;
                // Literals come from the case-sensitive form and are matched ignoring ASCII case.
                let plain = parse(pattern, false)?;
                let (branches, plain_branches) = match (top_alternatives(&hir), top_alternatives(&plain)) {
                    (a, b) if a.len() == b.len() => (a, b),
                    _ => (vec![hir.clone()], vec![plain.clone()]),
                };
                for (branch, plain) in branches.iter().zip(&plain_branches) {
                    let (stripped, widened) = without_word_boundaries(branch);
                    let re = meta::Regex::builder()
                        .build_from_hir(&stripped)
                        .map_err(|e| format!("compiling the rule set: {e}"))?;
                    let ci = m.checks.len() as u32;
                    m.checks.push(Check {
                        rule: src.rule,
                        re,
                        confirm: widened,
                        long_ok: src.max_words.is_none_or(|w| w > LONG_LINE_WORDS),
                    });
                    if branch.properties().look_set_prefix().contains(Look::Start) {
                        let (first, nullable) = first_bytes(branch);
                        for (b, allowed) in first.iter().enumerate() {
                            if nullable || *allowed {
                                m.by_first[b].push(ci);
                            }
                        }
                    } else if let Some(lits) = gating_literals(&without_word_boundaries(plain).0)
                        .filter(|l| !src.case_insensitive || l.iter().all(|l| l.is_ascii()))
                    {
                        literals.extend(lits.into_iter().map(|lit| (lit, ci)));
                    } else {
                        m.always.push(ci);
                    }
                }
            }
        }
        if !literals.is_empty() {
            literals.sort();
            let mut distinct: Vec<Vec<u8>> = literals.iter().map(|l| l.0.clone()).collect();
            distinct.dedup();
            m.literal_checks = distinct
                .iter()
                .map(|lit| {
                    let mut checks: Vec<u32> =
                        literals.iter().filter(|(other, _)| other == lit).map(|l| l.1).collect();
                    checks.dedup();
                    checks
                })
                .collect();
            m.literals = Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .match_kind(AcMatchKind::Standard)
                    .build(&distinct)
                    .map_err(|e| format!("compiling the rule literals: {e}"))?,
            );
        }
        Ok(m)
    }

    /// Calls `f` with the index of every rule whose pattern matches `line` (trimmed, not
    /// empty), in no particular order, each at most once; rules whose `max_words` the line
    /// exceeds may be left out. `pre` is asked first, before any regex runs: a rule it refuses
    /// (its cheap conditions fail) is skipped.
    pub fn for_each_match(
        &self,
        line: &str,
        rules: &[crate::rules::Rule],
        mut pre: impl FnMut(usize) -> bool,
        mut f: impl FnMut(usize),
    ) {
        let long = more_words_than(line, LONG_LINE_WORDS);
        let mut done: Vec<usize> = Vec::new();
        let mut try_check = |ci: u32| {
            let check = &self.checks[ci as usize];
            if (long && !check.long_ok) || done.contains(&check.rule) {
                return;
            }
            if !pre(check.rule) {
                done.push(check.rule);
                return;
            }
            if !check.re.is_match(line) {
                return;
            }
            if check.confirm && !rules[check.rule].regex.as_ref().is_some_and(|r| r.is_match(line)) {
                return;
            }
            done.push(check.rule);
            f(check.rule);
        };
        let first = line.as_bytes().first().copied().unwrap_or(0);
        for &ci in &self.by_first[first as usize] {
            try_check(ci);
        }
        if let Some(ac) = &self.literals {
            for m in ac.find_overlapping_iter(line) {
                for &ci in &self.literal_checks[m.pattern().as_usize()] {
                    try_check(ci);
                }
            }
        }
        for &ci in &self.always {
            try_check(ci);
        }
    }
}

/// The top-level alternatives of a pattern (itself when it has none).
fn top_alternatives(hir: &Hir) -> Vec<Hir> {
    match hir.kind() {
        HirKind::Alternation(subs) => subs.clone(),
        HirKind::Capture(cap) => top_alternatives(&cap.sub),
        _ => vec![hir.clone()],
    }
}

/// Literals one of which every match must contain, if they are long enough to be selective:
/// what matches must start or end with, or an exact piece of a top-level concatenation.
fn gating_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let extract = |kind: ExtractKind, hir: &Hir| {
        let mut ex = Extractor::new();
        ex.kind(kind).limit_class(8).limit_repeat(4).limit_literal_len(24).limit_total(128);
        ex.extract(hir)
    };
    let mut seqs = vec![extract(ExtractKind::Prefix, hir), extract(ExtractKind::Suffix, hir)];
    let mut inner = hir;
    while let HirKind::Capture(cap) = inner.kind() {
        inner = &cap.sub;
    }
    if let HirKind::Concat(parts) = inner.kind() {
        // A part that matches exactly a finite set of strings: every match contains one.
        seqs.extend(parts.iter().map(|p| extract(ExtractKind::Prefix, p)).filter(|s| s.is_exact()));
    }
    let mut best: Option<Vec<Vec<u8>>> = None;
    for seq in seqs {
        let Some(lits) = seq.literals() else { continue };
        if lits.is_empty() || lits.iter().any(|l| l.as_bytes().len() < MIN_LITERAL) {
            continue;
        }
        let found: Vec<Vec<u8>> = lits.iter().map(|l| l.as_bytes().to_ascii_lowercase()).collect();
        let shortest = |v: &Vec<Vec<u8>>| v.iter().map(Vec::len).min().unwrap_or(0);
        if best.as_ref().is_none_or(|b| shortest(&found) > shortest(b)) {
            best = Some(found);
        }
    }
    best.map(|mut v| {
        v.sort();
        v.dedup();
        v
    })
}

/// The bytes a match of `hir` can start with, and whether it can match the empty string.
fn first_bytes(hir: &Hir) -> ([bool; 256], bool) {
    let mut set = [false; 256];
    let nullable = add_first(hir, &mut set);
    (set, nullable)
}

/// Adds the possible first bytes of `hir` to `set`; returns whether `hir` can match empty.
fn add_first(hir: &Hir, set: &mut [bool; 256]) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(lit) => match lit.0.first() {
            Some(&b) => {
                set[b as usize] = true;
                false
            }
            None => true,
        },
        HirKind::Class(Class::Unicode(c)) => {
            for r in c.ranges() {
                let (s, e) = (r.start() as u32, r.end() as u32);
                for b in s.min(0x80)..=e.min(0x7f) {
                    set[b as usize] = true;
                }
                if e >= 0x80 {
                    let lead = |c: u32| {
                        char::from_u32(c).map_or(0xf4, |ch| ch.encode_utf8(&mut [0; 4]).as_bytes()[0])
                    };
                    for b in lead(s.max(0x80))..=lead(e) {
                        set[b as usize] = true;
                    }
                }
            }
            false
        }
        HirKind::Class(Class::Bytes(c)) => {
            for r in c.ranges() {
                for b in r.start()..=r.end() {
                    set[b as usize] = true;
                }
            }
            false
        }
        HirKind::Repetition(rep) => add_first(&rep.sub, set) || rep.min == 0,
        HirKind::Capture(cap) => add_first(&cap.sub, set),
        HirKind::Concat(subs) => subs.iter().all(|h| add_first(h, set)),
        HirKind::Alternation(subs) => subs.iter().fold(false, |n, h| add_first(h, set) | n),
    }
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

/// The pattern with every word-boundary assertion replaced by an empty match (a wider
/// pattern), and whether there was any.
fn without_word_boundaries(hir: &Hir) -> (Hir, bool) {
    let mut widened = false;
    let out = strip(hir, &mut widened);
    (out, widened)
}

fn strip(hir: &Hir, widened: &mut bool) -> Hir {
    match hir.kind() {
        HirKind::Look(look) if is_word_look(*look) => {
            *widened = true;
            Hir::empty()
        }
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(|h| strip(h, widened)).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(|h| strip(h, widened)).collect()),
        HirKind::Repetition(rep) => {
            Hir::repetition(Repetition { sub: Box::new(strip(&rep.sub, widened)), ..rep.clone() })
        }
        HirKind::Capture(cap) => {
            Hir::capture(Capture { sub: Box::new(strip(&cap.sub, widened)), ..cap.clone() })
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

    fn parse(p: &str) -> Hir {
        regex_syntax::parse(p).unwrap()
    }

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
        let (stripped, widened) = without_word_boundaries(&parse(r"\bAd\b|x"));
        assert!(widened);
        assert!(regex::Regex::new(&stripped.to_string()).unwrap().is_match("xAdx"));
        assert!(!without_word_boundaries(&parse("^Ad$")).1);
    }

    #[test]
    fn first_bytes_cover_every_possible_start() {
        let (set, nullable) = first_bytes(&parse(r"^(?:By|\p{Lu}x|(?i)sign up)"));
        assert!(!nullable);
        for b in [b'B', b'A', b'Z', b's', b'S', 0xc3] {
            assert!(set[b as usize], "{}", b as char);
        }
        assert!(!set[b'b' as usize] && !set[b'1' as usize]);
        assert!(first_bytes(&parse(r"^\s*x?")).1);
        let (set, _) = first_bytes(&parse(r"^\s*\(AP"));
        assert!(set[b'(' as usize] && set[b' ' as usize]);
    }

    /// The prefilter must report exactly the rules whose own regex matches, on every line of
    /// every built-in example and fixture document.
    #[test]
    fn prefilter_agrees_with_each_rules_own_regex() {
        let rules = crate::RuleSet::defaults();
        let mut texts: Vec<String> =
            rules.rules().iter().flat_map(|r| r.examples.iter().map(|e| e.input.clone())).collect();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/docs");
        for entry in std::fs::read_dir(dir).unwrap() {
            texts.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
        let mut lines = 0;
        for line in texts.iter().flat_map(|t| t.lines()).map(str::trim).filter(|l| !l.is_empty()) {
            let mut got = Vec::new();
            rules.matcher.for_each_match(line, rules.rules(), |_| true, |ri| got.push(ri));
            got.sort_unstable();
            let want: Vec<usize> = (0..rules.len())
                .filter(|&ri| {
                    let r = &rules.rules()[ri];
                    r.kind != crate::Kind::Duplicate && r.regex.as_ref().is_some_and(|re| re.is_match(line))
                })
                .collect();
            assert_eq!(got, want, "{line:?}");
            lines += 1;
        }
        assert!(lines > 1000);
    }

    #[test]
    fn gating_literals_need_selective_literals() {
        assert_eq!(gating_literals(&parse(r"\(AP Photo/[^)]+\)$")), Some(vec![b"(ap photo/".to_vec()]));
        assert_eq!(gating_literals(&parse(r"\w+ - YouTube$")), Some(vec![b" - youtube".to_vec()]));
        assert_eq!(gating_literals(&parse(r"\w+\)$")), None);
        assert_eq!(
            gating_literals(&parse(r"\d+ (?:issues|months) for \d")),
            Some(vec![b"issues".to_vec(), b"months".to_vec()])
        );
    }
}
