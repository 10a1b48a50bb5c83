//! Reading one arbitrary JSONL line and writing it back with the text replaced: no panic, and
//! the rewritten line is the same record but for `text` and the annotation field.
//!
//! The checks live in tests/fuzz_regressions.rs, shared with the regression tests that replay
//! the saved reproducers in tests/fuzz_regressions/.
#![no_main]

#[allow(dead_code)]
#[path = "../../tests/fuzz_regressions.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check_jsonl(data));
