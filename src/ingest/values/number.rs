//! Amounts as real exports write them: currency signs and codes, thousands separators, decimal
//! commas, parentheses for negatives, full-width digits, 万/亿 multipliers and percentages.

use serde::Serialize;

use super::evidence;

/// Parses amounts of one column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NumberParser {
    /// `1.234,56` style: comma is the decimal separator, dot (or space) groups thousands.
    pub decimal_comma: bool,
}

/// Exact powers of ten as `f64` (every one up to 10²² is representable).
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// `-?digits[.digits]` with at most 15 digits, read as `str::parse::<f64>` reads it, without its
/// general algorithm: the digits make an integer below 2⁵³ and the fraction a power of ten up to
/// 10¹⁵, both exact as `f64`, so their IEEE quotient is the correctly rounded value of the decimal
/// (Clinger's fast path), which is what `parse` returns. `None` for any other spelling.
fn short_decimal(s: &str) -> Option<f64> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let mut mantissa: u64 = 0;
    let mut count = 0usize;
    let mut fraction: Option<usize> = None;
    for b in digits.bytes() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                count += 1;
                if let Some(f) = fraction.as_mut() {
                    *f += 1;
                }
                if count > 15 {
                    return None;
                }
            }
            b'.' if fraction.is_none() => fraction = Some(0),
            _ => return None,
        }
    }
    if count == 0 {
        return None;
    }
    // Below 10^15 < 2^53: exact.
    #[allow(clippy::cast_precision_loss)]
    let v = mantissa as f64 / POW10.get(fraction.unwrap_or(0))?;
    Some(if negative { -v } else { v })
}

impl NumberParser {
    /// Decides the decimal separator from `samples` (see [`evidence::decide_decimal`]; a column
    /// that cannot settle it reads a decimal point).
    pub fn from_samples<'a>(samples: impl IntoIterator<Item = &'a str>) -> Self {
        let mut ev = evidence::NumberEvidence::default();
        samples.into_iter().for_each(|s| ev.add(s));
        evidence::decide_decimal(&ev, None, "").parser
    }

    /// Parses one amount; `None` when it is not a number.
    pub fn parse(&self, raw: &str) -> Option<f64> {
        // Fast path for the common plain spelling (`12.50`, `-3`): no allocation.
        let plain = raw.trim();
        if !self.decimal_comma
            && !plain.is_empty()
            && plain
                .bytes()
                .enumerate()
                .all(|(i, b)| b.is_ascii_digit() || b == b'.' || (i == 0 && b == b'-'))
            && plain.bytes().any(|b| b.is_ascii_digit())
        {
            return short_decimal(plain)
                .or_else(|| plain.parse::<f64>().ok())
                .filter(|v| v.is_finite());
        }
        let s = normalise_digits(raw);
        let mut t = s.trim();
        if t.is_empty() {
            return None;
        }
        let mut negative = false;
        if let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
            negative = true;
            t = inner.trim();
        }
        let mut percent = false;
        if let Some(inner) = t.strip_suffix('%') {
            percent = true;
            t = inner.trim_end();
        }
        // Currency codes around the number: "USD 12", "30 RMB".
        t = strip_code(t);
        // Chinese units: `1,280元`, `1280.00 元`, `¥1.2万` (× 10⁴), `3亿` (× 10⁸), `1.2万元`.
        if let Some(inner) = t.strip_suffix('元') {
            t = inner.trim_end();
        }
        let mut exponent = 0;
        if let Some(inner) = t.strip_suffix('万') {
            exponent = 4;
            t = inner.trim_end();
        } else if let Some(inner) = t.strip_suffix('亿') {
            exponent = 8;
            t = inner.trim_end();
        }
        let mut cleaned = String::with_capacity(t.len());
        let mut seen_digit = false;
        for c in t.chars() {
            match c {
                '0'..='9' => {
                    seen_digit = true;
                    cleaned.push(c);
                }
                '-' | '−' if !seen_digit && !cleaned.contains('-') => cleaned.push('-'),
                '+' if !seen_digit => {}
                '.' if self.decimal_comma => {}
                ',' if self.decimal_comma => cleaned.push('.'),
                ',' | '\'' | '_' | ' ' | '\u{a0}' | '\u{202f}' => {}
                '.' => cleaned.push('.'),
                '¥' | '￥' | '$' | '€' | '£' | '元' | '₩' | '₹' | '¢'
                    if !seen_digit || cleaned.ends_with(|c: char| c.is_ascii_digit()) => {}
                _ => return None,
            }
        }
        if !seen_digit {
            return None;
        }
        if exponent > 0 {
            // Scaled in decimal, so `1.2万` is exactly 12000 (1.2 × 10⁴ in binary is not).
            cleaned.push('e');
            cleaned.push(if exponent == 4 { '4' } else { '8' });
        }
        let v: f64 = cleaned.parse().ok()?;
        if !v.is_finite() {
            return None;
        }
        let v = if percent { v / 100.0 } else { v };
        Some(if negative { -v } else { v })
    }
}

