//! The line prefilter: which rules can match a line, decided with as little work per line as
//! possible, since most lines match no rule.
//!
//! - Rules anchored at the start of the line (most of them) whose matches start with a few
//!   literals are looked up by the line's first bytes; the other anchored rules are indexed by
//!   the bytes their matches can start with. Either way a line is only tried against the rules
//!   its head allows, and each of those regexes gives up within a few bytes when it is not junk.
//! - Rules are gated by literals their matches must hold (cut to a few bytes, for a small
//!   automaton), found in one Aho-Corasick pass over the line: those every match starts or ends
//!   with, or those a piece of the pattern needs, found through its structure (one of the
//!   words of a required alternation; optional parts need nothing). When another piece gives a
//!   second set, the line must hold one of each (`here` and `click`). A rule without a usable
//!   literal always runs (such rules are nearly all anchored, or end-anchored, which the regex
//!   engine searches backwards from the end).
//! - Before any regex runs, the line must hold a byte of each of the few rare byte sets its
//!   pattern needs (a `/`, a `|`, a digit: see `needs`), tested on a set of the line's bytes
//!   built once per line.
//! - Lines with more than [`LONG_LINE_WORDS`] words (most of a corpus's bytes) skip the rules
//!   whose word limit excludes them, with their own smaller literal automaton; a line longer
//!   than the longest match of a pattern anchored at both ends skips it.
//!
//! Separate regexes rather than one union automaton: a union of a hundred Unicode patterns has
//! too many states for a lazy DFA to cache. A rule with several alternatives is tried only on
//! those the line passed, each compiled on its own (smaller automata). A Unicode `\b` makes the
//! lazy DFA give up on non-ASCII text: an alternative with one is tried with ASCII boundaries
//! on lines without non-ASCII word characters (the same matches there), and elsewhere first
//! with the assertion dropped (a wider pattern), then confirmed with its own regex.

mod lazy;
mod needs;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{Anchored, MatchKind as AcMatchKind, StartKind};
use rayon::prelude::*;
use std::sync::Arc;

use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};
use regex_syntax::hir::{Capture, Class, Hir, HirKind, Look, Repetition};

pub use lazy::{LazyRegex, REGEX_SIZE_LIMIT, compile_regex, joined};

use lazy::Derived;
use needs::{ByteBits, ByteSet, Needs, meets};

/// Lines with more words than this skip the rules limited to fewer words.
pub const LONG_LINE_WORDS: usize = 30;

/// Literals shorter than this are too common to gate a rule.
const MIN_LITERAL: usize = 3;

/// Gating literals are cut to this many bytes: selective enough, and a small automaton.
const KEEP_LITERAL: usize = 6;

/// A check's second literal set (see [`literal_gate`]) has at most this many literals.
const MAX_SECOND_SET: usize = 8;

/// A set of literals found through a pattern's structure (see [`required`]) has at most this
/// many.
const MAX_REQUIRED: usize = 32;

/// When one pattern (or one top-level alternative of it) makes its rule worth trying on a
/// line. Trying a rule runs its whole regex: checks only decide when.
#[derive(Debug, Clone)]
struct Check {
    rule: usize,
    long_ok: bool,
    /// Tried only when one of its literals occurs in the line.
    gated: bool,
    /// And one of a second set of literals (see [`literal_gate`]).
    gated_twice: bool,
    /// Its literals are the short ones in `byte_gates`, not in the Aho-Corasick automaton.
    byte_gated: bool,
    /// Anchored at the start: tried only for lines whose first byte it allows.
    anchored: bool,
    /// Anchored at both ends with a bounded match: the longest line (in bytes) it can match.
    max_len: usize,
    /// Bytes the line must contain: one mask per clause, over [`LineMatcher::bits`].
    needs: Vec<u64>,
    /// This alternative's own regex, when its rule has others (else the rule's regex is
    /// tried): a rule is tried only on the alternatives the line passed, which are smaller
    /// automata, and free of the others' word boundaries (see [`Branch::own`]).
    own: Option<Arc<Derived>>,
    /// The alternative with word boundaries dropped (see [`Branch::wide`]).
    wide: Option<Arc<Derived>>,
    /// The alternative with ASCII word boundaries (see [`Branch::ascii_words`]).
    ascii_words: Option<Arc<Derived>>,
}

/// The prefilter over a set of rules' patterns: which of them match a line.
#[derive(Debug, Clone)]
pub struct LineMatcher {
    checks: Vec<Check>,
    /// Anchored checks whose matches start with a literal, grouped by the slot of the
    /// literal's first [`MIN_LITERAL`] bytes (see [`start_slot`]).
    starts: Vec<StartLiteral>,
    /// Where each slot's literals are in `starts`: from `start_slots[slot]` to the next slot's
    /// start. Most lines' heads fall in an empty slot.
    start_slots: Vec<u16>,
    /// Per first byte of a line: the other anchored checks it allows, as [`first_entry`] gives them.
    by_first: Vec<Vec<u32>>,
    /// The same for long lines: only the checks that can match one.
    by_first_long: Vec<Vec<u32>>,
    /// The literals gating checks, for short lines.
    literals: Option<LiteralGate>,
    /// The literals gating the checks that can match a long line: a smaller automaton for the
    /// lines that hold most of a corpus's bytes.
    long_literals: Option<LiteralGate>,
    /// Checks gated by a few short literals without letters (`/`, `@`, `|`), each searched
    /// with a memchr substring finder built once.
    byte_gates: Vec<(u32, Vec<memchr::memmem::Finder<'static>>)>,
    /// Unanchored checks without a usable literal.
    always: Vec<u32>,
    /// The bytes the checks need, as bits of a line's byte summary.
    bits: ByteBits,
    /// One more than the highest rule index.
    rule_count: usize,
    /// Per rule index: the rule's regex, run by the checks that have none of their own.
    regexes: Vec<Option<LazyRegex>>,
}

/// Literals and the checks each one gates, found in one Aho-Corasick pass over a line.
#[derive(Debug, Clone)]
struct LiteralGate {
    /// Distinct, lowercase, matched against the line in ASCII lower case. Walked by
    /// [`LiteralGate::mark`]'s own loop: an overlapping search that needs every literal, not the leftmost, costs a few
    /// instructions a byte that way, against some twenty through the iterator.
    dfa: aho_corasick::dfa::DFA,
    /// The state a search starts in.
    start: StateID,
    /// Per literal: the checks it gates.
    checks: Vec<Vec<u32>>,
}

impl LiteralGate {
    /// The gate over `(literal, check)` pairs, or `None` when there are none.
    fn new(mut literals: Vec<(Vec<u8>, u32)>) -> Result<Option<LiteralGate>, String> {
        if literals.is_empty() {
            return Ok(None);
        }
        // The line's bytes are lowered as they are walked: an automaton that folds case itself
        // gives upper-case letters byte classes of their own, which doubles its size.
        for (lit, _) in &mut literals {
            lit.make_ascii_lowercase();
        }
        literals.sort();
        literals.dedup();
        let mut distinct: Vec<Vec<u8>> = Vec::new();
        let mut checks: Vec<Vec<u32>> = Vec::new();
        for (lit, ci) in literals {
            if distinct.last() != Some(&lit) {
                distinct.push(lit);
                checks.push(Vec::new());
            }
            checks.last_mut().expect("pushed above").push(ci);
        }
        let failed = |e: &dyn std::fmt::Display| format!("compiling the rule literals: {e}");
        // Without a prefilter, the only special states are match states (and the dead state,
        // which an unanchored search never enters).
        let dfa = aho_corasick::dfa::DFA::builder()
            .match_kind(AcMatchKind::Standard)
            .start_kind(StartKind::Unanchored)
            .prefilter(false)
            .build(&distinct)
            .map_err(|e| failed(&e))?;
        let start = dfa.start_state(Anchored::No).map_err(|e| failed(&e))?;
        Ok(Some(LiteralGate { dfa, start, checks }))
    }

