//! One integration test binary (links once): engine, rule loading, built-in packs, CLI.

mod builtin;
mod cli;
mod engine;
mod fixtures;
mod report;
mod rule_errors;
mod util;
