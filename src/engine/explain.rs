//! Why each line of a document was kept or removed: the deciding rule, and the rules whose
//! pattern matched a kept line but whose conditions, sites or languages did not hold.

use crate::rules::{Kind, RuleSet};

use super::assemble::{LineFate, line_reports};
use super::lines::Lines;
use super::scope::Scope;
use super::{Document, clean_document};

/// The explanation of one input line.
#[derive(Debug, Clone)]
pub struct LineExplanation<'a> {
    /// 1-based line number.
    pub line: usize,
    /// The line, without its terminator.
    pub text: &'a str,
    /// What became of it.
    pub fate: LineFate,
    /// For removed and edited lines: the rule credited, its kind, and the lines its removal
    /// covers.
    pub decided_by: Option<Decision>,
    /// Rules whose pattern matches the line but that did not fire here, with the reasons.
    pub near_misses: Vec<NearMiss>,
    /// For non-blank lines of a document a `model` rule applies to: its score.
    pub model: Option<ModelScore>,
}

/// What the line classifier made of a line.
#[derive(Debug, Clone)]
pub struct ModelScore {
    /// The `model` rule.
    pub rule: String,
    /// The line's probability of boilerplate.
    pub probability: f32,
    /// The rule's threshold: lines scored at or above it are removed.
    pub threshold: f32,
    /// The features that moved the score most: name, the line's value, and the change in
    /// log-odds it caused (positive pushes towards removal).
    pub top: Vec<(&'static str, f32, f32)>,
}

/// The rule that removed (part of) a line.
#[derive(Debug, Clone)]
pub struct Decision {
    /// Rule id.
    pub rule: String,
    /// Its kind.
    pub kind: Kind,
    /// First and last line (1-based) of the removal the line belongs to.
    pub lines: (usize, usize),
    /// The rule's conditions, which held (as written in a rule file; `none` if it has none).
    pub conditions: String,
}

/// A rule whose pattern matched but which did not fire on the line.
#[derive(Debug, Clone)]
pub struct NearMiss {
    /// Rule id.
    pub rule: String,
    /// The conditions that failed, or the site or language limit.
    pub reasons: Vec<String>,
}

/// Explains every line of a document cleaned with `rules`.
pub fn explain<'a>(rules: &RuleSet, doc: Document<'a, '_>) -> Vec<LineExplanation<'a>> {
    let cleaned = clean_document(rules, doc);
    let reports = line_reports(doc.text, &cleaned.removals);
    let lines = Lines::new(doc.text);
    let scope = Scope::of(rules, &doc);
    let (model_rule, mut scores) = match super::model_explanations(rules, doc, 3) {
        Some((ri, s)) => (Some(&rules.rules()[ri]), s),
        None => (None, Vec::new()),
    };
    reports
        .into_iter()
        .enumerate()
        .map(|(i, report)| {
            let covering = cleaned
                .removals
                .iter()
                .find(|r| r.start < report.start + report.text.len().max(1) && r.end > report.start);
            let decided_by = match report.fate {
                LineFate::Removed(_) | LineFate::Edited => covering.map(|r| {
                    let rule = rules.get(&r.rule);
                    Decision {
                        rule: r.rule.to_string(),
                        kind: rule.map_or(Kind::Line, |rule| rule.kind),
                        lines: (r.first_line, r.last_line),
                        conditions: rule.map_or_else(String::new, |rule| rule.conditions.to_string()),
                    }
                }),
                _ => None,
            };
            let mut near_misses = Vec::new();
            let text = lines.lines[i].text;
            if !text.is_empty() && matches!(report.fate, LineFate::Kept) {
                rules.matcher.for_each_match(
                    text,
                    false,
                    |_| true,
                    |ri| {
                        let rule = &rules.rules()[ri];
                        let mut reasons = lines.failures(i, &rule.conditions);
                        if !scope.admits_site(rule) {
                            let sites: Vec<String> = rule.sites.iter().map(ToString::to_string).collect();
                            let on = scope
                                .host
                                .as_deref()
                                .map_or("no known URL".to_string(), |h| format!("host {h}"));
                            reasons.push(format!("sites = [{}] ({on})", sites.join(", ")));
                        }
                        if !scope.admits_lang(rule) {
                            let langs: Vec<String> = rule.langs.iter().map(|l| format!("\"{l}\"")).collect();
                            let lang = scope.lang().map_or_else(String::new, |l| l.to_string());
                            reasons.push(format!("langs = [{}] (document in {lang})", langs.join(", ")));
                        }
                        if reasons.is_empty() {
                            reasons.push(match rule.kind {
                                Kind::Caption | Kind::Section => {
                                    "its removal was dropped (a limit such as max_removed)".into()
                                }
                                _ => "its removal was dropped by max_removed".into(),
                            });
                        }
                        near_misses.push(NearMiss { rule: rule.id.to_string(), reasons });
                    },
                );
                near_misses.sort_by(|a, b| a.rule.cmp(&b.rule));
            }
            let model =
                model_rule.zip(scores.get_mut(i).and_then(Option::take)).map(|(rule, e)| ModelScore {
                    rule: rule.id.to_string(),
                    probability: e.probability,
                    threshold: rule.model.as_ref().map_or(1.0, |m| m.threshold()),
                    top: e.top,
                });
            LineExplanation {
                line: i + 1,
                text: report.text,
                fate: report.fate,
                decided_by,
                near_misses,
                model,
            }
        })
        .collect()
}