/// Removes a leading or trailing run of up to 3 ASCII letters (a currency code) and the space after it.
fn strip_code(t: &str) -> &str {
    let lead = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    let t = if (1..=3).contains(&lead) {
        t.get(lead..).unwrap_or(t).trim_start()
    } else {
        t
    };
    let trail = t.bytes().rev().take_while(u8::is_ascii_alphabetic).count();
    if (1..=3).contains(&trail) {
        t.get(..t.len() - trail).unwrap_or(t).trim_end()
    } else {
        t
    }
}

/// Full-width digits and signs (common in Chinese exports) to ASCII.
pub(crate) fn normalise_digits(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| match c {
                '０'..='９' => {
                    char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
                }
                '．' => '.',
                '，' => ',',
                '－' => '-',
                '＋' => '+',
                '（' => '(',
                '）' => ')',
                '％' => '%',
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_decimals_read_as_the_standard_parser_reads_them() {
        // The oracle is `str::parse::<f64>` (correctly rounded), bit for bit.
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "0.0",
            "-0.00",
            "1.",
            ".5",
            "-.5",
            "007.50",
            "9.04",
            "2.87",
            "0.1",
            "0.3",
            "123456789012345",
            "12345678901234.5",
            "0.000000000000001",
            "999999999999999",
            "-999999.999999999",
            "4503599627370497",
            "1.2.3",
            "-",
            ".",
            "1-2",
            "",
            "1e5",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Cents and sub-cent amounts over a wide range (a simple LCG, fixed seed).
        let mut x: u64 = 7;
        for _ in 0..20_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let int = (x >> 20) % 10_000_000;
            let frac = (x >> 8) % 1000;
            let places = usize::try_from(x % 4).unwrap();
            let f = format!("{frac:03}");
            texts.push(format!("{int}.{}", f.get(..places).unwrap()));
        }
        for t in &texts {
            let want = t.parse::<f64>().ok();
            if let Some(v) = short_decimal(t) {
                assert_eq!(Some(v.to_bits()), want.map(f64::to_bits), "{t}");
            }
        }
        assert_eq!(short_decimal("9.04"), Some(9.04));
        assert_eq!(short_decimal("1234567890123456"), None);
        assert_eq!(short_decimal("1.2.3"), None);
        assert_eq!(short_decimal("-").or(short_decimal(".")), None);
    }

    #[test]
    fn parses_amounts() {
        let p = NumberParser::default();
        assert_eq!(p.parse("1234.5"), Some(1234.5));
        assert_eq!(p.parse("¥1,234.50"), Some(1234.5));
        assert_eq!(p.parse("￥ 88"), Some(88.0));
        assert_eq!(p.parse("$-12.5"), Some(-12.5));
        assert_eq!(p.parse("-$12.5"), Some(-12.5));
        assert_eq!(p.parse("(45.00)"), Some(-45.0));
        assert_eq!(p.parse("１２３．５"), Some(123.5));
        assert_eq!(p.parse("12%"), Some(0.12));
        assert_eq!(p.parse("100元"), Some(100.0));
        assert_eq!(p.parse("1,280元"), Some(1280.0));
        assert_eq!(p.parse("1280.00 元"), Some(1280.0));
        assert_eq!(p.parse("¥1.2万"), Some(12_000.0));
        assert_eq!(p.parse("1.2万元"), Some(12_000.0));
        assert_eq!(p.parse("3亿"), Some(300_000_000.0));
        assert_eq!(p.parse("-0.35万"), Some(-3_500.0));
        assert_eq!(p.parse("万"), None);
        assert_eq!(p.parse("1万2"), None);
        assert_eq!(p.parse("abc"), None);
        assert_eq!(p.parse("USD 12"), Some(12.0));
        assert_eq!(p.parse("30 RMB"), Some(30.0));
        assert_eq!(p.parse("12abcd"), None);
        assert_eq!(p.parse("1.2.3"), None);
        assert_eq!(p.parse(""), None);
        let c = NumberParser::from_samples(["1.234,56", "12,5", "3"]);
        assert!(c.decimal_comma);
        assert_eq!(c.parse("1.234,56"), Some(1234.56));
        assert_eq!(c.parse("€ 12,50"), Some(12.5));
        assert!(!NumberParser::from_samples(["1,234", "12.5"]).decimal_comma);
    }
}
