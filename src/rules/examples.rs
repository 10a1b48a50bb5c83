//! Rule examples: every rule carries text it must remove and text it must keep. They are
//! data here; the `rule_tests` module, a layer above the engine, runs them through the cleaner.

use super::Location;

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
