//! Matching: every rule looks at the original lines and proposes byte ranges to remove.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use foldhash::fast::FixedState;

use crate::rules::{Kind, LONG_LINE_WORDS, Rule, RuleSet};

use super::lines::{Line, Lines, same_words, words};
use super::tries::LineTry;

/// A byte range one rule wants removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub start: usize,
    pub end: usize,
    /// Index of the rule in its set (pack order).
    pub rule: usize,
}

/// Adds to `out` the regexes to run on each line of document `doc` (see
/// [`crate::rules::LineMatcher::plan`]), in line order. `host` is the document's URL's
/// host, for site rules.
pub(crate) fn plan(rules: &RuleSet, lines: &Lines<'_>, host: Option<&str>, doc: u32, out: &mut Vec<LineTry>) {
    for (i, line) in lines.lines.iter().enumerate() {
        if line.is_blank() {
            continue;
        }
        let pre = |ri: usize| {
            let rule = &rules.rules()[ri];
            applies(rule, host) && lines.meets_here(i, &rule.conditions)
        };
        let long = lines.words_up_to(i, LONG_LINE_WORDS + 1) > LONG_LINE_WORDS;
        rules.matcher.plan(line.text, long, pre, |t| {
            out.push(LineTry { doc, line: i as u32, rule: rules.matcher.rule_of(t) as u32, t });
        });
    }
}

/// All candidates of all rules for one document, unsorted, given its planned tries and which
/// of them matched (see [`super::tries::run`]).
pub(crate) fn find(
    rules: &RuleSet,
    lines: &Lines<'_>,
    host: Option<&str>,
    tries: &[LineTry],
    matched: &[bool],
) -> Vec<Candidate> {
    let mut out = Vec::new();
    // For section rules: the last line an open section already covers, per rule.
    let mut covered: Vec<(usize, usize)> = Vec::new();
    for (lt, _) in tries.iter().zip(matched).filter(|(_, m)| **m) {
        let (i, ri) = (lt.line as usize, lt.rule as usize);
        let (rule, line) = (&rules.rules()[ri], &lines.lines[i]);
        if !lines.meets_neighbours(i, &rule.conditions) {
            continue;
        }
        match rule.kind {
            Kind::Line => out.push(whole(line, ri)),
            Kind::Span => spans(rule, ri, line, &mut out),
            Kind::Section => {
                if covered.iter().any(|&(r, until)| r == ri && until >= i) {
                    continue;
                }
                let last = section_end(rule, lines, i);
                covered.push((ri, last));
                out.push(Candidate { start: line.start, end: lines.lines[last].end, rule: ri });
            }
            Kind::Caption => {
                let top = caption_top(rule, lines, i);
                out.push(Candidate { start: lines.lines[top].start, end: line.end, rule: ri });
            }
            Kind::Duplicate | Kind::Doubled | Kind::Model => {
                unreachable!("structural and model rules are not in the pattern set")
            }
        }
    }
    for &ri in &rules.structural_rules {
        let rule = &rules.rules()[ri];
        if !applies(rule, host) {
            continue;
        }
        match rule.kind {
            Kind::Duplicate => duplicates(rule, ri, lines, &mut out),
            Kind::Doubled => doubled(rule, ri, lines, &mut out),
            _ => {}
        }
    }
    enforce_max_removed(rules, lines.input.len(), &mut out);
    out
}

/// Whether a rule applies to a document with this URL host (site rules need a match).
pub(crate) fn applies(rule: &Rule, host: Option<&str>) -> bool {
    rule.sites.is_empty() || host.is_some_and(|h| rule.sites.iter().any(|g| g.matches(h)))
}

fn whole(line: &Line<'_>, rule: usize) -> Candidate {
    Candidate { start: line.start, end: line.end, rule }
}

/// Each match inside the line, widened over the whitespace that would otherwise be left doubled
/// or dangling.
fn spans(rule: &Rule, ri: usize, line: &Line<'_>, out: &mut Vec<Candidate>) {
    let re = rule.regex.as_ref().expect("span rules have a pattern");
    let text = line.text;
    for m in re.find_iter(text) {
        if m.is_empty() {
            continue;
        }
        let (mut s, mut e) = (m.start(), m.end());
        let after = text[e..].len() - text[e..].trim_start().len();
        let before = text[..s].len() - text[..s].trim_end().len();
        if e == text.len() {
            s -= before;
        } else if s == 0 || before > 0 {
            e += after;
        }
        out.push(Candidate { start: line.text_start + s, end: line.text_start + e, rule: ri });
    }
}

/// The last line of a section starting at line `i`.
fn section_end(rule: &Rule, lines: &Lines<'_>, i: usize) -> usize {
    let mut last = i;
    let mut taken = 0;
    for j in i + 1..lines.lines.len() {
        let line = &lines.lines[j];
        if line.is_blank() {
            continue;
        }
        if rule.end.as_ref().is_some_and(|re| re.is_match(line.text)) {
            break;
        }
        if rule.max_lines.is_some_and(|m| taken >= m) {
            break;
        }
        taken += 1;
        last = j;
    }
    last
}

