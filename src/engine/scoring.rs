//! `model` rules: the line classifier scores every non-blank line from its shape, its
//! neighbours and which lines the other rules removed, and proposes the lines it scores at or
//! above its threshold.

use crate::rules::RuleSet;

use super::Removal;
use super::candidates::Candidate;
use super::lines::Lines;
use super::scope::Scope;

/// Each line's probability of boilerplate by the first applicable `model` rule (0 for blank
/// lines), given the other rules' candidates; `None` when no model applies.
pub(crate) fn score_lines(
    rules: &RuleSet,
    lines: &Lines<'_>,
    scope: &Scope<'_>,
    found: &[Candidate],
) -> Option<(usize, Vec<f32>)> {
    let ri = applicable_model(rules, scope)?;
    let model = rules.rules()[ri].model.as_ref()?;
    let (texts, index, hits) = model_inputs(lines, found);
    let (mut rows, mut probs) = (Vec::new(), Vec::new());
    model.score(&texts, &hits, &mut rows, &mut probs);
    let mut scores = vec![0f32; lines.lines.len()];
    for (k, &i) in index.iter().enumerate() {
        scores[i] = probs[k];
    }
    Some((ri, scores))
}

/// The first `model` rule that applies to a document of this scope.
pub(crate) fn applicable_model(rules: &RuleSet, scope: &Scope<'_>) -> Option<usize> {
    rules.model_rules.iter().copied().find(|&ri| scope.admits(&rules.rules()[ri]))
}

/// What a model sees of a document: its non-blank lines, their line numbers, and whether the
/// other rules' candidates touch each.
pub(crate) fn model_inputs<'a>(
    lines: &Lines<'a>,
    found: &[Candidate],
) -> (Vec<&'a str>, Vec<usize>, Vec<bool>) {
    nonblank_with_hits(lines, found.iter().map(|c| (c.start, c.end)).collect())
}

/// The non-blank lines' texts, their line numbers, and whether a candidate touches each.
fn nonblank_with_hits<'a>(
    lines: &Lines<'a>,
    mut ranges: Vec<(usize, usize)>,
) -> (Vec<&'a str>, Vec<usize>, Vec<bool>) {
    ranges.sort_unstable();
    let mut texts = Vec::with_capacity(lines.lines.len());
    let mut index = Vec::with_capacity(lines.lines.len());
    let mut hits = Vec::with_capacity(lines.lines.len());
    let mut k = 0;
    for (i, line) in lines.lines.iter().enumerate() {
        if line.is_blank() {
            continue;
        }
        let (s, e) = (line.text_start, line.text_start + line.text.len());
        while k < ranges.len() && ranges[k].1 <= s {
            k += 1;
        }
        // Ranges are sorted by start; a later one can still reach back only if it starts
        // before this line ends.
        let hit = ranges[k..].iter().take_while(|r| r.0 < e).any(|r| r.1 > s);
        texts.push(line.text);
        index.push(i);
        hits.push(hit);
    }
    (texts, index, hits)
}

/// Adds a whole-line candidate for every line scored at or above the model's threshold.
pub(crate) fn model_candidates(
    rules: &RuleSet,
    lines: &Lines<'_>,
    ri: usize,
    scores: &[f32],
    out: &mut Vec<Candidate>,
) {
    let Some(model) = rules.rules()[ri].model.as_ref() else { return };
    for (line, &p) in lines.lines.iter().zip(scores) {
        if !line.is_blank() && p >= model.threshold() {
            out.push(Candidate { start: line.start, end: line.end, rule: ri });
        }
    }
}

/// What a `model` rule sees of a document cleaned by other rules: its non-blank lines
/// (trimmed), their 0-based line numbers, and whether a removal touches each.
pub fn rule_hits<'a>(text: &'a str, removals: &[Removal<'_>]) -> (Vec<&'a str>, Vec<usize>, Vec<bool>) {
    nonblank_with_hits(&Lines::new(text), removals.iter().map(|r| (r.start, r.end)).collect())
}
