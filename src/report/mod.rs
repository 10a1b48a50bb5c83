//! Reports on what a run removed: terminal diffs, JSON records, explanations. They consume the
//! engine's removal records and never decide anything themselves.

mod diff;
mod html;
mod json;
mod sample;

pub use diff::{Filter, Style, render_diff, render_explain};
pub use html::{HtmlDoc, HtmlReport, escape};
pub use json::{RemovalRecord, Summary};
pub use sample::BottomK;
