//! Loading a rule file from arbitrary bytes: must return Ok or Err, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut builder = deboil::RuleSetBuilder::new();
    if builder.add_source("fuzz.toml", text).is_err() {
        return;
    }
    if let Ok(rules) = builder.build() {
        // A rule set that loads must also run: clean its own source text with it.
        let cleaned = deboil::clean(&rules, text);
        assert!(cleaned.text.len() <= text.len());
    }
});
