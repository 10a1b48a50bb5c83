//! Helpers that keep tests reading like sentences.

use deboil::{RuleSet, RuleSetBuilder};

/// A rule set from TOML text (no built-in rules); panics with the loader's message if invalid.
pub fn rules(toml: &str) -> RuleSet {
    let mut b = RuleSetBuilder::new();
    b.add_source("test.toml", toml).unwrap_or_else(|e| panic!("{e}"));
    b.build().unwrap_or_else(|e| panic!("{e}"))
}

/// The loader's error message for TOML text.
pub fn rule_error(toml: &str) -> String {
    let mut b = RuleSetBuilder::new();
    match b.add_source("test.toml", toml) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

/// Cleans `text` with `rules` and returns the output.
pub fn cleaned(rules: &RuleSet, text: &str) -> String {
    deboil::clean(rules, text).text.into_owned()
}

/// The `deboil` binary, for CLI tests.
pub fn deboil() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("deboil").expect("binary is built")
}

/// Path to a file under `tests/fixtures`.
pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}
