//! Matching: every rule looks at the original lines and proposes byte ranges to remove.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use foldhash::fast::FixedState;

use crate::rules::{Kind, LONG_LINE_WORDS, Rule, RuleSet};

use super::lines::{Line, Lines, ends_sentence, same_words, words};
use super::scope::Scope;
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
/// [`crate::matcher::LineMatcher::plan`]), in line order, of the rules its scope admits.
pub(crate) fn plan(rules: &RuleSet, lines: &Lines<'_>, scope: &Scope<'_>, doc: u32, out: &mut Vec<LineTry>) {
    // The prefilter of the document's language holds only the rules that apply in it.
    let lang = if rules.has_lang_rules() { scope.lang() } else { None };
    let (n, matcher) = rules.matcher_for(lang);
    for (i, line) in lines.lines.iter().enumerate() {
        if line.is_blank() {
            continue;
        }
        let pre = |ri: usize| {
            let rule = &rules.rules()[ri];
            // The prefilter holds only the rules of the document's language: sites are left.
            lines.meets_here(i, &rule.conditions) && scope.admits_site(rule)
        };
        let long = lines.words_up_to(i, LONG_LINE_WORDS + 1) > LONG_LINE_WORDS;
        matcher.plan(line.text, long, pre, |t| {
            out.push(LineTry { doc, line: i as u32, rule: matcher.rule_of(t) as u32, matcher: n, t });
        });
    }
}

