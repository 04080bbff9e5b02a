//! The lexer of the expression language: characters → tokens with their 0-based positions.

use super::{err, ExprError};

/// A token.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Num(f64),
    Str(String),
    Word(String),
    Sym(&'static str),
    End,
}

/// A token as an error message names it.
pub(super) fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(n) => format!("number {n}"),
        Tok::Str(s) => format!("text {s:?}"),
        Tok::Word(w) => format!("{w:?}"),
        Tok::Sym(s) => format!("{s:?}"),
        Tok::End => "the end of the expression".into(),
    }
}

/// Most characters a condition may have: a rule longer than this is a generated file, not a rule.
pub const MAX_CHARS: usize = 16 * 1024;

/// Most tokens (names, numbers, texts, operators, brackets) a condition may have. The syntax tree
/// has at most one node per token, so this bounds its size and depth: a flat chain of 50 000 `or`
/// terms is a left-deep tree whose type check, evaluation and drop would recurse 50 000 frames
/// deep and overflow the stack (natively and in Wasm's smaller stack). 1 024 tokens keep every
/// recursion under about 600 frames.
pub const MAX_TOKENS: usize = 1024;

/// Splits a condition into tokens, ending with [`Tok::End`].
pub(super) fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    if src.chars().count() > MAX_CHARS {
        return err(
            MAX_CHARS,
            format!(
                "the condition is longer than {MAX_CHARS} characters; split it into several rules"
            ),
        );
    }
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied();
    while let Some(c) = at(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if out.len() >= MAX_TOKENS {
            return err(
                i,
                format!("the condition has more than {MAX_TOKENS} names, values and operators; split it into several rules"),
            );
        }
        let start = i;
        if c.is_ascii_digit() || (c == '.' && at(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            while at(i).is_some_and(|d| d.is_ascii_digit() || d == '.' || d == '_') {
                i += 1;
            }
            // Exponent, e.g. 1e4.
            if at(i).is_some_and(|d| d == 'e' || d == 'E')
                && at(i + 1).is_some_and(|d| d.is_ascii_digit() || d == '-' || d == '+')
            {
                i += 2;
                while at(i).is_some_and(|d| d.is_ascii_digit()) {
                    i += 1;
                }
            }
            let text: String = chars
                .iter()
                .skip(start)
                .take(i - start)
                .filter(|&&d| d != '_')
                .collect();
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() => out.push((Tok::Num(v), start)),
                _ => return err(start, format!("{text:?} is not a number")),
            }
            continue;
        }
        if c == '"' || c == '\'' || c == '“' || c == '‘' {
            let close = match c {
                '“' => '”',
                '‘' => '’',
                q => q,
            };
            i += 1;
            let mut text = String::new();
            loop {
                match at(i) {
                    None => return err(start, "text is not closed with a quote"),
                    Some('\\') if at(i + 1).is_some() => {
                        text.extend(at(i + 1));
                        i += 2;
                    }
                    Some(d) if d == close => {
                        i += 1;
                        break;
                    }
                    Some(d) => {
                        text.push(d);
                        i += 1;
                    }
                }
            }
            out.push((Tok::Str(text), start));
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            while at(i).is_some_and(|d| d.is_alphanumeric() || d == '_') {
                i += 1;
            }
            let word: String = chars.iter().skip(start).take(i - start).collect();
            out.push((Tok::Word(word), start));
            continue;
        }
        let two: String = chars.iter().skip(i).take(2).collect();
        let sym: &'static str = match two.as_str() {
            "==" => "==",
            "!=" => "!=",
            "<=" => "<=",
            ">=" => ">=",
            "&&" => "&&",
            "||" => "||",
            _ => match c {
                '=' => "=",
                '<' => "<",
                '>' => ">",
                '!' => "!",
                '+' => "+",
                '-' => "-",
                '*' => "*",
                '/' => "/",
                '≥' => ">=",
                '≤' => "<=",
                '≠' => "!=",
                '(' | '（' => "(",
                ')' | '）' => ")",
                '，' => ",",
                '[' => "[",
                ']' => "]",
                ',' => ",",
                other => return err(start, format!("unexpected character {other:?}")),
            },
        };
        // One source character, unless a two-character ASCII operator matched.
        i += if two == sym { 2 } else { 1 };
        out.push((Tok::Sym(sym), start));
    }
    out.push((Tok::End, chars.len()));
    Ok(out)
}
