//! The regexes a batch of documents needs, run rule by rule across the whole batch rather than
//! line by line: a rule's lazy DFA then finds its states still in the caches at its next line,
//! where line by line the other rules' regexes and the literal automaton evict them in between.

use crate::matcher::Try;
use crate::rules::RuleSet;

use super::lines::Lines;

/// One regex to run on one line of one document of a batch.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineTry {
    /// The document's index in the batch.
    pub doc: u32,
    /// The line's index in the document.
    pub line: u32,
    /// The rule the try decides.
    pub rule: u32,
    /// The prefilter that planned it ([`RuleSet::matcher_at`]).
    pub matcher: u8,
    /// The regex.
    pub t: Try,
}

/// Runs the tries (planned document by document, line by line) grouped by rule, and tells
/// which matched: per line, the first of a rule's tries that matches, in planned order (the
/// rest of that rule's tries on that line do not run).
pub(crate) fn run(rules: &RuleSet, docs: &[Lines<'_>], tries: &[LineTry]) -> Vec<bool> {
    // A stable counting sort by rule: within a rule, tries stay in document, line and planned
    // order, so a rule's tries on one line are next to each other.
    let mut at = vec![0u32; rules.rules().len() + 1];
    for lt in tries {
        at[lt.rule as usize + 1] += 1;
    }
    for r in 1..at.len() {
        at[r] += at[r - 1];
    }
    let mut order = vec![0u32; tries.len()];
    for (i, lt) in tries.iter().enumerate() {
        let slot = &mut at[lt.rule as usize];
        order[*slot as usize] = i as u32;
        *slot += 1;
    }
    let mut matched = vec![false; tries.len()];
    let mut decided = None;
    for i in order {
        let lt = tries[i as usize];
        let key = (lt.rule, lt.doc, lt.line);
        if decided == Some(key) {
            continue;
        }
        let line = docs[lt.doc as usize].lines[lt.line as usize].text;
        if rules.matcher_at(lt.matcher).matches(lt.t, line) {
            matched[i as usize] = true;
            decided = Some(key);
        }
    }
    matched
}
