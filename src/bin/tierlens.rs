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
// binaries) it compiles to an empty program.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::io::Read;
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    use clap::{Parser, Subcommand};
    use tierlens::export::{self, ExportOptions};
    use tierlens::sample::{SampleLanguage, SampleOptions};
    use tierlens::Recipe;

    #[derive(Parser)]
    #[command(
        name = "tierlens",
        version,
        about = "Customer segmentation: RFM scores, segments and tiers from a transactions export"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Segment the customers of a transactions file (CSV/TSV/XLSX/JSON; `-` reads standard
        /// input, spooled to a temporary file so that it can be read twice).
        Segment {
            /// Input file.
            input: PathBuf,
            /// Output directory: customers.csv and report.json are written there.
            #[arg(long)]
            out: PathBuf,
            /// Recipe (JSON settings) file.
            #[arg(long)]
            recipe: Option<PathBuf>,
            /// Analysis date YYYY-MM-DD (default: the day after the latest transaction).
            #[arg(long = "as-of", value_name = "YYYY-MM-DD")]
            as_of: Option<chrono::NaiveDate>,
            /// Previous code map: an earlier customers.csv (customer_id, code) or a JSON object
            /// {"id": "code"}. Customers whose class is unchanged keep their codes.
            #[arg(long, value_name = "FILE")]
            previous: Option<PathBuf>,
            /// Number of clusters, or `auto` to choose it over the recipe's kRange (overrides cluster.k).
            #[arg(long, value_name = "N|auto")]
            k: Option<tierlens::cluster::KChoice>,
            /// Random seed for clustering and explanations (overrides cluster.seed and explain.seed).
            #[arg(long)]
            seed: Option<u64>,
            /// Turn the recipe's clv section on (P(alive), expected purchases, spend and CLV;
            /// the section's other settings, or their defaults, apply).
            #[arg(long)]
            clv: bool,
            /// Also write the customer list as an Excel workbook (customers.xlsx).
            #[arg(long)]
            xlsx: bool,
            /// Replace customer ids by keyed pseudonyms (HMAC-SHA-256 under a passphrase from
            /// TIERLENS_PASSPHRASE, or typed at a prompt).
            #[arg(long, visible_alias = "pseudonymize")]
            pseudonymise: bool,
            /// Leave these customers.csv columns out of the exports (comma-separated names).
            #[arg(long = "drop-columns", value_name = "a,b,c", value_delimiter = ',')]
            drop_columns: Vec<String>,
            /// Also write the fitted segmentation as one SQL query for this engine
            /// (DIR/segment.DIALECT.sql; repeat for several).
            #[arg(long = "sql", value_enum, value_name = "duckdb|spark")]
            sql: Vec<SqlDialect>,
            /// The analysis date of the SQL: the fit's asOf (`fit`) or the data's latest date + 1.
            #[arg(long = "sql-as-of", value_enum, default_value = "fit")]
            sql_as_of: SqlAsOfArg,
        },
        /// Write the built-in synthetic sample dataset (the page's "Try the sample data").
        Sample {
            /// Output CSV file (`-` for standard output).
            #[arg(long)]
            out: PathBuf,
            /// Number of customers.
            #[arg(long, default_value_t = SampleOptions::default().customers)]
            customers: u32,
            /// Random seed.
            #[arg(long, default_value_t = SampleOptions::default().seed)]
            seed: u64,
            /// Header language.
            #[arg(long, value_enum, default_value = "en")]
            language: Lang,
        },
    }

    #[derive(Clone, Copy, clap::ValueEnum)]
    enum SqlDialect {
        Duckdb,
        Spark,
    }

    #[derive(Clone, Copy, clap::ValueEnum)]
    enum SqlAsOfArg {
        Fit,
        Data,
    }

    #[derive(Clone, Copy, clap::ValueEnum)]
    enum Lang {
        En,
        Zh,
    }

    pub fn main() -> ExitCode {
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
            } => export_options(pseudonymise, &drop_columns).and_then(|options| {
                segment(
                    &input,
                    &out,
                    &Run {
                        recipe_path: recipe.as_deref(),
                        as_of,
                        previous: previous.as_deref(),
                        k,
                        seed,
                        clv,
                        xlsx,
                        options,
                        sql: sql
                            .iter()
                            .map(|d| match d {
                                SqlDialect::Duckdb => tierlens::sql::Dialect::DuckDb,
                                SqlDialect::Spark => tierlens::sql::Dialect::Spark,
                            })
                            .collect(),
                        sql_as_of: match sql_as_of {
                            SqlAsOfArg::Fit => tierlens::sql::SqlAsOf::Fit,
                            SqlAsOfArg::Data => tierlens::sql::SqlAsOf::Data,
                        },
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
                    language: match language {
                        Lang::En => SampleLanguage::En,
                        Lang::Zh => SampleLanguage::Zh,
                    },
                };
                write_out(&out, tierlens::sample::generate(&options).as_bytes())
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

    fn write_out(path: &Path, bytes: &[u8]) -> Result<(), String> {
        if path.as_os_str() == "-" {
            use std::io::Write;
            return std::io::stdout()
                .write_all(bytes)
                .map_err(|e| format!("cannot write to standard output: {e}"));
        }
        std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// A load's error as the CLI prints it: the engine's message, or what could not be read.
    struct CliError(String);

    impl From<tierlens::Error> for CliError {
        fn from(e: tierlens::Error) -> Self {
            CliError(e.to_string())
        }
    }

    /// A file as a [`tierlens::Source`]: opened afresh for each pass, read in 1 MiB chunks.
    struct FileSource<'a> {
        path: &'a Path,
        /// The name the user gave (`-` for standard input, spooled to `path`).
        shown: &'a Path,
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
    struct Spool {
        path: PathBuf,
    }

    impl Spool {
        fn from_stdin() -> Result<Spool, String> {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let path = std::env::temp_dir()
                .join(format!("tierlens-stdin-{}-{nanos}.tmp", std::process::id()));
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

    /// The environment variable holding the passphrase for `--pseudonymise`.
    const PASSPHRASE_VAR: &str = "TIERLENS_PASSPHRASE";

    /// Export options from the flags; asks for the passphrase (before the long load) when needed.
    fn export_options(
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

    /// The settings of one `segment` run besides input and output.
    struct Run<'a> {
        recipe_path: Option<&'a Path>,
        as_of: Option<chrono::NaiveDate>,
        previous: Option<&'a Path>,
        k: Option<tierlens::cluster::KChoice>,
        seed: Option<u64>,
        clv: bool,
        xlsx: bool,
        options: ExportOptions,
        sql: Vec<tierlens::sql::Dialect>,
        sql_as_of: tierlens::sql::SqlAsOf,
    }

    fn segment(input: &Path, out: &Path, run: &Run<'_>) -> Result<(), String> {
        let Run {
            recipe_path,
            as_of,
            previous,
            k,
            seed,
            clv,
            ..
        } = *run;
        // Read before the (long) load, so a bad path fails fast.
        let (previous, previous_bytes) = match previous {
            Some(p) => {
                let bytes =
                    std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
                let map = tierlens::score::codes::previous_from_bytes(&bytes)
                    .map_err(|e| format!("{}: {e}", p.display()))?;
                (Some(map), Some((p, bytes)))
            }
            None => (None, None),
        };
        let mut recipe = match recipe_path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| format!("cannot read recipe {}: {e}", p.display()))?;
                Recipe::from_json(&text).map_err(|e| e.to_string())?
            }
            None => Recipe::default(),
        };
        if as_of.is_some() {
            recipe.as_of = as_of;
        }
        if let Some(k) = k {
            recipe.cluster.k = k;
        }
        if let Some(seed) = seed {
            recipe.cluster.seed = seed;
            recipe.explain.seed = seed;
        }
        if clv {
            recipe.clv.enabled = true;
        }
        // Checked once: loading and analysis take the plan.
        let plan = recipe.check().map_err(|e| e.to_string())?;
        // Every input is read twice, so that each reading decision (date order, decimal
        // separator, ids, duplicates, the outlier threshold) comes from every row. Standard input
        // can be read only once: it is spooled to a temporary file first (removed on return).
        let spool = if input.as_os_str() == "-" {
            Some(Spool::from_stdin()?)
        } else {
            None
        };
        let path = spool.as_ref().map_or(input, |s| s.path.as_path());
        let mut source = FileSource { path, shown: input };
        let dataset = tierlens::load(&mut source, &plan, &mut |_| {}).map_err(|e| e.0)?;
        // `compare.asOf`: the same file once more, as of the earlier date.
        let earlier = match tierlens::pipeline::earlier_plan(&plan).map_err(|e| e.to_string())? {
            Some(earlier_plan) => {
                Some(tierlens::load(&mut source, &earlier_plan, &mut |_| {}).map_err(|e| e.0)?)
            }
            None => None,
        };
        drop(spool);
        // An earlier pseudonymised customers.csv is keyed by pseudonyms: join it on them.
        let previous = match (previous, &run.options.pseudonymiser) {
            (Some(map), Some(p)) => Some(tierlens::pseudonym::rekey_previous(
                &map,
                &dataset.customers().ids,
                p,
            )),
            (map, _) => map,
        };
        let options = &run.options;
        let (analysis, migration) = match &earlier {
            Some(earlier) => {
                let (a, m) = dataset
                    .analyze_compared(&plan, earlier, previous.as_ref())
                    .map_err(|e| e.to_string())?;
                (a, Some(m))
            }
            None => {
                let mut a = dataset
                    .analyze_with(&plan, previous.as_ref())
                    .map_err(|e| e.to_string())?;
                let m = match &previous_bytes {
                    // A pseudonymised earlier file joins through the same passphrase.
                    Some((p, bytes)) => a
                        .migrate_from_csv(bytes, options.pseudonymiser.as_ref())
                        .map_err(|e| format!("{}: {e}", p.display()))?,
                    None => None,
                };
                (a, m)
            }
        };
        // Movers are per customer: written under the same export options as customers.csv.
        let migration = match migration {
            Some(m) => {
                let movers = analysis
                    .movers_csv_for(&m, options)
                    .map_err(|e| e.to_string())?;
                let json = analysis
                    .migration_for(&m, options)
                    .map_err(|e| e.to_string())?
                    .to_json();
                Some((m, json, movers))
            }
            None => None,
        };
        // Everything is produced before anything is written, so a bad option leaves no half output.
        let csv = analysis
            .customers_csv_for(options)
            .map_err(|e| e.to_string())?;
        let workbook = if run.xlsx {
            Some(
                analysis
                    .customers_xlsx_for(options)
                    .map_err(|e| e.to_string())?,
            )
        } else {
            None
        };
        let mut queries = Vec::new();
        for &dialect in &run.sql {
            let q = tierlens::sql::generate(
                &analysis,
                tierlens::sql::SqlOptions {
                    dialect,
                    as_of: run.sql_as_of,
                },
            )
            .map_err(|e| e.to_string())?;
            queries.push((dialect, q));
        }
        std::fs::create_dir_all(out)
            .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        write_out(&out.join("customers.csv"), &csv)?;
        for (dialect, q) in &queries {
            let name = format!("segment.{}.sql", dialect.name());
            write_out(&out.join(&name), q.sql.as_bytes())?;
            for w in &q.warnings {
                eprintln!("tierlens: warning: {name}: {}", w.message);
            }
        }
        if let Some(bytes) = workbook {
            write_out(&out.join("customers.xlsx"), &bytes)?;
        }
        write_out(
            &out.join("report.json"),
            analysis.report_json_for(options).as_bytes(),
        )?;
        if let Some((m, json, movers)) = &migration {
            write_out(&out.join("migration.json"), json.as_bytes())?;
            write_out(&out.join("movers.csv"), movers)?;
            eprintln!(
                "tierlens: migration from {} ({} cut points): {} movers → migration.json, movers.csv",
                m.previous_as_of.as_deref().unwrap_or("the previous file"),
                if m.cuts == tierlens::migration::Cuts::Previous { "previous" } else { "current" },
                m.movers.len()
            );
        }
        // What is printed follows the export: no raw id on the terminal either.
        let scrubbed = export::scrub_report(&analysis.report, &analysis.customers.ids, options);
        let r = &scrubbed;
        eprintln!(
            "tierlens: {} customers from {} rows ({} used, {} rejected); as of {} → {}",
            r.customers,
            r.rows_read,
            r.rows_used,
            r.rows_read - r.rows_used,
            r.as_of,
            out.display()
        );
        if let Some(c) = &r.clusters {
            eprintln!("tierlens: {} clusters ({})", c.k, c.chosen_by);
        }
        let ch = &r.codes.changes;
        if ch.previous {
            eprintln!(
                "tierlens: codes: {} kept, {} moved, {} new, {} departed",
                ch.kept, ch.moved, ch.new, ch.departed
            );
        }
        for (code, rej) in r
            .rows_rejected
            .iter()
            .map(|(c, x)| (c, x, "rejected"))
            .chain(r.flags.iter().map(|(c, x)| (c, x, "flagged")))
            .map(|(c, x, kind)| (format!("{kind} {c}"), x))
        {
            let rows: Vec<String> = rej.rows.iter().map(u64::to_string).collect();
            let more = if rej.count > rej.rows.len() as u64 {
                ", …"
            } else {
                ""
            };
            eprintln!(
                "tierlens:   {code}: {} rows ({}; rows {}{more})",
                rej.count,
                rej.message,
                rows.join(", ")
            );
        }
        for w in &r.warnings {
            eprintln!("tierlens: warning: {}", w.message);
        }
        Ok(())
    }
}
