//! A read-only view of a parsed expression, for code that translates the language rather than
//! evaluating it (the SQL export writes each condition as a SQL predicate with the same meaning).

use super::{field_type, Expr, Kind, Node, Op, Type};

impl Expr {
    /// The root of the syntax tree (a true/false node).
    pub fn root(&self) -> &Node {
        &self.root
    }
}

impl Node {
    /// What this node is; its operands are nodes too.
    pub fn kind(&self) -> &Kind {
        &self.kind
    }

    /// The node's type. The tree was type-checked when it was parsed, so this only reads it off:
    /// literals and fields have their own type, arithmetic is a number, the rest true/false.
    pub fn ty(&self) -> Type {
        match &self.kind {
            Kind::Num(_) | Kind::Neg(_) => Type::Num,
            Kind::Str(_) => Type::Str,
            Kind::Field(f) => field_type(*f),
            Kind::Bin(Op::Add | Op::Sub | Op::Mul | Op::Div, _, _) => Type::Num,
            Kind::Bool(_) | Kind::Not(_) | Kind::Bin(..) | Kind::In(..) => Type::Bool,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_read_off_the_checked_tree() {
        let e = Expr::parse("region in ['a'] or -monetary / 2 > frequency").unwrap();
        let Kind::Bin(Op::Or, a, b) = e.root().kind() else {
            panic!("{e:?}")
        };
        assert_eq!((e.root().ty(), a.ty()), (Type::Bool, Type::Bool));
        let Kind::In(x, items) = a.kind() else {
            panic!("{a:?}")
        };
        assert_eq!((x.ty(), items.len()), (Type::Str, 1));
        let Kind::Bin(Op::Gt, l, r) = b.kind() else {
            panic!("{b:?}")
        };
        assert_eq!((l.ty(), r.ty()), (Type::Num, Type::Num));
        assert!(matches!(l.kind(), Kind::Bin(Op::Div, ..)));
    }
}
