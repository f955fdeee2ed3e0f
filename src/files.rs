//! Files the user asked for (exports, reports): written whole or not at all.

use std::path::Path;

/// Writes `text` to `path` through a temporary file beside it, renamed into
/// place: a reader never sees half a file, and a failure leaves what was
/// there before. The temporary name holds the process id, so two writers
/// do not share one.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} is not a file name", path.display()),
        )
    })?;
    let tmp = path.with_file_name(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}
