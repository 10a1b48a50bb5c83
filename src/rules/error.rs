//! Errors raised while loading and compiling rule files, each pointing at its place.

use std::fmt;
use std::path::PathBuf;

/// A place in a rule file: its name as shown to users, and a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as shown to users (`rules/credit.toml`, or the user's path).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

impl Location {
    /// The location of byte `offset` in `text`, a file shown as `file`.
    pub fn at(file: &str, text: &str, offset: usize) -> Location {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Location { file: file.to_string(), line, col }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// Why a rule file was refused. Nothing runs when loading fails.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// The file could not be read: the reason is the error's source.
    #[error("{path}: cannot read rule file")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, or has a field of the wrong type or an unknown key.
    #[error("{loc}: {message}{excerpt}")]
    Syntax {
        /// Where the parser stopped.
        loc: Location,
        /// What the parser said.
        message: String,
        /// The offending source line, for display.
        excerpt: Excerpt,
    },
    /// A rule is well-formed TOML but invalid: bad regex, unknown kind or category, missing
    /// option, contradictory options.
    #[error("{loc}: rule \"{rule}\": {message}{excerpt}")]
    Invalid {
        /// Where the offending value is.
        loc: Location,
        /// The rule's id.
        rule: String,
        /// What is wrong.
        message: String,
        /// The offending source line, for display.
        excerpt: Excerpt,
    },
    /// Two rules share an id (ids are unique across every loaded file).
    #[error("{loc}: rule \"{rule}\": duplicate id, first defined at {first}")]
    DuplicateId {
        /// The second definition.
        loc: Location,
        /// The id.
        rule: String,
        /// The first definition.
        first: Location,
    },
    /// The rules are valid one by one but cannot be compiled together (too large).
    #[error("{0}")]
    Set(String),
    /// A file with no `[[rule]]` table, or a directory with no `.toml` file.
    #[error("{0}: no rules found (expected `[[rule]]` tables in .toml files)")]
    Empty(String),
}

/// The source line under an error, with a caret under the column. Empty when not known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Excerpt(String);

impl Excerpt {
    /// The excerpt for byte `offset` of `text`.
    pub fn at(text: &str, offset: usize) -> Excerpt {
        let loc = Location::at("", text, offset);
        let Some(line) = text.lines().nth(loc.line - 1) else {
            return Excerpt::default();
        };
        let line = line.trim_end_matches('\r');
        let gutter = loc.line.to_string().len();
        let pad = " ".repeat(gutter);
        let caret = " ".repeat(loc.col.saturating_sub(1));
        Excerpt(format!("\n{pad} |\n{} | {line}\n{pad} | {caret}^", loc.line))
    }
}

impl fmt::Display for Excerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