/// All candidates of all rules for one document, unsorted, given its planned tries and which
/// of them matched (see [`super::tries::run`]).
pub(crate) fn find(
    rules: &RuleSet,
    lines: &Lines<'_>,
    scope: &Scope<'_>,
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
        if !scope.admits(rule) {
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

fn whole(line: &Line<'_>, rule: usize) -> Candidate {
    Candidate { start: line.start, end: line.end, rule }
}

/// Each match inside the line, widened over the whitespace that would otherwise be left doubled
/// or dangling.
fn spans(rule: &Rule, ri: usize, line: &Line<'_>, out: &mut Vec<Candidate>) {
    let re = rule.regex.as_ref().expect("span rules have a pattern");
    let text = line.text;
    for m in re.get().find_iter(text) {
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
    if rule.whole_document {
        return document_duplicates(rule, ri, lines, out);
    }
    // The previous non-blank line, and whether it is already removed as a repeat.
    let mut prev: Option<(usize, bool)> = None;
    for (i, line) in lines.lines.iter().enumerate() {
        if line.is_blank() {
            continue;
        }
        let repeat = prev.is_some_and(|(p, _)| same_words(&lines.lines[p], line))
            && rule.regex.as_ref().is_none_or(|re| re.is_match(line.text))
            && lines.meets(i, &rule.conditions);
        if repeat {
            if let Some((p, false)) = prev
                && rule.first_copy_too
                && below_body(lines, p)
                && lines.meets(p, &rule.conditions)
            {
                out.push(whole(&lines.lines[p], ri));
            }
            out.push(whole(line, ri));
        }
        prev = Some((i, repeat));
    }
}

/// `scope = "document"`: the later copies of any earlier line, except the subheadings of a
/// contents list (see [`Copies::in_contents`]); with `copies = "all"`, the first copy too,
/// when it stands below a body paragraph and none of its repeats is kept as a subheading.
fn document_duplicates(rule: &Rule, ri: usize, lines: &Lines<'_>, out: &mut Vec<Candidate>) {
    let copies = Copies::of(lines, rule.conditions.max_words);
    // First copies with a removed repeat, and those with a repeat kept as a subheading.
    let (mut firsts, mut listed) = (Vec::new(), Vec::new());
    for (i, line) in lines.lines.iter().enumerate() {
        if copies.is_repeat(i)
            && lines.meets(i, &rule.conditions)
            && rule.regex.as_ref().is_none_or(|re| re.is_match(line.text))
        {
            let first = copies.links[i].first as usize;
            if copies.in_contents(lines, i) {
                listed.push(first);
            } else {
                out.push(whole(line, ri));
                firsts.push(first);
            }
        }
    }
    if rule.first_copy_too {
        firsts.sort_unstable();
        firsts.dedup();
        for first in firsts {
            if below_body(lines, first) && !listed.contains(&first) && lines.meets(first, &rule.conditions) {
                out.push(whole(&lines.lines[first], ri));
            }
        }
    }
}

/// Whether a body paragraph stands above line `i`: a first copy there is a caption among the
/// article's paragraphs; above them, at the head of the page, it may be a title or standfirst
/// the page doubles, and stays.
fn below_body(lines: &Lines<'_>, i: usize) -> bool {
    lines.first_body().is_some_and(|b| b < i)
}

/// Where each line's copies are: for every line, the first line with the same words and the
/// next one after it. Found in one pass, into one array with an entry per line (no allocation
/// per line).
struct Copies {
    links: Vec<Link>,
}

#[derive(Clone, Copy)]
struct Link {
    /// The first line with the same words (itself for a first copy), or [`NONE`] for a line
    /// not compared (blank, or longer than any line the rule removes).
    first: u32,
    /// The next line with the same words, or [`NONE`].
    next: u32,
    /// For a first copy: its latest copy so far (to link the next one to).
    last: u32,
    /// For a first copy: the next first copy whose words hash alike (a collision).
    other: u32,
}

const NONE: u32 = u32::MAX;

impl Copies {
    /// The copies among the non-blank lines of at most `max_words` words. (A copy has as many
    /// words as the line it repeats, so longer lines can neither be removed nor be repeated by
    /// a line that can; shorter ones are kept track of, as they may be entries of a contents
    /// list.)
    fn of(lines: &Lines<'_>, max_words: Option<usize>) -> Copies {
        let unlinked = Link { first: NONE, next: NONE, last: NONE, other: NONE };
        let mut links = vec![unlinked; lines.lines.len()];
        // The first of the first copies with each hash of their words; the others follow it
        // through `other`, and are told apart word by word.
        let mut by_hash: HashMap<u64, u32, FixedState> = HashMap::default();
        for (i, line) in lines.lines.iter().enumerate() {
            if line.is_blank() || max_words.is_some_and(|m| lines.words_up_to(i, m + 1) > m) {
                continue;
            }
            let me = i as u32;
            let hash = words_hash(line.text, lines.words_up_to(i, usize::MAX));
            let mut f = *by_hash.entry(hash).or_insert(me);
            loop {
                if f == me {
                    links[i].last = me;
                    break;
                }
                let earlier = &mut links[f as usize];
                if same_words(&lines.lines[f as usize], line) {
                    let last = std::mem::replace(&mut earlier.last, me);
                    links[last as usize].next = me;
                    break;
                }
                if earlier.other == NONE {
                    earlier.other = me;
                }
                f = earlier.other;
            }
            links[i].first = f;
        }
        Copies { links }
    }

    /// Whether line `i` repeats an earlier line.
    fn is_repeat(&self, i: usize) -> bool {
        let first = self.links[i].first;
        first != NONE && first as usize != i
    }

    /// Whether the repeat on line `i` is a subheading listed in a contents list: it is the
    /// first repeat of its line and heads a section of new prose, and its first copy stands
    /// next to another entry of the list (the nearest non-blank line above or below it): a
    /// line seen there first, whose first repeat comes on the same side of line `i` (the
    /// entries recur in their order) and heads new prose too.
    fn in_contents(&self, lines: &Lines<'_>, i: usize) -> bool {
        let first = self.links[i].first as usize;
        if self.links[first].next as usize != i || !self.heads_prose(lines, i) {
            return false;
        }
        let entry = |j: Option<usize>, after: bool| {
            j.is_some_and(|j| {
                let Link { first, next, .. } = self.links[j];
                first as usize == j
                    && next != NONE
                    && (next as usize > i) == after
                    && self.heads_prose(lines, next as usize)
            })
        };
        entry(lines.next_nonblank(first), true) || entry(lines.prev_nonblank(first), false)
    }

    /// Whether the repeat on line `i` heads new prose: the line below it ends like a sentence
    /// and repeats no earlier line. (A block repeated whole, such as a menu, has a repeat below
    /// each copy: in particular what stands below its first copy, which is compared word by
    /// word, as long lines are not kept track of.)
    fn heads_prose(&self, lines: &Lines<'_>, i: usize) -> bool {
        let Some(below) = lines.next_nonblank(i) else { return false };
        let below_first = lines.next_nonblank(self.links[i].first as usize);
        ends_sentence(lines.lines[below].text)
            && !self.is_repeat(below)
            && below_first.is_none_or(|j| !same_words(&lines.lines[j], &lines.lines[below]))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_link_each_line_to_its_first_and_next_copy_through_hash_collisions() {
        // Lines 0, 2 and 5 hash alike (three words, same first and last word) but differ.
        let text = "Boats at dusk\nTide\nBoats by dusk\n\nBoats at  dusk\nBoats for dusk\nBoats by dusk\n\
                    Boats at dusk\nA line far too long to keep\n";
        let lines = Lines::new(text);
        let copies = Copies::of(&lines, Some(5));
        let link = |i: usize| (copies.links[i].first, copies.links[i].next);
        assert_eq!(link(0), (0, 4));
        assert_eq!(link(4), (0, 7));
        assert_eq!(link(7), (0, NONE));
        assert_eq!(link(2), (2, 6));
        assert_eq!(link(6), (2, NONE));
        assert_eq!(link(5), (5, NONE));
        assert_eq!(link(1), (1, NONE));
        // Blank lines and lines over the word limit are not kept track of.
        assert_eq!(link(3), (NONE, NONE));
        assert_eq!(link(8), (NONE, NONE));
        let repeats: Vec<usize> = (0..9).filter(|&i| copies.is_repeat(i)).collect();
        assert_eq!(repeats, [4, 6, 7]);
    }
}