    /// Marks in `hit` every check whose literal occurs in `line`. Not inlined: on its own, the
    /// loop keeps the automaton in registers.
    ///
    /// A long line is cut in parts walked in step: each byte's next state waits on a load of
    /// the previous one's, mostly from beyond the first-level cache, so independent walks
    /// overlap their waits and take little longer than one.
    #[inline(never)]
    fn mark(&self, line: &str, hit: &mut [u64]) {
        let bytes = line.as_bytes();
        if bytes.len() >= 4 * 4 * KEEP_LITERAL {
            self.walk_in_step::<4>(bytes, hit);
        } else if bytes.len() >= 2 * 2 * KEEP_LITERAL {
            self.walk_in_step::<2>(bytes, hit);
        } else {
            self.walk(self.start, bytes, hit);
        }
    }

    /// Walks `bytes` as `N` parts in step. Each part but the last runs on for
    /// [`KEEP_LITERAL`] - 1 bytes into the next, so that the literals across a cut are found.
    #[inline(always)]
    fn walk_in_step<const N: usize>(&self, bytes: &[u8], hit: &mut [u64]) {
        let part = bytes.len() / N;
        let parts: [&[u8]; N] = std::array::from_fn(|k| {
            let end = if k + 1 == N { bytes.len() } else { (k + 1) * part + KEEP_LITERAL - 1 };
            &bytes[k * part..end]
        });
        let n = parts.iter().map(|p| p.len()).min().unwrap_or(0);
        let heads: [&[u8]; N] = std::array::from_fn(|k| &parts[k][..n]);
        let mut states = [self.start; N];
        // One position of every part at a time: that is the point.
        #[allow(clippy::needless_range_loop)]
        for i in 0..n {
            for k in 0..N {
                states[k] = self.dfa.next_state(Anchored::No, states[k], heads[k][i].to_ascii_lowercase());
                if self.dfa.is_special(states[k]) {
                    self.mark_matches(states[k], hit);
                }
            }
        }
        for k in 0..N {
            self.walk(states[k], &parts[k][n..], hit);
        }
    }

    /// Walks `bytes` from state `sid`, marking what matches.
    #[inline(always)]
    fn walk(&self, mut sid: StateID, bytes: &[u8], hit: &mut [u64]) {
        for &b in bytes {
            sid = self.dfa.next_state(Anchored::No, sid, b.to_ascii_lowercase());
            if self.dfa.is_special(sid) {
                self.mark_matches(sid, hit);
            }
        }
    }

    /// Marks the checks of every literal that ends in state `sid` (special: a match state, as
    /// an unanchored search without a prefilter has no other).
    #[cold]
    #[inline(never)]
    fn mark_matches(&self, sid: StateID, hit: &mut [u64]) {
        if !self.dfa.is_match(sid) {
            return;
        }
        for i in 0..self.dfa.match_len(sid) {
            for &ci in &self.checks[self.dfa.match_pattern(sid, i).as_usize()] {
                set_bit(hit, ci as usize);
            }
        }
    }
}

/// Whether bit `i` of a bitset is set.
fn bit(set: &[u64], i: usize) -> bool {
    set[i / 64] & (1 << (i % 64)) != 0
}

/// Sets bit `i` of a bitset.
fn set_bit(set: &mut [u64], i: usize) {
    set[i / 64] |= 1 << (i % 64);
}

/// Where the bits of checks' second literal sets start, for `checks` checks: past the first
/// sets' bits, on a word boundary.
fn second_sets_at(checks: usize) -> usize {
    checks.div_ceil(64) * 64
}

/// What the prefilter needs to know of one rule.
#[derive(Debug, Clone)]
pub struct PatternSource<'a> {
    /// The rule's index in its set.
    pub rule: usize,
    /// The rule's patterns as written.
    pub patterns: &'a [String],
    /// Whether they ignore case.
    pub case_insensitive: bool,
    /// The rule's word limit.
    pub max_words: Option<usize>,
    /// The rule's regex (its patterns [`joined`]), which a match must satisfy.
    pub regex: LazyRegex,
}

impl<'a> PatternSource<'a> {
    /// A rule's source with its regex compiled on first use from `patterns`, which must
    /// compile (see [`LazyRegex::deferred`]).
    pub fn new(
        rule: usize,
        patterns: &'a [String],
        case_insensitive: bool,
        max_words: Option<usize>,
    ) -> PatternSource<'a> {
        let regex = LazyRegex::deferred(&joined(patterns), case_insensitive);
        PatternSource { rule, patterns, case_insensitive, max_words, regex }
    }
}

