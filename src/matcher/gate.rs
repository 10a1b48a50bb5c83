//! Finding gate literals in a line: the literals anywhere in it in one Aho-Corasick pass, and
//! the literals a line must start with by comparing its first eight bytes with each, looked
//! up by a hash of the first three.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{Anchored, MatchKind as AcMatchKind, StartKind};

use super::literals::KEEP_LITERAL;
use super::prefilter::set_bit;

/// Literals and the checks each one gates, found in one Aho-Corasick pass over a line.
#[derive(Debug, Clone)]
pub(super) struct LiteralGate {
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
    pub(super) fn new(mut literals: Vec<(Vec<u8>, u32)>) -> Result<Option<LiteralGate>, String> {
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
    pub(super) fn mark(&self, line: &str, hit: &mut [u64]) {
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

/// A start literal (at most eight bytes, ASCII lower case) and the check it admits.
#[derive(Debug, Clone)]
pub(super) struct StartLiteral {
    /// The literal's bytes, little-endian, as [`head_of`] reads a line's.
    pub(super) bytes: u64,
    /// Ones over the literal's bytes.
    pub(super) mask: u64,
    pub(super) check: u32,
}

impl StartLiteral {
    pub(super) fn new(lit: &[u8], check: u32) -> StartLiteral {
        let mask = if lit.len() >= 8 { u64::MAX } else { (1u64 << (8 * lit.len())) - 1 };
        StartLiteral { bytes: head_of(lit) & mask, mask, check }
    }
}

/// Slots of the start literals' index: a few hundred literals leave most of them empty.
pub(super) const START_SLOTS: usize = 1024;

/// The slot of a head (or start literal) read by [`head_of`]: a hash of its first
/// [`MIN_LITERAL`](super::literals::MIN_LITERAL) bytes.
pub(super) fn start_slot(head: u64) -> usize {
    let key = (head & 0xff_ffff) as u32;
    (key.wrapping_mul(0x9E37_79B1) >> 22) as usize
}

/// The first eight bytes of `bytes` (zeros past its end) in ASCII lower case, little-endian:
/// a start literal is compared with a line's head in one step.
pub(super) fn head_of(bytes: &[u8]) -> u64 {
    let mut head = [0u8; 8];
    let n = bytes.len().min(8);
    head[..n].copy_from_slice(&bytes[..n]);
    u64::from_le_bytes(head.map(|b| b.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn start_literals_compare_with_a_lines_head_in_any_case() {
        assert_eq!(start_slot(head_of(b"ReAd")), start_slot(head_of(b"rea")));
        let lit = StartLiteral::new(b"read m", 0);
        assert_eq!(head_of(b"READ MORE: x") & lit.mask, lit.bytes);
        assert_ne!(head_of(b"Read") & lit.mask, lit.bytes);
    }
}
