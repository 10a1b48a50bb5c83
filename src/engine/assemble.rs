//! Merging candidates into removals and writing the cleaned text, with blank-line tidying.

use std::borrow::Cow;

use crate::rules::{Kind, RuleSet};

use super::candidates::Candidate;
use super::lines::Lines;
use super::{Cleaned, Removal};

/// A merged range and the rules that proposed parts of it, sorted (the first is credited).
struct Merged {
    start: usize,
    end: usize,
    rules: Vec<usize>,
}

/// `scores`, when a model ran: each line's probability of boilerplate, reported on the
/// removals the model took part in.
pub(crate) fn assemble<'a>(
    rules: &RuleSet,
    lines: &Lines<'a>,
    mut found: Vec<Candidate>,
    scores: Option<&[f32]>,
) -> Cleaned<'a> {
    let mut merged = merge(&mut found);
    let emptied = emptied_lines(lines, &merged);
    if !emptied.is_empty() {
        found.extend(emptied);
        merged = merge(&mut found);
    }
    let input = lines.input;
    let ranges: Vec<(usize, usize)> = merged.iter().map(|m| (m.start, m.end)).collect();
    let status = statuses(lines, &ranges);
    let keep_blank = tidy_blanks(&status);

    let mut out = String::with_capacity(input.len());
    let mut k = 0;
    for (i, line) in lines.lines.iter().enumerate() {
        match status[i] {
            Status::Kept => out.push_str(&input[line.start..line.end]),
            Status::Blank if keep_blank[i] => out.push_str(&input[line.start..line.end]),
            Status::Blank | Status::Gone => {}
            Status::Edited => {
                while merged[k].end <= line.start {
                    k += 1;
                }
                let mut pos = line.start;
                for m in merged[k..].iter().take_while(|m| m.start < line.end) {
                    if m.start > pos {
                        out.push_str(&input[pos..m.start]);
                    }
                    pos = pos.max(m.end);
                }
                if pos < line.end {
                    out.push_str(&input[pos..line.end]);
                }
            }
        }
    }
    let line_of = |pos: usize| lines.lines.partition_point(|l| l.start <= pos) - 1;
    let removals = merged
        .into_iter()
        .map(|m| {
            let rule = &rules.rules()[m.rules[0]];
            let (first, last) = (line_of(m.start), line_of(m.end - 1));
            let by_model = m.rules.iter().any(|&r| rules.rules()[r].kind == Kind::Model);
            let score =
                scores.filter(|_| by_model).map(|s| s[first..=last].iter().copied().fold(0f32, f32::max));
            Removal {
                rule: rule.id.clone(),
                category: rule.category,
                also: m.rules[1..].iter().map(|&r| rules.rules()[r].id.clone()).collect(),
                start: m.start,
                end: m.end,
                first_line: first + 1,
                last_line: last + 1,
                text: &input[m.start..m.end],
                score,
            }
        })
        .collect();
    Cleaned { text: Cow::Owned(out), removals }
}

/// Sorts candidates and merges the overlapping ones; ranges that only touch stay apart, so that
/// each keeps its own rule.
fn merge(found: &mut [Candidate]) -> Vec<Merged> {
    found.sort_unstable_by_key(|c| (c.start, c.rule, c.end));
    let mut out: Vec<Merged> = Vec::with_capacity(found.len());
    for c in found.iter().filter(|c| c.end > c.start) {
        match out.last_mut() {
            Some(m) if c.start < m.end => {
                m.end = m.end.max(c.end);
                m.rules.push(c.rule);
            }
            _ => out.push(Merged { start: c.start, end: c.end, rules: vec![c.rule] }),
        }
    }
    for m in &mut out {
        m.rules.sort_unstable();
        m.rules.dedup();
    }
    out
}

