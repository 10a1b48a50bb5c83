//! Outputs that would overwrite an input are refused before any work is done.

use std::path::Path;

use crate::io::InputFile;
use anyhow::{Result, bail};

/// Refuses `target`, the `what` of a command (its report, its draft), when it is one of the
/// inputs: the command reads them all before it writes, and would replace one with its output.
pub fn refuse_any_input(what: &str, target: &Path, inputs: &[InputFile]) -> Result<()> {
    // A file that does not exist yet, or a device such as /dev/null, is no input to lose.
    if !std::fs::metadata(target).is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    if let Some(input) = inputs.iter().find(|i| i.path.as_os_str() != "-" && same_file(&i.path, target)) {
        bail!(
            "{what} {} is the same file as input {}: refusing to overwrite it",
            target.display(),
            input.path.display()
        );
    }
    Ok(())
}

/// Refuses to write an output over one of the inputs.
pub fn refuse_overwrite(input: &Path, target: &Path) -> Result<()> {
    if input.as_os_str() != "-" && same_file(input, target) {
        bail!(
            "output {} is the same file as input {}: refusing to overwrite it (use --in-place to replace inputs)",
            target.display(),
            input.display()
        );
    }
    Ok(())
}

/// Whether two paths name one existing file (through links too): the same device and inode,
/// at most two `stat` calls however deep the paths are.
#[cfg(unix)]
pub fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    // The second path is an output, which mostly does not exist yet: one `stat` then.
    let Ok(b) = std::fs::metadata(b) else { return false };
    std::fs::metadata(a).is_ok_and(|a| (a.dev(), a.ino()) == (b.dev(), b.ino()))
}

#[cfg(not(unix))]
pub fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}
