//! Exit codes, documented in README.md.

/// What `deboil` exits with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// The command did what was asked (whether or not anything was removed).
    Success = 0,
    /// `rules test` found failing examples.
    TestsFailed = 1,
    /// Bad rules, bad input, unreadable or unwritable files, bad arguments.
    Error = 2,
}
