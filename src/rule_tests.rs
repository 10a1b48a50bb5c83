//! Rule examples as tests of the whole cleaner: each example runs against its rule alone (site
//! and language limits lifted), so it tests the rule's own pattern and conditions, not the rest
//! of the pack. A `model` rule's examples run with the other rules of its set too, since a model
//! reads their removals. A layer above the engine and the rule model, which know nothing of it.

use crate::engine;
use crate::rules::examples::{Example, Expect};
use crate::rules::{Location, Rule, RuleSet};

/// An example whose output was not what it expected.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The rule's id.
    pub rule: String,
    /// Where the example is written.
    pub source: Location,
    /// What the example expected, in words.
    pub expected: String,
    /// What the rule produced.
    pub actual: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: rule \"{}\": expected {}, got {:?}",
            self.source, self.rule, self.expected, self.actual
        )
    }
}

/// Runs every example of every rule in `rules`; returns the failures and the number run.
pub fn run(rules: &RuleSet) -> (Vec<Failure>, usize) {
    let mut failures = Vec::new();
    let mut count = 0;
    for rule in rules.rules() {
        if rule.examples.is_empty() {
            continue;
        }
        let set = if rule.model.is_some() { with_phrase_rules(rules, rule) } else { alone(rule) };
        for example in &rule.examples {
            count += 1;
            if let Some(failure) = check(&set, rule, example) {
                failures.push(failure);
            }
        }
    }
    (failures, count)
}

/// A set holding only `rule`, with its site and language limits lifted: examples test what a
/// rule removes, not where it applies.
fn alone(rule: &Rule) -> RuleSet {
    let mut rule = rule.clone();
    rule.sites.clear();
    rule.langs.clear();
    RuleSet::from_rules(vec![rule]).expect("a rule that compiled alone compiles into a set")
}

/// The set's rules but its `model` rules, and `model` with its site and language limits lifted:
/// a model as it runs, after the rules whose removals are among its features.
fn with_phrase_rules(rules: &RuleSet, model: &Rule) -> RuleSet {
    let mut all: Vec<Rule> = rules.rules().iter().filter(|r| r.model.is_none()).cloned().collect();
    let mut model = model.clone();
    model.sites.clear();
    model.langs.clear();
    all.push(model);
    RuleSet::from_rules(all).expect("rules that compiled together compile into a set")
}

fn check(set: &RuleSet, rule: &Rule, example: &Example) -> Option<Failure> {
    let cleaned = engine::clean(set, &example.input);
    let actual = cleaned.text.as_ref();
    let (ok, expected) = match &example.expect {
        Expect::Removed => (actual.trim().is_empty(), "everything removed".to_string()),
        Expect::Kept => (actual == example.input, "nothing removed".to_string()),
        Expect::Output(out) => (actual == out, format!("{out:?}")),
    };
    (!ok).then(|| Failure {
        rule: rule.id.to_string(),
        source: example.source.clone(),
        expected,
        actual: actual.to_string(),
    })
}
