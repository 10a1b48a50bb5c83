//! One integration test binary (links once): engine, rule loading, built-in packs, CLI.

mod builtin;
mod cli;
mod docs;
mod dolma;
mod engine;
mod fixtures;
mod fuzz_regressions;
mod hostile;
mod interrupt;
mod lang;
mod model;
mod properties;
mod report;
mod rule_errors;
mod util;