impl LineMatcher {
    /// Builds the prefilter over these rules' patterns: [`analyse_all`], then
    /// [`LineMatcher::from_analysed`] for rule indexes below the highest source's.
    pub fn new(sources: &[PatternSource<'_>]) -> Result<LineMatcher, String> {
        let rule_count = sources.iter().map(|s| s.rule + 1).max().unwrap_or(0);
        LineMatcher::from_analysed(analyse_all(sources)?, rule_count)
    }

    /// Builds the prefilter over analysed rules (of a set of `rule_count` rules), numbering
    /// and indexing their checks in order.
    pub fn from_analysed(analysed: Vec<Analysed>, rule_count: usize) -> Result<LineMatcher, String> {
        let mut m = LineMatcher {
            checks: Vec::new(),
            starts: Vec::new(),
            start_slots: Vec::new(),
            by_first: vec![Vec::new(); 256],
            by_first_long: vec![Vec::new(); 256],
            literals: None,
            long_literals: None,
            byte_gates: Vec::new(),
            always: Vec::new(),
            bits: ByteBits::new([]),
            rule_count,
            regexes: vec![None; rule_count],
        };
        let mut needs: Vec<Needs> = Vec::new();
        // Each literal marks a bit: check `ci`'s first set bit `ci`, its second `half + ci`.
        let half = second_sets_at(analysed.iter().map(|a| a.branches.len()).sum()) as u32;
        let mut literals: Vec<(Vec<u8>, u32)> = Vec::new();
        let mut long_literals: Vec<(Vec<u8>, u32)> = Vec::new();
        for Analysed { rule, regex, branches } in analysed {
            m.regexes[rule] = Some(regex);
            for branch in branches {
                let ci = m.checks.len() as u32;
                let (lits, second, byte_gated) = match branch.gate {
                    Gate::Literals(lits, second) => (Some(lits), second, false),
                    Gate::Bytes(lits) => {
                        let finders =
                            lits.iter().map(|l| memchr::memmem::Finder::new(l).into_owned()).collect();
                        m.byte_gates.push((ci, finders));
                        (None, None, true)
                    }
                    Gate::None => (None, None, false),
                };
                let check = Check {
                    rule,
                    long_ok: branch.long_ok,
                    gated: lits.is_some() || byte_gated,
                    gated_twice: second.is_some(),
                    byte_gated,
                    anchored: branch.anchored,
                    max_len: branch.max_len,
                    needs: Vec::new(),
                    own: branch.own,
                    wide: branch.wide,
                    ascii_words: branch.ascii_words,
                };
                needs.push(branch.needs);
                if let Some(starts) = branch.starts {
                    m.starts.extend(starts.iter().map(|lit| StartLiteral::new(lit, ci)));
                } else if check.anchored {
                    let (first, nullable) = branch.first;
                    let entry = first_entry(ci, &check);
                    for b in 0..=255u8 {
                        if nullable || first.contains(b) {
                            m.by_first[b as usize].push(entry);
                            if check.long_ok {
                                m.by_first_long[b as usize].push(entry);
                            }
                        }
                    }
                } else if !check.gated {
                    m.always.push(ci);
                }
                m.checks.push(check);
                let firsts = lits.into_iter().flatten().map(|lit| (lit, ci));
                let seconds = second.into_iter().flatten().map(|lit| (lit, half + ci));
                for (lit, hit) in firsts.chain(seconds) {
                    if branch.long_ok {
                        long_literals.push((lit.clone(), hit));
                    }
                    literals.push((lit, hit));
                }
            }
        }
        m.starts.sort_by_key(|s| (start_slot(s.bytes), s.bytes, s.check));
        m.start_slots = (0..=START_SLOTS)
            .map(|slot| m.starts.partition_point(|s| start_slot(s.bytes) < slot))
            .map(|at| u16::try_from(at).map_err(|_| "too many start literals".to_string()))
            .collect::<Result<_, _>>()?;
        m.bits = ByteBits::new(&needs);
        for (check, needs) in m.checks.iter_mut().zip(&needs) {
            check.needs = m.bits.masks(needs);
        }
        m.literals = LiteralGate::new(literals)?;
        m.long_literals = LiteralGate::new(long_literals)?;
        Ok(m)
    }

    /// Calls `f` with the index of every rule whose pattern matches `line` (trimmed, not
    /// empty), in no particular order, each at most once. When `long` (the line has more than
    /// [`LONG_LINE_WORDS`] words), rules whose `max_words` the line exceeds may be left out.
    /// `pre` is asked first, before any regex runs: a rule it refuses (its cheap conditions
    /// fail) is skipped.
    pub fn for_each_match(
        &self,
        line: &str,
        long: bool,
        pre: impl FnMut(usize) -> bool,
        mut f: impl FnMut(usize),
    ) {
        let mut tries = Vec::new();
        self.plan(line, long, pre, |t| tries.push(t));
        let mut done: Vec<usize> = Vec::new();
        for t in tries {
            let rule = self.rule_of(t);
            if !done.contains(&rule) && self.matches(t, line) {
                done.push(rule);
                f(rule);
            }
        }
    }

    /// The regexes worth running on `line` (trimmed, not empty), in the order to try them;
    /// the first of a rule's tries that matches decides it (see [`LineMatcher::matches`]).
    /// `long` and `pre` are as for [`LineMatcher::for_each_match`].
    pub fn plan(&self, line: &str, long: bool, mut pre: impl FnMut(usize) -> bool, mut add: impl FnMut(Try)) {
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let Scratch { lit_hit, refused, tried, allowed } = &mut *scratch;
            // Check `ci`'s first literal set is bit `ci`; its second, bit `half + ci`.
            let half = second_sets_at(self.checks.len());
            lit_hit.clear();
            lit_hit.resize(2 * half / 64, 0);
            refused.clear();
            refused.resize(self.rule_count.div_ceil(64), 0);
            tried.clear();
            tried.resize(half / 64, 0);
            allowed.clear();
            allowed.resize(self.rule_count.div_ceil(64), 0);
            // The summary of the line's bytes, for the checks' needs: built when first asked for.
            let mut summary: Option<u64> = None;
            let mut non_ascii_word: Option<bool> = None;
            let mut try_check = |ci: u32, refused: &mut Vec<u64>| {
                let check = &self.checks[ci as usize];
                let rule = check.rule;
                if (long && !check.long_ok)
                    || line.len() > check.max_len
                    || bit(refused, rule)
                    || bit(tried, ci as usize)
                {
                    return;
                }
                if !check.needs.is_empty()
                    && !meets(
                        *summary.get_or_insert_with(|| self.bits.summary(line.as_bytes())),
                        &check.needs,
                    )
                {
                    return;
                }
                set_bit(tried, ci as usize);
                // The rule's cheap conditions, asked once per line.
                if !bit(allowed, rule) {
                    if !pre(rule) {
                        set_bit(refused, rule);
                        return;
                    }
                    set_bit(allowed, rule);
                }
                let ascii = check.ascii_words.is_some()
                    && !*non_ascii_word.get_or_insert_with(|| has_non_ascii_word(line));
                add(Try(ci << 1 | u32::from(ascii)));
            };
            // Checks whose literal occurs: one pass over the line for all of them.
            let (gate, by_first) = if long {
                (&self.long_literals, &self.by_first_long)
            } else {
                (&self.literals, &self.by_first)
            };
            if let Some(gate) = gate {
                gate.mark(line, lit_hit);
            }
            let bytes_found = |ci: u32| {
                self.byte_gates
                    .iter()
                    .find(|(c, _)| *c == ci)
                    .is_some_and(|(_, lits)| lits.iter().any(|f| f.find(line.as_bytes()).is_some()))
            };
            let both_sets = |ci: u32, lit_hit: &[u64]| {
                bit(lit_hit, ci as usize)
                    && (!self.checks[ci as usize].gated_twice || bit(lit_hit, half + ci as usize))
            };
            // From the entry alone, without loading the check, for the many that fail.
            let passes_gate = |entry: u32, lit_hit: &[u64]| {
                let ci = entry >> 2;
                entry & GATED == 0
                    || (bit(lit_hit, ci as usize) && both_sets(ci, lit_hit))
                    || (entry & BYTE_GATED != 0 && bytes_found(ci))
            };
            if line.len() >= MIN_LITERAL {
                let head = head_of(line.as_bytes());
                let slot = start_slot(head);
                let (from, to) = (self.start_slots[slot], self.start_slots[slot + 1]);
                for start in &self.starts[from as usize..to as usize] {
                    if head & start.mask == start.bytes {
                        try_check(start.check, refused);
                    }
                }
            }
            let first = line.as_bytes().first().copied().unwrap_or(0);
            for &entry in &by_first[first as usize] {
                if passes_gate(entry, lit_hit) {
                    try_check(entry >> 2, refused);
                }
            }
            for word in 0..half / 64 {
                let mut bits = lit_hit[word];
                while bits != 0 {
                    let ci = (word * 64) as u32 + bits.trailing_zeros();
                    bits &= bits - 1;
                    if !self.checks[ci as usize].anchored && both_sets(ci, lit_hit) {
                        try_check(ci, refused);
                    }
                }
            }
            for (ci, _) in &self.byte_gates {
                let check = &self.checks[*ci as usize];
                if !check.anchored && (check.long_ok || !long) && bytes_found(*ci) {
                    try_check(*ci, refused);
                }
            }
            for &ci in &self.always {
                try_check(ci, refused);
            }
        });
    }

    /// The rule a try belongs to (its index in the set).
    pub fn rule_of(&self, t: Try) -> usize {
        self.checks[t.check()].rule
    }

    /// Runs a try's regex on the line it was planned for.
    pub fn matches(&self, t: Try, line: &str) -> bool {
        let check = &self.checks[t.check()];
        // A Unicode word boundary makes a regex leave its lazy DFA at the first non-ASCII
        // byte. Where no non-ASCII word character is, ASCII boundaries are the same; elsewhere
        // the wider pattern turns most lines away first.
        if let (true, Some(ascii_words)) =
            (t.ascii_words(), check.ascii_words.as_deref().and_then(Derived::get))
        {
            return ascii_words.is_match(line);
        }
        if check.wide.as_deref().and_then(Derived::get).is_some_and(|w| !w.is_match(line)) {
            return false;
        }
        match check.own.as_deref().and_then(Derived::get) {
            Some(own) => own.is_match(line),
            None => self.regexes[check.rule].as_ref().is_some_and(|r| r.is_match(line)),
        }
    }
}

