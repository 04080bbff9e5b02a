//! Reading committed fixtures, shared by the integration tests that use them.
#![allow(clippy::panic, dead_code)]

/// The bytes of `tests/fixtures/<folder>/<name>`; a missing fixture fails the test with its path.
pub fn read(folder: &str, name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/{folder}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
