//! `tierlens` command-line tool: the same pipeline as the page, for files too large for a browser tab.
//!
//! ```text
//! tierlens segment INPUT --out DIR [--recipe recipe.json] [--as-of YYYY-MM-DD] [--previous FILE]
//!                  [--k N|auto] [--seed N] [--clv] [--xlsx] [--pseudonymise] [--drop-columns a,b,c]
//! tierlens sample --out FILE [--customers N] [--seed N] [--language en|zh]
//! ```
//!
//! `--pseudonymise` replaces every customer id in the outputs by its keyed pseudonym (HMAC-SHA-256,
//! see `tierlens::pseudonym`) under a passphrase from `TIERLENS_PASSPHRASE` or, when that is unset and
//! standard input is a terminal, typed twice at a prompt without echo. The passphrase is never
//! written anywhere. With it, `--previous` accepts an earlier pseudonymised customers.csv (codes and
//! migration join on the pseudonyms of the same passphrase).
//!
//! Migration (README "Migration"): with the recipe's `compare.asOf`, or a `--previous` customers.csv
//! that has class columns, `migration.json` and `movers.csv` are written beside report.json.
//!
//! Exit status: 0 on success, 1 when the input or recipe is unusable (one line on stderr says why,
//! with row and column where there is one), 2 for a usage error.

// The CLI is native only; on wasm32 (where `cargo test --target wasm32-unknown-unknown` still builds
// binaries) it compiles to an empty program. Its parts, in src/bin/tierlens/: the command line
// (`args`), reading the input (`input`), the passphrase (`passphrase`), one `segment` run
// (`segment`) and what it writes and prints (`output`).
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
#[path = "tierlens/args.rs"]
mod args;
#[cfg(not(target_arch = "wasm32"))]
#[path = "tierlens/input.rs"]
mod input;
#[cfg(not(target_arch = "wasm32"))]
#[path = "tierlens/output.rs"]
mod output;
#[cfg(not(target_arch = "wasm32"))]
#[path = "tierlens/passphrase.rs"]
mod passphrase;
#[cfg(not(target_arch = "wasm32"))]
#[path = "tierlens/segment.rs"]
mod segment;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser;
    use std::process::ExitCode;

    use args::{Cli, Command};
    use tierlens::sample::SampleOptions;

    // One clear line, never a backtrace: a panic inside the spreadsheet parser is caught and
    // reported as an ordinary error, so it prints nothing here; any other panic is a bug in
    // tierlens and says so in one line.
    std::panic::set_hook(Box::new(|info| {
        if !tierlens::ingest::in_guarded_parser() {
            eprintln!("tierlens: internal error (please report it): {info}");
        }
    }));
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Segment {
            input,
            out,
            recipe,
            as_of,
            previous,
            k,
            seed,
            clv,
            xlsx,
            pseudonymise,
            drop_columns,
            sql,
            sql_as_of,
        } => passphrase::export_options(pseudonymise, &drop_columns).and_then(|options| {
            segment::segment(
                &input,
                &out,
                &segment::Run {
                    recipe_path: recipe.as_deref(),
                    as_of,
                    previous: previous.as_deref(),
                    k,
                    seed,
                    clv,
                    xlsx,
                    options,
                    sql: sql.into_iter().map(Into::into).collect(),
                    sql_as_of: sql_as_of.into(),
                },
            )
        }),
        Command::Sample {
            out,
            customers,
            seed,
            language,
        } => {
            let options = SampleOptions {
                customers,
                seed,
                language: language.into(),
            };
            output::write_out(&out, tierlens::sample::generate(&options).as_bytes())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tierlens: error: {message}");
            ExitCode::from(1)
        }
    }
}
