//! Readers and writers: input discovery, formats (plain text, JSONL), compression (gzip,
//! zstd) and atomic output files. Nothing here knows about rules.

mod compress;
mod docs;
mod error;
pub mod jsonl;
mod output;
mod walk;

pub use compress::{Compression, open_input, open_reader};
pub use docs::{OwnedDoc, read_docs};
pub use error::InputError;
pub use output::AtomicFile;
pub use walk::{Format, InputFile, discover};
