//! The parser of the expression language: tokens → syntax tree, by recursive descent with a
//! nesting limit.

use super::lex::{describe, Tok};
use super::{err, ExprError, Kind, Node, Op, FIELDS};

/// Parses a whole condition: one `or` expression, then the end.
pub(super) fn parse(toks: Vec<(Tok, usize)>) -> Result<Node, ExprError> {
    let mut p = Parser { toks, i: 0 };
    if matches!(p.peek().0, Tok::End) {
        return err(0, "the expression is empty");
    }
    let root = p.or(0)?;
    let (tok, pos) = p.peek();
    if !matches!(tok, Tok::End) {
        return err(
            pos,
            format!(
                "expected \"and\", \"or\" or the end but found {}",
                describe(tok)
            ),
        );
    }
    Ok(root)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    i: usize,
}

/// Nesting limit, so a hostile recipe cannot overflow the stack.
const MAX_DEPTH: usize = 64;

impl Parser {
    fn peek(&self) -> (&Tok, usize) {
        self.toks
            .get(self.i)
            .map_or((&Tok::End, 0), |(t, p)| (t, *p))
    }

    fn bump(&mut self) {
        self.i += 1;
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek().0, Tok::Word(x) if x.eq_ignore_ascii_case(w))
    }

    fn is_sym(&self, s: &str) -> bool {
        matches!(self.peek().0, Tok::Sym(x) if *x == s)
    }

    fn expect_sym(&mut self, s: &str) -> Result<(), ExprError> {
        if self.is_sym(s) {
            self.bump();
            Ok(())
        } else {
            let (t, p) = self.peek();
            err(p, format!("expected {s:?} but found {}", describe(t)))
        }
    }

    fn or(&mut self, depth: usize) -> Result<Node, ExprError> {
        if depth > MAX_DEPTH {
            return err(self.peek().1, "expression nested too deeply");
        }
        let mut left = self.and(depth)?;
        while self.is_word("or") || self.is_sym("||") {
            let pos = self.peek().1;
            self.bump();
            let right = self.and(depth)?;
            left = Node {
                kind: Kind::Bin(Op::Or, Box::new(left), Box::new(right)),
                pos,
            };
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<Node, ExprError> {
        let mut left = self.not(depth)?;
        while self.is_word("and") || self.is_sym("&&") {
            let pos = self.peek().1;
            self.bump();
            let right = self.not(depth)?;
            left = Node {
                kind: Kind::Bin(Op::And, Box::new(left), Box::new(right)),
                pos,
            };
        }
        Ok(left)
    }

    fn not(&mut self, depth: usize) -> Result<Node, ExprError> {
        if self.is_word("not") || self.is_sym("!") {
            let pos = self.peek().1;
            self.bump();
            if depth > MAX_DEPTH {
                return err(pos, "expression nested too deeply");
            }
            let inner = self.not(depth + 1)?;
            return Ok(Node {
                kind: Kind::Not(Box::new(inner)),
                pos,
            });
        }
        self.comparison(depth)
    }

    fn comparison(&mut self, depth: usize) -> Result<Node, ExprError> {
        let left = self.sum(depth)?;
        let (tok, pos) = self.peek();
        let op = match tok {
            Tok::Sym("==" | "=") => Some(Op::Eq),
            Tok::Sym("!=") => Some(Op::Ne),
            Tok::Sym("<") => Some(Op::Lt),
            Tok::Sym("<=") => Some(Op::Le),
            Tok::Sym(">") => Some(Op::Gt),
            Tok::Sym(">=") => Some(Op::Ge),
            _ => None,
        };
        if let Some(op) = op {
            self.bump();
            let right = self.sum(depth)?;
            if let (Tok::Sym(s @ ("==" | "=" | "!=" | "<" | "<=" | ">" | ">=")), p) = self.peek() {
                return err(
                    p,
                    format!("comparisons cannot be chained: use \"and\" before {s:?}"),
                );
            }
            return Ok(Node {
                kind: Kind::Bin(op, Box::new(left), Box::new(right)),
                pos,
            });
        }
        if self.is_word("in") {
            self.bump();
            self.expect_sym("[")?;
            let mut items = Vec::new();
            if !self.is_sym("]") {
                loop {
                    items.push(self.sum(depth)?);
                    if self.is_sym(",") {
                        self.bump();
                        continue;
                    }
                    break;
                }
            }
            self.expect_sym("]")?;
            return Ok(Node {
                kind: Kind::In(Box::new(left), items),
                pos,
            });
        }
        Ok(left)
    }

    fn sum(&mut self, depth: usize) -> Result<Node, ExprError> {
        let mut left = self.product(depth)?;
        loop {
            let op = match self.peek().0 {
                Tok::Sym("+") => Op::Add,
                Tok::Sym("-") => Op::Sub,
                _ => break,
            };
            let pos = self.peek().1;
            self.bump();
            let right = self.product(depth)?;
            left = Node {
                kind: Kind::Bin(op, Box::new(left), Box::new(right)),
                pos,
            };
        }
        Ok(left)
    }

    fn product(&mut self, depth: usize) -> Result<Node, ExprError> {
        let mut left = self.unary(depth)?;
        loop {
            let op = match self.peek().0 {
                Tok::Sym("*") => Op::Mul,
                Tok::Sym("/") => Op::Div,
                _ => break,
            };
            let pos = self.peek().1;
            self.bump();
            let right = self.unary(depth)?;
            left = Node {
                kind: Kind::Bin(op, Box::new(left), Box::new(right)),
                pos,
            };
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> Result<Node, ExprError> {
        if self.is_sym("-") {
            let pos = self.peek().1;
            self.bump();
            if depth > MAX_DEPTH {
                return err(pos, "expression nested too deeply");
            }
            let inner = self.unary(depth + 1)?;
            return Ok(Node {
                kind: Kind::Neg(Box::new(inner)),
                pos,
            });
        }
        self.primary(depth)
    }

    fn primary(&mut self, depth: usize) -> Result<Node, ExprError> {
        let (tok, pos) = self.peek();
        let kind = match tok.clone() {
            Tok::Num(v) => Kind::Num(v),
            Tok::Str(s) => Kind::Str(s),
            Tok::Word(w) if w.eq_ignore_ascii_case("true") => Kind::Bool(true),
            Tok::Word(w) if w.eq_ignore_ascii_case("false") => Kind::Bool(false),
            Tok::Word(w) => {
                let lower = w.to_lowercase();
                if ["and", "or", "not", "in"].contains(&lower.as_str()) {
                    return err(pos, format!("expected a value before {w:?}"));
                }
                let Some((_, f, _)) = FIELDS.iter().find(|(n, _, _)| *n == lower) else {
                    let known: Vec<&str> = FIELDS.iter().map(|(n, _, _)| *n).collect();
                    return err(
                        pos,
                        format!("unknown field {w:?} (fields: {})", known.join(", ")),
                    );
                };
                Kind::Field(*f)
            }
            Tok::Sym("(") => {
                self.bump();
                let inner = self.or(depth + 1)?;
                self.expect_sym(")")?;
                return Ok(inner);
            }
            other => {
                return err(
                    pos,
                    format!("expected a value but found {}", describe(&other)),
                )
            }
        };
        self.bump();
        Ok(Node { kind, pos })
    }
}
