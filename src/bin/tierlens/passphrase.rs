//! The passphrase of `--pseudonymise` and the export options it goes into.

use tierlens::export::ExportOptions;

/// The environment variable holding the passphrase for `--pseudonymise`.
const PASSPHRASE_VAR: &str = "TIERLENS_PASSPHRASE";

/// Export options from the flags; asks for the passphrase (before the long load) when needed.
pub fn export_options(
    pseudonymise: bool,
    drop_columns: &[String],
) -> Result<ExportOptions, String> {
    let passphrase = if pseudonymise {
        Some(passphrase()?)
    } else {
        None
    };
    ExportOptions::new(passphrase.as_deref(), drop_columns).map_err(|e| e.to_string())
}

/// The passphrase from `TIERLENS_PASSPHRASE`, else typed twice without echo when standard input
/// is a terminal (a typo would silently give other pseudonyms, so it is asked twice).
fn passphrase() -> Result<String, String> {
    use std::io::IsTerminal;
    if let Some(p) = std::env::var_os(PASSPHRASE_VAR) {
        return p
            .into_string()
            .map_err(|_| format!("{PASSPHRASE_VAR} is not valid UTF-8"));
    }
    if !std::io::stdin().is_terminal() {
        return Err(format!(
            "--pseudonymise needs a passphrase: set {PASSPHRASE_VAR} (standard input is not a terminal, so it cannot be asked for)"
        ));
    }
    let first = rpassword::prompt_password("tierlens: passphrase for pseudonyms: ")
        .map_err(|e| format!("cannot read the passphrase: {e}"))?;
    let again = rpassword::prompt_password("tierlens: the same passphrase again: ")
        .map_err(|e| format!("cannot read the passphrase: {e}"))?;
    if first != again {
        return Err("the two passphrases differ".into());
    }
    Ok(first)
}
