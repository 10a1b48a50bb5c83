//! Input discovery: files, directories (recursive) and stdin, each with its format.

use std::path::{Path, PathBuf};

use super::InputError;

/// How documents are laid out in an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The whole file is one document.
    Text,
    /// One JSON object per line; the document is one of its string fields.
    Jsonl,
}

impl Format {
    /// The format a file name implies, looking through a compression suffix: `.jsonl`,
    /// `.ndjson` and `.json` are JSONL, `.txt` and `.text` are text; `None` for anything else.
    /// `.bz2`, `.xz` and `.lz4` count too, so that such a file in a directory is found and
    /// refused with a message saying why, not skipped in silence.
    pub fn from_name(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?;
        let name = [".gz", ".zst", ".bz2", ".xz", ".lz4"]
            .iter()
            .find_map(|suffix| name.strip_suffix(suffix))
            .unwrap_or(name);
        match name.rsplit_once('.')?.1 {
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "txt" | "text" => Some(Format::Text),
            _ => None,
        }
    }
}

/// One input file found by [`discover`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The path to open (`-` for stdin).
    pub path: PathBuf,
    /// Its path relative to the input it was found under (for mirroring into an output
    /// directory); the file name for a file given directly.
    pub relative: PathBuf,
    /// Its format.
    pub format: Format,
}

/// Expands the given paths into input files. Directories are walked recursively in sorted
/// order, skipping hidden entries and files whose names are not a known format; files given
/// directly are taken whatever their name, as `default` when it says nothing. Symbolic links to
/// directories are not followed (no loops).
pub fn discover(paths: &[PathBuf], default: Option<Format>) -> Result<Vec<InputFile>, InputError> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(InputFile {
                path: path.clone(),
                relative: "-".into(),
                format: default.unwrap_or(Format::Text),
            });
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|e| InputError::io(path, e))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, path, &mut found)?;
            found.sort_by(|a, b| a.path.cmp(&b.path));
            out.extend(found.into_iter().map(|mut f| {
                f.format = default.unwrap_or(f.format);
                f
            }));
        } else {
            let format = default.or_else(|| Format::from_name(path)).unwrap_or(Format::Text);
            let relative = path.file_name().map(PathBuf::from).unwrap_or_else(|| path.clone());
            out.push(InputFile { path: path.clone(), relative, format });
        }
    }
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<InputFile>) -> Result<(), InputError> {
    let entries = std::fs::read_dir(dir).map_err(|e| InputError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| InputError::io(dir, e))?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| InputError::io(&path, e))?;
        if kind.is_dir() {
            walk(root, &path, out)?;
        } else if let Some(format) = Format::from_name(&path) {
            if kind.is_symlink() && !path.is_file() {
                continue;
            }
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            out.push(InputFile { path, relative, format });
        }
    }
    Ok(())
}
