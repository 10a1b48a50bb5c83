//! Atomic output: write to a temporary file beside the target, rename when complete.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use super::compress::{Compression, FinishWrite};

/// An output file that appears under its final name only once [`AtomicFile::commit`] runs.
/// Dropped without a commit (an error, a panic), it removes its temporary file. A target that
/// is a symbolic link stays one: the file it points to is replaced. A target that is a device
/// or a pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written to as it is: it holds no file to
/// replace, and a rename would put a regular file in its place.
pub struct AtomicFile {
    target: PathBuf,
    /// The temporary file and the path it is renamed to on commit; `None` when the target is
    /// written in place.
    rename: Option<(PathBuf, PathBuf)>,
    writer: Option<Box<dyn FinishWrite>>,
}

impl AtomicFile {
    /// Creates the temporary file for `target` (and its parent directories); compression
    /// follows the target's name.
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        Compression::check_name(target)?;
        // One `lstat` for the usual new file; a link is followed to what it names.
        let mut meta = std::fs::symlink_metadata(target).ok();
        let link = meta.as_ref().is_some_and(|m| m.is_symlink());
        if link {
            meta = std::fs::metadata(target).ok();
        }
        if meta.as_ref().is_some_and(|m| !m.is_file() && !m.is_dir()) {
            let file = OpenOptions::new().write(true).open(target)?;
            return AtomicFile::new(target, None, file);
        }
        // A link stays a link: the file it points to is replaced (a dangling link, itself).
        let dest = if link && meta.is_some() { std::fs::canonicalize(target)? } else { target.to_path_buf() };
        static PID: LazyLock<u32> = LazyLock::new(std::process::id);
        let dir = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temp = dir.join(format!(".{name}.deboil-{}.tmp", *PID));
        // The directory mostly exists already: made only when the file cannot be created.
        let file = match File::create(&temp) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir)?;
                File::create(&temp)?
            }
            other => other?,
        };
        AtomicFile::new(target, Some((temp, dest)), file)
    }

    fn new(target: &Path, rename: Option<(PathBuf, PathBuf)>, file: File) -> io::Result<AtomicFile> {
        let writer = Compression::from_name(target).writer(BufWriter::with_capacity(1 << 16, file))?;
        Ok(AtomicFile { target: target.to_path_buf(), rename, writer: Some(writer) })
    }

    /// The final path.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Finishes compression, syncs nothing more than a close does, and renames into place.
    pub fn commit(mut self) -> io::Result<()> {
        if let Some(w) = self.writer.take() {
            w.finish_box()?;
        }
        match &self.rename {
            Some((temp, dest)) => std::fs::rename(temp, dest),
            None => Ok(()),
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.as_mut().expect("not committed").write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer.as_mut().expect("not committed").write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.writer.as_mut().expect("not committed").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let (Some(_), Some((temp, _))) = (self.writer.take(), &self.rename) {
            let _ = std::fs::remove_file(temp);
        }
    }
}
