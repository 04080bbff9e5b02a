//! What differs between the SQL dialects: identifier quoting, type names, day arithmetic, pattern
//! matching, and literals that read back as exactly the same value in both engines.

use super::Dialect;

impl Dialect {
    /// The dialect's name as the CLI and the package spell it (`duckdb`, `spark`).
    pub fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "duckdb",
            Dialect::Spark => "spark",
        }
    }

    /// Parses a dialect name (`duckdb`, `spark`; case-insensitive).
    pub fn parse(name: &str) -> Option<Dialect> {
        match name.trim().to_ascii_lowercase().as_str() {
            "duckdb" => Some(Dialect::DuckDb),
            "spark" | "sparksql" | "spark-sql" => Some(Dialect::Spark),
            _ => None,
        }
    }

    /// A quoted identifier: any column name of the file (spaces, CJK, quotes) stays one name.
    pub(super) fn ident(self, name: &str) -> String {
        match self {
            Dialect::DuckDb => format!("\"{}\"", name.replace('"', "\"\"")),
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
        }
    }

    /// A text literal that reads back as `s`: single quotes doubled; Spark also reads backslash
    /// escapes, so there backslashes are doubled too (DuckDB takes them literally).
    pub(super) fn text(self, s: &str) -> String {
        let s = s.replace('\'', "''");
        match self {
            Dialect::DuckDb => format!("'{s}'"),
            Dialect::Spark => format!("'{}'", s.replace('\\', "\\\\")),
        }
    }

    /// The text type.
    pub(super) fn text_type(self) -> &'static str {
        match self {
            Dialect::DuckDb => "VARCHAR",
            Dialect::Spark => "STRING",
        }
    }

    /// Days since 1970-01-01 of a DATE or TIMESTAMP expression (its calendar date, as tierlens
    /// reads a timestamp cell), as an integer, so all later arithmetic is on whole days.
    pub(super) fn day_number(self, expr: &str) -> String {
        match self {
            Dialect::DuckDb => {
                format!("date_diff('day', DATE '1970-01-01', CAST({expr} AS DATE))")
            }
            Dialect::Spark => format!("datediff(CAST({expr} AS DATE), DATE '1970-01-01')"),
        }
    }

    /// `expr` matches the regular expression `pattern` as a whole.
    pub(super) fn full_match(self, expr: &str, pattern: &str) -> String {
        match self {
            Dialect::DuckDb => format!("regexp_full_match({expr}, {})", self.text(pattern)),
            Dialect::Spark => format!("({expr} RLIKE {})", self.text(&format!("^{pattern}$"))),
        }
    }

    /// Natural logarithm of `1 + expr` (DuckDB has no `log1p`; `ln(1 + x)` may differ from
    /// tierlens' `log1p` in the last bit, which matters only for a customer on a near-tie).
    pub(super) fn ln_1p(self, expr: &str) -> String {
        match self {
            Dialect::DuckDb => format!("ln(1 + {expr})"),
            Dialect::Spark => format!("log1p({expr})"),
        }
    }
}

impl Dialect {
    /// The aggregate list of `expr` over a group, sorted ascending (a value list, so its order
    /// does not depend on row order).
    pub(super) fn sorted_list(self, expr: &str) -> String {
        match self {
            Dialect::DuckDb => format!("list_sort(list({expr}))"),
            Dialect::Spark => format!("array_sort(collect_list({expr}))"),
        }
    }

    /// The element of `list` at the 1-based `index` (which the caller keeps in range).
    pub(super) fn list_at(self, list: &str, index: &str) -> String {
        match self {
            Dialect::DuckDb => format!("list_extract({list}, {index})"),
            Dialect::Spark => format!("element_at({list}, CAST({index} AS INT))"),
        }
    }
}

/// A DOUBLE literal that reads back as exactly `v`: Rust's shortest round-trip digits in
/// exponent form (`4.002000000000003e2`). Both DuckDB and Spark read a literal with an exponent
/// as a DOUBLE (a plain `400.2` would be a DECIMAL in both), correctly rounded. `None` for NaN or
/// an infinity, which have no literal.
pub(super) fn double_literal(v: f64) -> Option<String> {
    if !v.is_finite() {
        return None;
    }
    let s = format!("{v:e}");
    Some(if v < 0.0 { format!("({s})") } else { s })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_use_shortest_exponent_form() {
        assert_eq!(
            double_literal(400.200_000_000_000_3).as_deref(),
            Some("4.002000000000003e2")
        );
        assert_eq!(double_literal(-1.5).as_deref(), Some("(-1.5e0)"));
        assert_eq!(double_literal(0.0).as_deref(), Some("0e0"));
        assert_eq!(double_literal(f64::NAN), None);
        for v in [0.1, 1e-300, 123_456.789, f64::MAX, 5e-324] {
            let s = double_literal(v).unwrap_or_default();
            let back: f64 = s.trim_matches(['(', ')']).parse().unwrap_or(f64::NAN);
            assert_eq!(back.to_bits(), v.to_bits(), "{s}");
        }
    }

    #[test]
    fn names_and_texts_are_quoted() {
        assert_eq!(Dialect::DuckDb.ident("a\"b 金额"), "\"a\"\"b 金额\"");
        assert_eq!(Dialect::Spark.ident("a`b"), "`a``b`");
        assert_eq!(Dialect::DuckDb.text("Can't \\ x"), "'Can''t \\ x'");
        assert_eq!(Dialect::Spark.text("Can't \\ x"), "'Can''t \\\\ x'");
    }
}
