//! Rule examples as tests: every rule carries text it must remove and text it must keep.
//!
//! Each example runs against the rule alone (site limits ignored), so an example tests the
//! rule's own pattern and conditions, not the rest of the pack.

use super::{Location, Rule, RuleSet};
use crate::engine;

/// One example from a rule file.
#[derive(Debug, Clone)]
pub struct Example {
    /// The document the rule is run on.
    pub input: String,
    /// What must come out.
    pub expect: Expect,
    /// Where the example is written.
    pub source: Location,
}

/// What an example expects from its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// `remove = [...]`: the whole input is junk; the output is empty.
    Removed,
    /// `keep = [...]`: the rule removes nothing; the output is the input, byte for byte.
    Kept,
    /// `[[rule.example]]`: the output is exactly this.
    Output(String),
}

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
        let alone = alone(rule);
        for example in &rule.examples {
            count += 1;
            if let Some(failure) = check(&alone, rule, example) {
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

fn check(alone: &RuleSet, rule: &Rule, example: &Example) -> Option<Failure> {
    let cleaned = engine::clean(alone, &example.input);
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
