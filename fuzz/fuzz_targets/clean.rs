//! Cleaning arbitrary bytes (invalid UTF-8 replaced) with the built-in rules: no panic, no hang,
//! output no longer than the input, every removal's text equal to its input range.
//!
//! The checks live in tests/fuzz_regressions.rs, shared with the regression tests that replay
//! the saved reproducers in tests/fuzz_regressions/.
#![no_main]

#[allow(dead_code)]
#[path = "../../tests/fuzz_regressions.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check_clean(data));