/// Whole-line candidates for lines that removals inside them left holding only whitespace.
fn emptied_lines(lines: &Lines<'_>, merged: &[Merged]) -> Vec<Candidate> {
    let input = lines.input;
    let mut extra = Vec::new();
    let mut k = 0;
    for line in &lines.lines {
        while k < merged.len() && merged[k].end <= line.start {
            k += 1;
        }
        let touching = merged[k..].iter().take_while(|m| m.start < line.end);
        let (mut pos, mut only_space, mut first_rule, mut any) = (line.start, true, usize::MAX, false);
        for m in touching {
            any = true;
            only_space &= input[pos..m.start.max(pos)].trim().is_empty();
            pos = pos.max(m.end);
            first_rule = first_rule.min(m.rules[0]);
        }
        if !any || (pos >= line.end && merged[k].start <= line.start) {
            continue;
        }
        only_space &= pos >= line.end || input[pos..line.end].trim().is_empty();
        if only_space && !line.is_blank() {
            extra.push(Candidate { start: line.start, end: line.end, rule: first_rule });
        }
    }
    extra
}

/// What became of one input line in a cleaning, for reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFate {
    /// Kept as it was (text or blank).
    Kept,
    /// Removed whole by the removal with this index.
    Removed(usize),
    /// Partly removed (a span rule): the removals inside it give the spans.
    Edited,
    /// A blank line dropped by tidying around a removal.
    Tidied,
}

/// One input line and its fate.
#[derive(Debug, Clone, Copy)]
pub struct LineReport<'a> {
    /// Byte offset of the line in the input.
    pub start: usize,
    /// The line without its terminator.
    pub text: &'a str,
    /// What became of it.
    pub fate: LineFate,
}

/// What became of each line of `input` in a cleaning that made `removals` (as returned by
/// [`crate::clean`] for that input): the same decisions, tidying included.
pub fn line_reports<'a>(input: &'a str, removals: &[Removal<'_>]) -> Vec<LineReport<'a>> {
    let lines = Lines::new(input);
    let ranges: Vec<(usize, usize)> = removals.iter().map(|r| (r.start, r.end)).collect();
    let status = statuses(&lines, &ranges);
    let keep_blank = tidy_blanks(&status);
    let mut k = 0;
    lines
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            while k < ranges.len() && ranges[k].1 <= line.start {
                k += 1;
            }
            let fate = match status[i] {
                Status::Kept => LineFate::Kept,
                Status::Blank if keep_blank[i] => LineFate::Kept,
                Status::Blank => LineFate::Tidied,
                Status::Gone => LineFate::Removed(k),
                Status::Edited => LineFate::Edited,
            };
            let text = input[line.start..line.end].trim_end_matches('\n').trim_end_matches('\r');
            LineReport { start: line.start, text, fate }
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// Untouched, with text.
    Kept,
    /// Untouched and blank.
    Blank,
    /// Removed whole.
    Gone,
    /// Partly removed.
    Edited,
}

/// What became of each input line, given the merged, sorted removal ranges.
fn statuses(lines: &Lines<'_>, ranges: &[(usize, usize)]) -> Vec<Status> {
    let mut k = 0;
    lines
        .lines
        .iter()
        .map(|line| {
            while k < ranges.len() && ranges[k].1 <= line.start {
                k += 1;
            }
            match ranges.get(k) {
                Some(&(s, e)) if s <= line.start && e >= line.end => Status::Gone,
                Some(&(s, _)) if s < line.end => Status::Edited,
                _ if line.is_blank() => Status::Blank,
                _ => Status::Kept,
            }
        })
        .collect()
}

/// Which untouched blank lines to keep. Around each run of removed lines (with the blank lines
/// among and around it), keep the longer of the blank runs before and after it, so paragraphs
/// stay separated as they were; at the start or end of the document keep none.
fn tidy_blanks(status: &[Status]) -> Vec<bool> {
    let n = status.len();
    let mut keep = vec![true; n];
    let quiet = |s: Status| matches!(s, Status::Blank | Status::Gone);
    let mut i = 0;
    while i < n {
        if !quiet(status[i]) {
            i += 1;
            continue;
        }
        let a = i;
        while i < n && quiet(status[i]) {
            i += 1;
        }
        let b = i;
        let Some(first_gone) = (a..b).find(|&j| status[j] == Status::Gone) else { continue };
        let last_gone = (a..b).rev().find(|&j| status[j] == Status::Gone).unwrap_or(first_gone);
        let (lead, trail) = (first_gone - a, b - last_gone - 1);
        keep[a..b].fill(false);
        if a == 0 || b == n {
            continue;
        }
        let kept = if lead >= trail { a..first_gone } else { last_gone + 1..b };
        keep[kept].fill(true);
    }
    keep
}
