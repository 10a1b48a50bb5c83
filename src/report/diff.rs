//! Line diffs of a cleaning, each removed line labelled with the rule that removed it.
//!
//! Hunks come from `similar`'s grouping of diff operations; the operations themselves are built
//! from the engine's own line fates rather than by re-diffing the texts, so that every removed
//! line is attributed exactly (a re-diff may pair a repeated line with the wrong copy).

use std::fmt::Write as _;

use similar::{DiffOp, group_diff_ops};

use crate::engine::{Cleaned, LineExplanation, LineFate, line_reports};

/// Colours (ANSI) or plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// No escape codes: for files, pipes and snapshots.
    Plain,
    /// ANSI colours for a terminal.
    Color,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        match self {
            Style::Plain => text.to_string(),
            Style::Color => format!("\x1b[{code}m{text}\x1b[0m"),
        }
    }
}

/// Which removals a diff shows: by rule id or category; empty shows all.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Rule ids.
    pub rules: Vec<String>,
    /// Category names.
    pub categories: Vec<String>,
}

impl Filter {
    /// Whether a removal by `rule` of `category` is shown.
    pub fn shows(&self, rule: &str, category: &str) -> bool {
        (self.rules.is_empty() && self.categories.is_empty())
            || self.rules.iter().any(|r| r == rule)
            || self.categories.iter().any(|c| c == category)
    }
}

/// Renders the diff of one document (`name` in the header) with `context` lines around each
/// change; `None` when no shown removal touches it.
pub fn render_diff(
    name: &str,
    input: &str,
    cleaned: &Cleaned<'_>,
    context: usize,
    filter: &Filter,
    style: Style,
) -> Option<String> {
    let shown: Vec<bool> =
        cleaned.removals.iter().map(|r| filter.shows(&r.rule, r.category.as_str())).collect();
    if !shown.contains(&true) {
        return None;
    }
    let reports = line_reports(input, &cleaned.removals);
    // A line is changed when a shown removal covers or edits it, or tidying dropped it.
    let changed: Vec<bool> = reports
        .iter()
        .map(|l| match l.fate {
            LineFate::Removed(k) => shown[k],
            LineFate::Edited => cleaned
                .removals
                .iter()
                .zip(&shown)
                .any(|(r, &s)| s && overlaps(r.start, r.end, l.start, l.text.len())),
            LineFate::Tidied => true,
            LineFate::Kept => false,
        })
        .collect();
    let ops = diff_ops(&changed);
    let (count, bytes) = cleaned
        .removals
        .iter()
        .zip(&shown)
        .filter(|(_, s)| **s)
        .fold((0, 0), |(n, b), (r, _)| (n + 1, b + r.end - r.start));
    let mut out = String::new();
    let header = format!("--- {name}: {count} removals, {bytes} bytes");
    let _ = writeln!(out, "{}", style.paint("1", &header));
    for group in group_diff_ops(ops, context) {
        let (first, last) = group.iter().fold((usize::MAX, 0), |(f, l), op| {
            let r = op.old_range();
            (f.min(r.start), l.max(r.end))
        });
        let _ = writeln!(out, "{}", style.paint("36", &format!("@@ lines {}-{} @@", first + 1, last)));
        for op in &group {
            for i in op.old_range() {
                let line = &reports[i];
                if !changed[i] {
                    let _ = writeln!(out, "  {}", line.text);
                    continue;
                }
                match line.fate {
                    LineFate::Removed(k) => {
                        let r = &cleaned.removals[k];
                        let label = if line.start <= r.start { rule_label(r) } else { String::new() };
                        let _ = writeln!(
                            out,
                            "{}{}",
                            style.paint("31", &format!("- {}", line.text)),
                            style.paint("2", &label)
                        );
                    }
                    LineFate::Edited => {
                        let mut text = String::new();
                        let mut pos = line.start;
                        let end = line.start + line.text.len();
                        let mut labels = Vec::new();
                        for r in cleaned
                            .removals
                            .iter()
                            .filter(|r| overlaps(r.start, r.end, line.start, line.text.len()))
                        {
                            let (s, e) = (r.start.max(line.start), r.end.min(end));
                            text.push_str(&input[pos..s]);
                            let cut = &input[s..e];
                            text.push_str(&match style {
                                Style::Plain => format!("[-{cut}-]"),
                                Style::Color => style.paint("1;31;7", cut),
                            });
                            pos = e;
                            labels.push(rule_label(r));
                        }
                        text.push_str(&input[pos..end]);
                        let _ = writeln!(
                            out,
                            "{}{}",
                            style.paint("33", &format!("~ {text}")),
                            style.paint("2", &labels.concat())
                        );
                    }
                    LineFate::Tidied => {
                        let _ = writeln!(out, "{}", style.paint("31", "-"));
                    }
                    LineFate::Kept => {}
                }
            }
        }
    }
    Some(out)
}

