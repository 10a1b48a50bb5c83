//! The prefilter itself: checks (one per top-level alternative of a rule's patterns) indexed
//! by how a line can admit them, and, per line, the regexes worth running and running them.

use std::sync::Arc;

use super::PatternSource;
use super::analyse::{Analysed, analyse_all, has_non_ascii_word};
use super::gate::{LiteralGate, START_SLOTS, StartLiteral, head_of, start_slot};
use super::lazy::{Derived, LazyRegex};
use super::literals::{Gate, MIN_LITERAL};
use super::needs::{ByteBits, Needs, meets};

/// When one pattern (or one top-level alternative of it) makes its rule worth trying on a
/// line. Trying a rule runs its whole regex: checks only decide when.
#[derive(Debug, Clone)]
struct Check {
    rule: usize,
    long_ok: bool,
    /// Tried only when one of its literals occurs in the line.
    gated: bool,
    /// And one of a second set of literals (see [`literal_gate`](super::literals::literal_gate)).
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
    /// automata, and free of the others' word boundaries (see
    /// [`Branch::own`](super::analyse::Branch::own)).
    own: Option<Arc<Derived>>,
    /// The alternative with word boundaries dropped (see
    /// [`Branch::wide`](super::analyse::Branch::wide)).
    wide: Option<Arc<Derived>>,
    /// The alternative with ASCII word boundaries (see
    /// [`Branch::ascii_words`](super::analyse::Branch::ascii_words)).
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

/// Whether bit `i` of a bitset is set.
fn bit(set: &[u64], i: usize) -> bool {
    set[i / 64] & (1 << (i % 64)) != 0
}

/// Sets bit `i` of a bitset.
pub(super) fn set_bit(set: &mut [u64], i: usize) {
    set[i / 64] |= 1 << (i % 64);
}

/// Where the bits of checks' second literal sets start, for `checks` checks: past the first
/// sets' bits, on a word boundary.
fn second_sets_at(checks: usize) -> usize {
    checks.div_ceil(64) * 64
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
    /// [`LONG_LINE_WORDS`](super::LONG_LINE_WORDS) words), rules whose `max_words` the line
    /// exceeds may be left out. `pre` is asked first, before any regex runs: a rule it refuses
    /// (its cheap conditions fail) is skipped.
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

/// An entry of [`LineMatcher::by_first`]: the check's index shifted left by two, and its gate
/// as flags in the low bits ([`GATED`], [`BYTE_GATED`]).
fn first_entry(ci: u32, check: &Check) -> u32 {
    (ci << 2) | if check.gated { GATED } else { 0 } | if check.byte_gated { BYTE_GATED } else { 0 }
}

/// Flag of a [`first_entry`]: the check is gated by literals.
const GATED: u32 = 1;
/// Flag of a [`first_entry`]: by byte gates.
const BYTE_GATED: u32 = 2;
