//! One `segment` run: the recipe with the flags applied, checked once; the input loaded (twice
//! over `compare.asOf`); the analysis and its migration; every output produced in memory before
//! `output` writes anything.

use std::path::Path;

use tierlens::export::ExportOptions;
use tierlens::Recipe;

use crate::input::{FileSource, Spool};
use crate::output::{self, Outputs};

/// The settings of one `segment` run besides input and output.
pub struct Run<'a> {
    /// `--recipe`.
    pub recipe_path: Option<&'a Path>,
    /// `--as-of`.
    pub as_of: Option<chrono::NaiveDate>,
    /// `--previous`.
    pub previous: Option<&'a Path>,
    /// `--k`.
    pub k: Option<tierlens::cluster::KChoice>,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--clv`.
    pub clv: bool,
    /// `--xlsx`.
    pub xlsx: bool,
    /// `--pseudonymise` and `--drop-columns`.
    pub options: ExportOptions,
    /// `--sql`, once per dialect.
    pub sql: Vec<tierlens::sql::Dialect>,
    /// `--sql-as-of`.
    pub sql_as_of: tierlens::sql::SqlAsOf,
}

/// The recipe file (or the default) with the flags that override it.
fn recipe(run: &Run<'_>) -> Result<Recipe, String> {
    let mut recipe = match run.recipe_path {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| format!("cannot read recipe {}: {e}", p.display()))?;
            Recipe::from_json(&text).map_err(|e| e.to_string())?
        }
        None => Recipe::default(),
    };
    if run.as_of.is_some() {
        recipe.as_of = run.as_of;
    }
    if let Some(k) = run.k {
        recipe.cluster.k = k;
    }
    if let Some(seed) = run.seed {
        recipe.cluster.seed = seed;
        recipe.explain.seed = seed;
    }
    if run.clv {
        recipe.clv.enabled = true;
    }
    Ok(recipe)
}

/// Segments `input` into the directory `out`.
pub fn segment(input: &Path, out: &Path, run: &Run<'_>) -> Result<(), String> {
    // Read before the (long) load, so a bad path fails fast.
    let (previous, previous_bytes) = match run.previous {
        Some(p) => {
            let bytes =
                std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            let map = tierlens::score::codes::previous_from_bytes(&bytes)
                .map_err(|e| format!("{}: {e}", p.display()))?;
            (Some(map), Some((p, bytes)))
        }
        None => (None, None),
    };
    // Checked once: loading and analysis take the plan.
    let plan = recipe(run)?.check().map_err(|e| e.to_string())?;
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
    let outputs = Outputs::produce(&analysis, migration, run)?;
    outputs.write(out)?;
    output::summary(&analysis, options, out);
    Ok(())
}
