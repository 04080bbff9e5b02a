//! What a `segment` run writes and prints: every output produced in memory first (so a bad option
//! leaves no half-written directory), then the files, then a summary on standard error.

use std::path::Path;

use tierlens::export::{self, ExportOptions};
use tierlens::migration::Migration;
use tierlens::sql::{Dialect, SqlExport};
use tierlens::Analysis;

use crate::segment::Run;

/// Writes `bytes` to `path`, or to standard output for `-`.
pub fn write_out(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if path.as_os_str() == "-" {
        use std::io::Write;
        return std::io::stdout()
            .write_all(bytes)
            .map_err(|e| format!("cannot write to standard output: {e}"));
    }
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Every file of one run, before any is written.
pub struct Outputs {
    csv: Vec<u8>,
    workbook: Option<Vec<u8>>,
    report: String,
    queries: Vec<(Dialect, SqlExport)>,
    /// The migration with its migration.json and movers.csv.
    migration: Option<(Migration, String, Vec<u8>)>,
}

impl Outputs {
    /// Produces the outputs of `analysis` (and `migration`) under the run's export options.
    pub fn produce(
        analysis: &Analysis,
        migration: Option<Migration>,
        run: &Run<'_>,
    ) -> Result<Outputs, String> {
        let options = &run.options;
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
                analysis,
                tierlens::sql::SqlOptions {
                    dialect,
                    as_of: run.sql_as_of,
                },
            )
            .map_err(|e| e.to_string())?;
            queries.push((dialect, q));
        }
        Ok(Outputs {
            csv,
            workbook,
            report: analysis.report_json_for(options),
            queries,
            migration,
        })
    }

    /// Writes the files into `out` (created when missing), with the SQL warnings and the
    /// migration line on standard error.
    pub fn write(&self, out: &Path) -> Result<(), String> {
        std::fs::create_dir_all(out)
            .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        write_out(&out.join("customers.csv"), &self.csv)?;
        for (dialect, q) in &self.queries {
            let name = format!("segment.{}.sql", dialect.name());
            write_out(&out.join(&name), q.sql.as_bytes())?;
            for w in &q.warnings {
                eprintln!("tierlens: warning: {name}: {}", w.message);
            }
        }
        if let Some(bytes) = &self.workbook {
            write_out(&out.join("customers.xlsx"), bytes)?;
        }
        write_out(&out.join("report.json"), self.report.as_bytes())?;
        if let Some((m, json, movers)) = &self.migration {
            write_out(&out.join("migration.json"), json.as_bytes())?;
            write_out(&out.join("movers.csv"), movers)?;
            eprintln!(
                "tierlens: migration from {} ({} cut points): {} movers → migration.json, movers.csv",
                m.previous_as_of.as_deref().unwrap_or("the previous file"),
                if m.cuts == tierlens::migration::Cuts::Previous { "previous" } else { "current" },
                m.movers.len()
            );
        }
        Ok(())
    }
}

/// The run's summary on standard error: customers and rows, clusters, code changes, rejected and
/// flagged rows, warnings.
pub fn summary(analysis: &Analysis, options: &ExportOptions, out: &Path) {
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
}