/// The first line of a caption block ending with the credit on line `i`: the line right above
/// (across at most one blank line) when it is short enough to be a caption, and copies of it
/// right above that (alt text, then caption).
fn caption_top(rule: &Rule, lines: &Lines<'_>, i: usize) -> usize {
    let above = |k: usize| -> Option<usize> {
        let j = k.checked_sub(1)?;
        if !lines.lines[j].is_blank() {
            return Some(j);
        }
        let j = j.checked_sub(1)?;
        (!lines.lines[j].is_blank()).then_some(j)
    };
    let Some(caption) = above(i) else { return i };
    let text = lines.lines[caption].text;
    if lines.words_up_to(caption, rule.max_caption_words + 1) > rule.max_caption_words
        || rule.regex.as_ref().is_some_and(|re| re.is_match(text))
    {
        return i;
    }
    let mut top = caption;
    while let Some(j) = above(top) {
        if !same_words(&lines.lines[j], &lines.lines[caption]) {
            break;
        }
        top = j;
    }
    top
}

fn duplicates(rule: &Rule, ri: usize, lines: &Lines<'_>, out: &mut Vec<Candidate>) {
    let mut prev: Option<&Line<'_>> = None;
    // With `scope = "document"`: the earlier lines by a hash of their words (confirmed word by
    // word). Lines outside the rule's word limits are left out: a copy has as many words.
    let mut earlier: HashMap<u64, Vec<usize>, FixedState> = HashMap::default();
    for (i, line) in lines.lines.iter().enumerate() {
        if line.is_blank() {
            continue;
        }
        let repeated = if rule.whole_document {
            if !lines.meets_word_limits(i, &rule.conditions) {
                continue;
            }
            let copies = earlier.entry(words_hash(line.text, lines.words_up_to(i, usize::MAX))).or_default();
            let seen = copies.iter().any(|&j| same_words(&lines.lines[j], line));
            if !seen {
                copies.push(i);
            }
            seen
        } else {
            prev.is_some_and(|p| same_words(p, line))
        };
        if repeated
            && rule.regex.as_ref().is_none_or(|re| re.is_match(line.text))
            && lines.meets(i, &rule.conditions)
        {
            out.push(whole(line, ri));
        }
        prev = Some(line);
    }
}

/// A hash of what lines with the same words share, whatever whitespace separates them: the
/// number of words and the first and last word. Cheap (it reads two words, not the line);
/// lines that share it are compared word by word.
fn words_hash(text: &str, count: usize) -> u64 {
    let mut h = FixedState::default().build_hasher();
    h.write_usize(count);
    h.write(words(text).next().unwrap_or_default());
    h.write_u8(0xff);
    h.write(text.split_whitespace().next_back().unwrap_or_default().as_bytes());
    h.finish()
}

/// Lines that are one phrase of at least two words written twice: "Harbor at dusk Harbor at
/// dusk", as alt text glued to its caption leaves them.
fn doubled(rule: &Rule, ri: usize, lines: &Lines<'_>, out: &mut Vec<Candidate>) {
    for (i, line) in lines.lines.iter().enumerate() {
        if !lines.meets_here(i, &rule.conditions) {
            continue;
        }
        // The first word starts the second half too: a line without it again is not doubled.
        let Some(first) = words(line.text).next() else { continue };
        // (Found by its first byte: too short a search to build a substring searcher for.)
        let rest = &line.text.as_bytes()[first.len()..];
        if !memchr::memchr_iter(first[0], rest).any(|at| rest[at..].starts_with(first)) {
            continue;
        }
        let n = lines.words_up_to(i, usize::MAX);
        if n < 4 || !n.is_multiple_of(2) {
            continue;
        }
        let is_doubled = words(line.text).take(n / 2).eq(words(line.text).skip(n / 2));
        if is_doubled
            && rule.regex.as_ref().is_none_or(|re| re.is_match(line.text))
            && lines.meets_neighbours(i, &rule.conditions)
        {
            out.push(whole(line, ri));
        }
    }
}

/// Drops every candidate of a rule whose removals in this document exceed its `max_removed`.
pub(crate) fn enforce_max_removed(rules: &RuleSet, len: usize, out: &mut Vec<Candidate>) {
    for (ri, rule) in rules.rules().iter().enumerate() {
        let Some(limit) = rule.max_removed else { continue };
        let mut ranges: Vec<(usize, usize)> =
            out.iter().filter(|c| c.rule == ri).map(|c| (c.start, c.end)).collect();
        if ranges.is_empty() {
            continue;
        }
        ranges.sort_unstable();
        let (mut total, mut reach) = (0, 0);
        for (s, e) in ranges {
            let s = s.max(reach);
            if e > s {
                total += e - s;
                reach = e;
            }
        }
        if total as f64 > limit * len as f64 {
            out.retain(|c| c.rule != ri);
        }
    }
}
