//! Errors about input documents, each naming the file and line or record.

use std::path::PathBuf;

/// Why an input could not be read or understood.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file could not be opened or read (or decompressed): the reason is the error's source.
    #[error("{path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The text is not valid UTF-8.
    #[error("{path}:{line}: invalid UTF-8 at byte {offset}")]
    Utf8 {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first bad byte.
        line: usize,
        /// Byte offset of the first bad byte in the document or record.
        offset: usize,
    },
    /// A JSONL record is malformed: bad JSON, not an object, missing or mistyped text field.
    #[error("{path}:{line}: {message}")]
    Record {
        /// The file.
        path: PathBuf,
        /// 1-based line of the record.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

impl InputError {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> InputError {
        InputError::Io { path: path.into(), source }
    }

    /// The error for invalid UTF-8 in a text document of `bytes` read from `path`: where the
    /// first bad byte is, as a line number and a byte offset.
    pub fn utf8(path: &std::path::Path, bytes: &[u8], e: std::str::Utf8Error) -> InputError {
        let offset = e.valid_up_to();
        let line = 1 + memchr::memchr_iter(b'\n', &bytes[..offset]).count();
        InputError::Utf8 { path: path.to_path_buf(), line, offset }
    }
}