/// One regex to run on one line, as [`LineMatcher::plan`] gives them: a check, and whether the
/// line lets it use ASCII word boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Try(u32);

impl Try {
    fn check(self) -> usize {
        (self.0 >> 1) as usize
    }

    fn ascii_words(self) -> bool {
        self.0 & 1 != 0
    }
}

/// What the prefilter makes of one rule, before its checks are numbered: a matcher is built
/// from the rules' analyses, and a matcher over some of the rules from theirs.
#[derive(Debug, Clone)]
pub struct Analysed {
    /// The rule's index in its set.
    pub rule: usize,
    /// The rule's regex.
    regex: LazyRegex,
    /// One per top-level alternative of its patterns: the future checks.
    branches: Vec<Branch>,
}

/// What the prefilter makes of one top-level alternative of a rule's patterns.
#[derive(Debug, Clone)]
struct Branch {
    anchored: bool,
    /// The literals every match starts with, for an anchored pattern that has a few.
    starts: Option<Vec<Vec<u8>>>,
    gate: Gate,
    max_len: usize,
    long_ok: bool,
    needs: Needs,
    /// The bytes a match can start with, and whether it can be empty.
    first: (ByteSet, bool),
    /// The alternative compiled on its own, when the rule has several: the rule's regex
    /// holds them all, and one word boundary in any of them makes it leave its lazy DFA on
    /// every non-ASCII line (for a slower engine, some fifty times slower on a hit).
    own: Option<Arc<Derived>>,
    /// The alternative with word boundaries dropped, when it has Unicode ones: a lazy DFA to
    /// the end on any text, tried first on lines with non-ASCII word characters, where `own`
    /// may not be.
    wide: Option<Arc<Derived>>,
    /// The alternative with its Unicode word boundaries made ASCII, when it has any: exact,
    /// and a lazy DFA to the end, on lines without non-ASCII word characters (most lines;
    /// curly quotes and dashes are not word characters).
    ascii_words: Option<Arc<Derived>>,
}