fn overlaps(start: usize, end: usize, line_start: usize, line_len: usize) -> bool {
    start < line_start + line_len.max(1) && end > line_start
}

/// `  # rule (also other, ...)`, and the line classifier's score when it took part.
fn rule_label(r: &crate::engine::Removal<'_>) -> String {
    let mut label = format!("  # {}", r.rule);
    if !r.also.is_empty() {
        let also: Vec<&str> = r.also.iter().map(|a| &**a).collect();
        label.push_str(&format!(" (also {})", also.join(", ")));
    }
    if let Some(p) = r.score {
        label.push_str(&format!(" score {p:.2}"));
    }
    label
}

/// Line-level diff operations (old = input lines, new = output lines) from per-line changes.
fn diff_ops(changed: &[bool]) -> Vec<DiffOp> {
    let mut ops = Vec::new();
    let (mut old, mut new) = (0, 0);
    while old < changed.len() {
        let run = changed[old..].iter().take_while(|&&c| c == changed[old]).count();
        if changed[old] {
            ops.push(DiffOp::Delete { old_index: old, old_len: run, new_index: new });
        } else {
            ops.push(DiffOp::Equal { old_index: old, new_index: new, len: run });
            new += run;
        }
        old += run;
    }
    ops
}

/// A feature value as briefly as it reads: whole numbers without decimals.
fn short_number(v: f32) -> String {
    if v.fract() == 0.0 { format!("{v}") } else { format!("{v:.2}") }
}

/// Renders an explanation: one line per input line with its fate and the reason, and the
/// line classifier's score with the features that moved it most.
pub fn render_explain(explanations: &[LineExplanation<'_>], style: Style) -> String {
    let mut out = String::new();
    let width = explanations.len().to_string().len();
    for e in explanations {
        let (mark, code) = match e.fate {
            LineFate::Kept => ("keep  ", "0"),
            LineFate::Removed(_) => ("remove", "31"),
            LineFate::Edited => ("edit  ", "33"),
            LineFate::Tidied => ("tidy  ", "31"),
        };
        let _ = writeln!(out, "{:>width$} {} {}", e.line, style.paint(code, mark), e.text);
        if let Some(d) = &e.decided_by {
            let _ = writeln!(
                out,
                "{:width$}        by {} ({}, lines {}-{}; conditions: {})",
                "", d.rule, d.kind, d.lines.0, d.lines.1, d.conditions
            );
        }
        for m in &e.near_misses {
            let _ = writeln!(out, "{:width$}        not {}: {}", "", m.rule, m.reasons.join("; "));
        }
        if let Some(m) = e.model.as_ref().filter(|m| !m.top.is_empty()) {
            let cmp = if m.probability >= m.threshold { ">=" } else { "<" };
            let top: Vec<String> = m
                .top
                .iter()
                .map(|(name, value, c)| format!("{name}={} ({c:+.2})", short_number(*value)))
                .collect();
            let _ = writeln!(
                out,
                "{:width$}        {} {:.3} {cmp} {}: {}",
                "",
                m.rule,
                m.probability,
                m.threshold,
                top.join(", ")
            );
        }
    }
    out
}
