//! Loading a rule file from arbitrary bytes (invalid UTF-8 replaced), then running the rules it
//! defines over the same text: no panic, no hang, consistent output.
//!
//! The checks live in tests/fuzz_regressions.rs, shared with the regression tests that replay
//! the saved reproducers in tests/fuzz_regressions/.
#![no_main]

#[allow(dead_code)]
#[path = "../../tests/fuzz_regressions.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check_rule_file(data));