/// Analyses each rule's patterns, in parallel.
pub fn analyse_all(sources: &[PatternSource<'_>]) -> Result<Vec<Analysed>, String> {
    sources.par_iter().map(analyse).collect()
}

/// Analyses one rule's patterns: their alternatives, gates, needs and first bytes.
fn analyse(src: &PatternSource<'_>) -> Result<Analysed, String> {
    let parse = |p: &str| {
        regex_syntax::ParserBuilder::new()
            .case_insensitive(src.case_insensitive)
            .build()
            .parse(p)
            .map_err(|e| format!("rule pattern does not parse for the prefilter: {e}"))
    };
    let mut alternatives = Vec::new();
    for pattern in src.patterns {
        alternatives.extend(top_alternatives(&parse(pattern)?));
    }
    let stripped: Vec<Hir> = alternatives.iter().map(without_word_boundaries).collect();
    let several = alternatives.len() > 1;
    let branches = alternatives
        .iter()
        .zip(&stripped)
        .map(|(alternative, stripped)| {
            let folded = fold_ascii_case(stripped);
            let props = alternative.properties();
            let anchored = props.look_set_prefix().contains(Look::Start);
            // An anchored pattern whose matches start with one of a few literals is gated by
            // comparing the line's first bytes: cheaper than putting them in the automaton,
            // which finds them anywhere in the line.
            let starts = if anchored { start_literals(&folded) } else { None };
            let gate = if starts.is_some() { Gate::None } else { literal_gate(&folded) };
            let max_len = match props.maximum_len() {
                Some(n) if anchored && props.look_set_suffix().contains(Look::End) => n,
                _ => usize::MAX,
            };
            // Only Unicode word boundaries make the regex leave its lazy DFA.
            let ascii_words = with_ascii_word_boundaries(alternative);
            Ok(Branch {
                own: several.then(|| Derived::new(alternative.clone())),
                wide: ascii_words.is_some().then(|| Derived::new(stripped.clone())),
                ascii_words: ascii_words.map(Derived::new),
                anchored,
                starts,
                gate,
                max_len,
                // A line of more than LONG_LINE_WORDS words has at least twice as many bytes.
                long_ok: src.max_words.is_none_or(|w| w > LONG_LINE_WORDS) && max_len > 2 * LONG_LINE_WORDS,
                needs: Needs::of(stripped),
                first: first_bytes(alternative),
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(Analysed { rule: src.rule, regex: src.regex.clone(), branches })
}

/// Per-thread buffers for [`LineMatcher::plan`], so that no line allocates.
#[derive(Default)]
struct Scratch {
    /// Checks whose literal gate passed, as a bitset.
    lit_hit: Vec<u64>,
    /// Rules whose cheap conditions the line fails, as a bitset.
    refused: Vec<u64>,
    /// Checks already tried on the line, as a bitset.
    tried: Vec<u64>,
    /// Rules whose cheap conditions the line meets, as a bitset.
    allowed: Vec<u64>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The top-level alternatives of a pattern (itself when it has none).
fn top_alternatives(hir: &Hir) -> Vec<Hir> {
    match hir.kind() {
        HirKind::Alternation(subs) => subs.clone(),
        HirKind::Capture(cap) => top_alternatives(&cap.sub),
        _ => vec![hir.clone()],
    }
}

/// A start literal (at most eight bytes, ASCII lower case) and the check it admits.
#[derive(Debug, Clone)]
struct StartLiteral {
    /// The literal's bytes, little-endian, as [`head_of`] reads a line's.
    bytes: u64,
    /// Ones over the literal's bytes.
    mask: u64,
    check: u32,
}

impl StartLiteral {
    fn new(lit: &[u8], check: u32) -> StartLiteral {
        let mask = if lit.len() >= 8 { u64::MAX } else { (1u64 << (8 * lit.len())) - 1 };
        StartLiteral { bytes: head_of(lit) & mask, mask, check }
    }
}

/// Slots of the start literals' index: a few hundred literals leave most of them empty.
const START_SLOTS: usize = 1024;

/// The slot of a head (or start literal) read by [`head_of`]: a hash of its first
/// [`MIN_LITERAL`] bytes.
fn start_slot(head: u64) -> usize {
    let key = (head & 0xff_ffff) as u32;
    (key.wrapping_mul(0x9E37_79B1) >> 22) as usize
}

/// The first eight bytes of `bytes` (zeros past its end) in ASCII lower case, little-endian:
/// a start literal is compared with a line's head in one step.
fn head_of(bytes: &[u8]) -> u64 {
    let mut head = [0u8; 8];
    let n = bytes.len().min(8);
    head[..n].copy_from_slice(&bytes[..n]);
    u64::from_le_bytes(head.map(|b| b.to_ascii_lowercase()))
}

/// An entry of [`LineMatcher::by_first`]: the check's index shifted left by two, and its gate
/// as flags in the low bits ([`GATED`], [`BYTE_GATED`]).
fn first_entry(ci: u32, check: &Check) -> u32 {
    (ci << 2) | if check.gated { GATED } else { 0 } | if check.byte_gated { BYTE_GATED } else { 0 }
}

/// Flag of a [`first_entry`]: the check is gated by literals.
const GATED: u32 = 1;
/// Flag of a [`first_entry`]: by byte gates.
const BYTE_GATED: u32 = 2;

/// The literals every match of an anchored (case-folded) pattern starts with, if there are a
/// few of at least [`MIN_LITERAL`] bytes.
fn start_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let seq = extract(ExtractKind::Prefix, 64, hir);
    let lits = seq.literals()?;
    if lits.is_empty() || lits.iter().any(|l| l.len() < MIN_LITERAL) {
        return None;
    }
    let cut = |l: &[u8]| l[..l.len().min(KEEP_LITERAL)].to_ascii_lowercase();
    Some(minimal_prefixes(lits.iter().map(|l| cut(l.as_bytes())).collect()))
}

/// The distinct literals of `lits`, without those that start with another one (a line
/// starting with the longer starts with the shorter). Unlike [`minimal`], a literal that
/// holds another one elsewhere stays: `(foto:` and `foto:` are both needed at a line's start.
fn minimal_prefixes(mut lits: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    lits.sort();
    lits.dedup();
    let mut out: Vec<Vec<u8>> = Vec::new();
    for lit in lits {
        // Sorted, so a prefix of `lit` that is kept is the last one kept, if any.
        if !out.last().is_some_and(|o| lit.starts_with(o)) {
            out.push(lit);
        }
    }
    out
}

/// The literal sequence of `hir` of the given kind, within the prefilter's limits.
fn extract(kind: ExtractKind, limit_total: usize, hir: &Hir) -> Seq {
    let mut ex = Extractor::new();
    ex.kind(kind).limit_class(8).limit_repeat(4).limit_literal_len(24).limit_total(limit_total);
    ex.extract(hir)
}

/// A finite, non-empty sequence's literals lowercased, cut to their first (for a prefix) or
/// last (for a suffix) [`KEEP_LITERAL`] bytes (a match holds the whole literal, so it holds
/// the cut) and made [`minimal`]; `None` when the sequence is infinite or has an empty literal.
fn cut_literals(seq: &Seq, is_prefix: bool) -> Option<Vec<Vec<u8>>> {
    let lits = seq.literals()?;
    if lits.is_empty() || lits.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    let cut = |l: &[u8]| {
        let n = l.len().min(KEEP_LITERAL);
        if is_prefix { l[..n].to_ascii_lowercase() } else { l[l.len() - n..].to_ascii_lowercase() }
    };
    Some(minimal(lits.iter().map(|l| cut(l.as_bytes())).collect()))
}

/// The distinct literals of `lits`, without those that contain another one (a line holding
/// the longer one holds the shorter).
fn minimal(mut lits: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    lits.sort_by_key(Vec::len);
    lits.dedup();
    let mut out: Vec<Vec<u8>> = Vec::new();
    for lit in lits {
        if !out.iter().any(|o| memchr::memmem::find(&lit, o).is_some()) {
            out.push(lit);
        }
    }
    out.sort();
    out
}

/// What a check needs to find in a line before its regex is worth running.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Gate {
    /// One of these literals (lowercase; matched ignoring ASCII case), at least
    /// [`MIN_LITERAL`] bytes long; or, when a second set is given, one of each set.
    Literals(Vec<Vec<u8>>, Option<Vec<Vec<u8>>>),
    /// One of these few short literals without ASCII letters, matched exactly.
    Bytes(Vec<Vec<u8>>),
    /// Nothing usable.
    None,
}

/// A literal set and the piece of the pattern's top-level concatenation it came from (`None`:
/// the whole pattern's prefix or suffix).
type PieceLiterals = (Option<usize>, Vec<Vec<u8>>);

/// The best gate for a (case-folded) pattern: literals every match must start or end with,
/// or that an exact piece of its top-level concatenation matches. When two such sets come
/// from different pieces, a line must hold one literal of each: a common word (" here") then
/// gates little on its own, but rarely comes with the other piece ("click").
fn literal_gate(hir: &Hir) -> Gate {
    let extract = |kind: ExtractKind, hir: &Hir| extract(kind, 128, hir);
    let mut seqs = vec![
        (None, true, extract(ExtractKind::Prefix, hir)),
        (None, false, extract(ExtractKind::Suffix, hir)),
    ];
    let mut inner = hir;
    while let HirKind::Capture(cap) = inner.kind() {
        inner = &cap.sub;
    }
    if let HirKind::Concat(parts) = inner.kind() {
        // Every match of the whole contains a match of each part, and so one of the part's
        // prefix literals (exact or not); a part that can match empty yields "" and is skipped.
        seqs.extend(parts.iter().enumerate().map(|(k, p)| (Some(k), true, extract(ExtractKind::Prefix, p))));
    }
    let mut long: Vec<PieceLiterals> = Vec::new();
    let mut short: Option<Vec<Vec<u8>>> = None;
    for (piece, is_prefix, seq) in seqs {
        let Some(found) = cut_literals(&seq, is_prefix) else { continue };
        if shortest(&found) >= MIN_LITERAL {
            long.push((piece, found));
        } else if found.len() <= 4
            && found.iter().all(|l| !l.iter().any(u8::is_ascii_alphabetic))
            && short.as_ref().is_none_or(|b| found.len() < b.len())
        {
            short = Some(found);
        }
    }
    if let HirKind::Concat(parts) = inner.kind() {
        long.extend(parts.iter().enumerate().filter_map(|(k, p)| Some((Some(k), required(p)?))));
    }
    // The index of the best set among those `keep` allows.
    let best = |keep: &dyn Fn(&PieceLiterals) -> bool| {
        (0..long.len()).filter(|&i| keep(&long[i])).fold(None, |b: Option<usize>, i| match b {
            Some(b) if !better(&long[i].1, &long[b].1) => Some(b),
            _ => Some(i),
        })
    };
    let Some(first) = best(&|_| true) else {
        return short.map_or(Gate::None, Gate::Bytes);
    };
    // A second set, from another piece (so not the same words cut another way), with a few
    // literals: one more automaton state or so each.
    let second = long[first]
        .0
        .and_then(|piece| best(&|(p, set)| p.is_some_and(|p| p != piece) && set.len() <= MAX_SECOND_SET));
    Gate::Literals(long[first].1.clone(), second.map(|i| long[i].1.clone()))
}

/// The length of the shortest literal of a set.
fn shortest(set: &[Vec<u8>]) -> usize {
    set.iter().map(Vec::len).min().unwrap_or(0)
}

/// How rarely a literal occurs in prose, roughly: its length, with punctuation counting three
/// times (`[see` is rarer than `more`).
fn strength(lit: &[u8]) -> usize {
    lit.len() + 2 * lit.iter().filter(|b| b.is_ascii_punctuation()).count()
}

/// Whether literal set `a` makes a better gate than `b`: the set whose weakest literal is the
/// strongest wins (a line holding it is rarer), then the one with fewer literals (fewer, shorter
/// literals make a smaller automaton, and a smaller automaton a faster pass over every line).
fn better(a: &[Vec<u8>], b: &[Vec<u8>]) -> bool {
    let weakest = |set: &[Vec<u8>]| set.iter().map(|l| strength(l)).min().unwrap_or(0);
    (weakest(a), b.len()) > (weakest(b), a.len())
}

/// Literals (cut and lowercase, as gates hold them) one of which every match of a
/// (case-folded) pattern contains, found through its structure: a concatenation needs what
/// its best part needs (or one of the literals that part starts with), an alternation one of
/// what each branch needs, a repetition what its body needs if it runs at least once. `None`
/// when some way of matching needs no literal of at least [`MIN_LITERAL`] bytes, or when
/// there are more than [`MAX_REQUIRED`].
fn required(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Literal(lit) if lit.0.len() >= MIN_LITERAL => {
            Some(vec![lit.0[..lit.0.len().min(KEEP_LITERAL)].to_ascii_lowercase()])
        }
        HirKind::Capture(cap) => required(&cap.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => required(&rep.sub),
        HirKind::Alternation(subs) => {
            let mut all = Vec::new();
            for sub in subs {
                all.extend(required(sub)?);
            }
            let all = minimal(all);
            (all.len() <= MAX_REQUIRED).then_some(all)
        }
        HirKind::Concat(parts) => parts
            .iter()
            .flat_map(|p| [required(p), cut_literals(&extract(ExtractKind::Prefix, 128, p), true)])
            .flatten()
            .filter(|set| shortest(set) >= MIN_LITERAL)
            .reduce(|a, b| if better(&b, &a) { b } else { a }),
        _ => None,
    }
}

/// The pattern with each class that is one ASCII letter in both cases (as case-insensitive
/// patterns write every letter) turned into that letter in lower case, so that literals can be
/// extracted; the gate matches them ignoring ASCII case. The Kelvin sign and long s, which
/// Unicode folds with `k` and `s`, are folded too: a line spelling a gating word with them is
/// not tried, an accepted approximation.
fn fold_ascii_case(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Unicode(c)) => {
            let chars: Vec<char> = c.iter().flat_map(|r| r.start()..=r.end()).take(4).collect();
            let lower: Vec<char> = chars
                .iter()
                .map(|&ch| match ch {
                    '\u{212a}' => 'k',
                    '\u{17f}' => 's',
                    ch => ch.to_ascii_lowercase(),
                })
                .collect();
            if chars.len() >= 2 && lower[0].is_ascii_lowercase() && lower.iter().all(|&l| l == lower[0]) {
                Hir::literal(lower[0].to_string().into_bytes())
            } else {
                hir.clone()
            }
        }
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(fold_ascii_case).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(fold_ascii_case).collect()),
        HirKind::Repetition(rep) => {
            Hir::repetition(Repetition { sub: Box::new(fold_ascii_case(&rep.sub)), ..rep.clone() })
        }
        HirKind::Capture(cap) => {
            Hir::capture(Capture { sub: Box::new(fold_ascii_case(&cap.sub)), ..cap.clone() })
        }
        _ => hir.clone(),
    }
}

/// The bytes a match of `hir` can start with, and whether it can match the empty string.
fn first_bytes(hir: &Hir) -> (ByteSet, bool) {
    let mut set = ByteSet::default();
    let nullable = add_first(hir, &mut set);
    (set, nullable)
}

/// Adds the possible first bytes of `hir` to `set`; returns whether `hir` can match empty.
fn add_first(hir: &Hir, set: &mut ByteSet) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(lit) => match lit.0.first() {
            Some(&b) => {
                set.insert(b);
                false
            }
            None => true,
        },
        HirKind::Class(Class::Unicode(c)) => {
            set.add_leads(c);
            false
        }
        HirKind::Class(Class::Bytes(c)) => {
            for r in c.ranges() {
                for b in r.start()..=r.end() {
                    set.insert(b);
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

/// The pattern with every word-boundary assertion replaced by an empty match (a wider
/// pattern).
fn without_word_boundaries(hir: &Hir) -> Hir {
    rewrite_looks(hir, &|look| is_word_look(look).then(Hir::empty))
}

/// The pattern with its Unicode word-boundary assertions made ASCII ones, which a lazy DFA
/// follows on any text: the same matches on a line without non-ASCII word characters (see
/// [`has_non_ascii_word`]), and `None` when it has no Unicode word boundary.
fn with_ascii_word_boundaries(hir: &Hir) -> Option<Hir> {
    let changed = std::cell::Cell::new(false);
    let out = rewrite_looks(hir, &|look| {
        let ascii = match look {
            Look::WordUnicode => Look::WordAscii,
            Look::WordUnicodeNegate => Look::WordAsciiNegate,
            Look::WordStartUnicode => Look::WordStartAscii,
            Look::WordEndUnicode => Look::WordEndAscii,
            Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
            Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
            _ => return None,
        };
        changed.set(true);
        Some(Hir::look(ascii))
    });
    changed.get().then_some(out)
}

/// Whether `line` holds a non-ASCII character that a Unicode `\w` matches (`é`, `ж`; not
/// `“` or `—`): where Unicode and ASCII word boundaries can differ.
fn has_non_ascii_word(line: &str) -> bool {
    !line.is_ascii() && line.chars().any(|c| !c.is_ascii() && regex_syntax::is_word_character(c))
}

/// `hir` with each look-around assertion replaced by what `f` gives for it (kept when `None`).
fn rewrite_looks(hir: &Hir, f: &dyn Fn(Look) -> Option<Hir>) -> Hir {
    match hir.kind() {
        HirKind::Look(look) => f(*look).unwrap_or_else(|| hir.clone()),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(|h| rewrite_looks(h, f)).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(|h| rewrite_looks(h, f)).collect()),
        HirKind::Repetition(rep) => {
            Hir::repetition(Repetition { sub: Box::new(rewrite_looks(&rep.sub, f)), ..rep.clone() })
        }
        HirKind::Capture(cap) => {
            Hir::capture(Capture { sub: Box::new(rewrite_looks(&cap.sub, f)), ..cap.clone() })
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
    fn word_boundaries_are_dropped() {
        let stripped = without_word_boundaries(&parse(r"\bAd\b|x"));
        assert!(regex::Regex::new(&stripped.to_string()).unwrap().is_match("xAdx"));
        assert_eq!(without_word_boundaries(&parse("^Ad$")), parse("^Ad$"));
    }

    #[test]
    fn first_bytes_cover_every_possible_start() {
        let (set, nullable) = first_bytes(&parse(r"^(?:By|\p{Lu}x|(?i)sign up)"));
        assert!(!nullable);
        for b in [b'B', b'A', b'Z', b's', b'S', 0xc3] {
            assert!(set.contains(b), "{}", b as char);
        }
        assert!(!set.contains(b'b') && !set.contains(b'1'));
        assert!(first_bytes(&parse(r"^\s*x?")).1);
        let (set, _) = first_bytes(&parse(r"^\s*\(AP"));
        assert!(set.contains(b'(') && set.contains(b' '));
    }

    /// A rule is tried on each alternative the line passed, until one matches: one that fails
    /// does not decide the rule, a word boundary in one does not slow or change the others, and
    /// on non-ASCII lines the boundary still holds.
    #[test]
    fn rules_are_tried_alternative_by_alternative() {
        // Two alternatives sharing a gate literal; one has word boundaries.
        let patterns =
            [r"^Sponsored\b.{0,40}$".to_string(), "^Sponsored content by [^()]{1,80}$".to_string()];
        let source = PatternSource::new(0, &patterns, false, None);
        let regex = source.regex.clone();
        let matcher = LineMatcher::new(&[source]).unwrap();
        let matches = |line: &str| {
            let mut got = Vec::new();
            matcher.for_each_match(line, false, |_| true, |ri| got.push(ri));
            got
        };
        assert_eq!(matches("Sponsored content by Acme Ltd"), vec![0]);
        assert_eq!(matches("Sponsored: the Acme story"), vec![0]);
        assert!(matches("Sponsoredcontent and more").is_empty());
        // The first alternative fails (more than 40 characters follow), the second matches.
        let long_tail = "Sponsored content by Café Ünïcode Holdings and Partners of the Greater Region";
        assert_eq!(matches(long_tail), vec![0]);
        assert_eq!(matches("Sponsored — “Café” week"), vec![0]);
        // No non-ASCII word character: tried with ASCII word boundaries.
        assert!(!has_non_ascii_word("Sponsored — “the” week"));
        assert_eq!(matches("Sponsored — “the” week"), vec![0]);
        assert!(matches("Sponsored_x — “the” week").is_empty());
        assert!(matches("Sponsoredé “Café” week").is_empty());
        for line in [long_tail, "Sponsored — “Café” week", "Sponsoredé “Café” week", "Sponsored content"]
        {
            assert_eq!(!matches(line).is_empty(), regex.is_match(line), "{line:?}");
        }
    }

    #[test]
    fn ascii_word_boundaries_only_where_unicode_ones_are() {
        assert!(has_non_ascii_word("Café") && has_non_ascii_word("жук") && has_non_ascii_word("٣"));
        assert!(!has_non_ascii_word("“Quoted” — ‘dashes’ … • © ™") && !has_non_ascii_word("plain"));
        let ascii = with_ascii_word_boundaries(&parse(r"\bAd\B|x")).unwrap();
        let expected = Hir::alternation(vec![
            Hir::concat(vec![Hir::look(Look::WordAscii), parse("Ad"), Hir::look(Look::WordAsciiNegate)]),
            parse("x"),
        ]);
        assert_eq!(ascii, expected);
        assert_eq!(with_ascii_word_boundaries(&parse(r"^Ad(?-u:\b)")), None);
    }

    #[test]
    fn start_literals_only_for_a_few_long_enough_heads() {
        let lits = |v: &[&str]| v.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(start_literals(&parse(r"^(?:Read more|See also):")), Some(lits(&["read m", "see al"])));
        assert_eq!(start_literals(&parse(r"^By \w+")), Some(lits(&["by "])));
        assert_eq!(start_literals(&parse(r"^B\w+")), None);
        assert_eq!(start_literals(&parse(r"^\w+ said")), None);
        // An optional opening bracket: the literal with it does not start with the one
        // without, so both stay (one holding the other elsewhere is not enough).
        assert_eq!(start_literals(&parse(r"^\(?Foto:\s?dpa")), Some(lits(&["(foto:", "foto:"])));
        assert_eq!(start_literals(&parse(r"^(?:Foto|Fotos):")), Some(lits(&["foto:", "fotos:"])));
        assert_eq!(start_slot(head_of(b"ReAd")), start_slot(head_of(b"rea")));
        let lit = StartLiteral::new(b"read m", 0);
        assert_eq!(head_of(b"READ MORE: x") & lit.mask, lit.bytes);
        assert_ne!(head_of(b"Read") & lit.mask, lit.bytes);
    }

    /// Lines are walked in two or four parts: a literal anywhere, across a cut too, is found.
    #[test]
    fn literal_gate_finds_literals_across_the_cuts() {
        let lits = ["photo", "(ap", "getty ", "x"];
        let gate = LiteralGate::new(
            lits.iter().enumerate().map(|(i, l)| (l.as_bytes().to_vec(), i as u32)).collect(),
        )
        .unwrap()
        .unwrap();
        for len in 0..200usize {
            for (i, lit) in lits.iter().enumerate() {
                for at in 0..=len.saturating_sub(lit.len()) {
                    let mut line = "o".repeat(len.max(lit.len()));
                    line.replace_range(at..at + lit.len(), &lit.to_uppercase());
                    let mut hit = [0u64];
                    gate.mark(&line, &mut hit);
                    assert_eq!(hit[0], 1 << i, "{lit:?} at {at} of {len}");
                }
            }
        }
    }

    #[test]
    fn required_literals_follow_the_pattern_structure() {
        let lits = |v: &[&str]| Some(v.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>());
        // Optional words need nothing; the alternation needs one of its branches' words.
        assert_eq!(
            required(&parse(r"(?:(?:senior|chief)\s+)*(?:writer|reporter)s?")),
            lits(&["report", "writer"])
        );
        assert_eq!(
            required(&parse(r"(?:comments?|\d+ comments?|leave a reply)")),
            lits(&[" comme", "commen", "leave "])
        );
        assert_eq!(required(&parse(r"(?:comments?|\d+|leave a reply)")), None);
        assert_eq!(required(&parse(r"(?:news)?\w+")), None);
        // A gate found this way for an anchored pattern without a usable prefix.
        let gate = literal_gate(&parse(r"^\w+,\s*(?:(?:senior|chief)\s+)*(?:writer|reporter)s?$"));
        assert_eq!(gate, Gate::Literals(lits(&["report", "writer"]).unwrap(), None));
    }

    #[test]
    fn literal_gates_need_selective_literals() {
        let lits = |v: &[&str]| v.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(literal_gate(&parse(r"\(AP Photo/[^)]+\)$")), Gate::Literals(lits(&["(ap ph"]), None));
        assert_eq!(literal_gate(&parse(r"\w+ - YouTube$")), Gate::Literals(lits(&[" - you"]), None));
        assert_eq!(literal_gate(&parse(r"\w+\)$")), Gate::Bytes(lits(&[")"])));
        assert_eq!(literal_gate(&parse(r"\w+x$")), Gate::None);
        assert_eq!(
            literal_gate(&parse(r"\d+ (?:issues|months) for \d")),
            Gate::Literals(lits(&["issues", "months"]), Some(lits(&[" for "])))
        );
        // A common word gates with another piece of the pattern; the same words cut from the
        // other end are not a second piece.
        assert_eq!(
            literal_gate(&parse(r"(?:^|\s)(?:click|tap) (?:here|this link)(?: to [^.]{1,60})?[.!]?$")),
            Gate::Literals(lits(&["here", "this l"]), Some(lits(&["click", "tap"])))
        );
        let ci = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse("(?:reporting|editing) by")
            .unwrap();
        assert_eq!(literal_gate(&fold_ascii_case(&ci)), Gate::Literals(lits(&["ing by"]), None));
    }
}
