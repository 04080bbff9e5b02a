//! Reading the input: a file as a [`tierlens::Source`] read once per pass, and standard input
//! spooled to a temporary file so that it can be read twice.

use std::io::Read;
use std::path::{Path, PathBuf};

/// A load's error as the CLI prints it: the engine's message, or what could not be read.
pub struct CliError(pub String);

impl From<tierlens::Error> for CliError {
    fn from(e: tierlens::Error) -> Self {
        CliError(e.to_string())
    }
}

/// A file as a [`tierlens::Source`]: opened afresh for each pass, read in 1 MiB chunks.
pub struct FileSource<'a> {
    /// The file read.
    pub path: &'a Path,
    /// The name the user gave (`-` for standard input, spooled to `path`).
    pub shown: &'a Path,
}

impl tierlens::Source for FileSource<'_> {
    type Error = CliError;

    fn size(&self) -> Option<u64> {
        std::fs::metadata(self.path).ok().map(|m| m.len())
    }

    fn rereadable(&self) -> bool {
        true
    }

    fn read(
        &mut self,
        push: &mut dyn FnMut(&[u8]) -> tierlens::Result<()>,
    ) -> Result<(), CliError> {
        let shown = self.shown.display();
        let mut reader = std::fs::File::open(self.path)
            .map_err(|e| CliError(format!("cannot open {shown}: {e}")))?;
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = reader
                .read(&mut buf)
                .map_err(|e| CliError(format!("cannot read {shown}: {e}")))?;
            if n == 0 {
                return Ok(());
            }
            push(buf.get(..n).unwrap_or_default())?;
        }
    }
}

/// Standard input copied to a private temporary file, removed when dropped (also on error).
pub struct Spool {
    /// The temporary file.
    pub path: PathBuf,
}

impl Spool {
    /// Copies standard input to a new private temporary file.
    pub fn from_stdin() -> Result<Spool, String> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path =
            std::env::temp_dir().join(format!("tierlens-stdin-{}-{nanos}.tmp", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options
            .open(&path)
            .map_err(|e| format!("cannot create a temporary file for standard input: {e}"))?;
        let spool = Spool { path };
        std::io::copy(&mut std::io::stdin().lock(), &mut file)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(spool)
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
