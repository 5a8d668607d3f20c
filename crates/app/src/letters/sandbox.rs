//! What a letter template may contain: placeholders, `{% if %}` choices and a few filters that
//! keep text the size it is. Nothing that repeats or grows text (loops, `set`, macros, string
//! repetition, `replace`, calls) is accepted, so a letter's size is bounded by its template
//! and its values before it is ever rendered; a budgeted writer bounds it again while it is.

use super::TemplateError;
use minijinja::machinery::ast::{BinOpKind, CallArg, CompareOpKind, Expr, Stmt, UnaryOpKind};
use minijinja::machinery::{parse, Span, WhitespaceConfig};
use minijinja::syntax::SyntaxConfig;

/// Filters that change case or spacing, or choose a value (none makes text longer than its
/// input), with how many arguments each takes: with these known, no filter in any branch can
/// fail when a letter is made.
const FILTERS: [(&str, std::ops::RangeInclusive<usize>); 7] = [
    ("upper", 0..=0),
    ("lower", 0..=0),
    ("title", 0..=0),
    ("capitalize", 0..=0),
    ("trim", 0..=1),
    ("default", 0..=2),
    ("d", 0..=2),
];

/// Tests a condition may ask of a value; none takes an argument.
const TESTS: [&str; 6] = ["defined", "undefined", "none", "true", "false", "string"];

/// What the check found in an accepted template.
#[derive(Debug, Default)]
pub(super) struct Outline {
    /// Whether `{{ signposting }}` stands outside every `{% if %}`, so every letter has it.
    pub signposting_always: bool,
}

fn refused(span: Span, what: &str) -> TemplateError {
    TemplateError(format!(
        "line {}: {what} is not allowed in a letter template: use {{{{ placeholders }}}} and {{% if %}} … {{% endif %}}",
        span.start_line
    ))
}

/// Parses `body` and checks every statement and expression against what a letter may use.
pub(super) fn outline(body: &str) -> Result<Outline, TemplateError> {
    let tree = parse(body, "letter", SyntaxConfig, WhitespaceConfig::default())
        .map_err(|e| TemplateError(super::described(&e)))?;
    let mut found = Outline::default();
    statement(&tree, 0, &mut found)?;
    Ok(found)
}

fn statement(stmt: &Stmt<'_>, depth: usize, found: &mut Outline) -> Result<(), TemplateError> {
    match stmt {
        Stmt::Template(t) => t
            .children
            .iter()
            .try_for_each(|s| statement(s, depth, found)),
        Stmt::EmitRaw(_) => Ok(()),
        Stmt::EmitExpr(e) => {
            if depth == 0 && matches!(&e.expr, Expr::Var(v) if v.id == "signposting") {
                found.signposting_always = true;
            }
            part(&e.expr)
        }
        Stmt::IfCond(c) => {
            part(&c.expr)?;
            c.true_body
                .iter()
                .chain(&c.false_body)
                .try_for_each(|s| statement(s, depth + 1, found))
        }
        Stmt::ForLoop(s) => Err(refused(s.span(), "a loop ({% for %})")),
        Stmt::WithBlock(s) => Err(refused(s.span(), "{% with %}")),
        Stmt::Set(s) => Err(refused(s.span(), "{% set %}")),
        Stmt::SetBlock(s) => Err(refused(s.span(), "{% set %}")),
        Stmt::AutoEscape(s) => Err(refused(s.span(), "{% autoescape %}")),
        Stmt::FilterBlock(s) => Err(refused(s.span(), "{% filter %}")),
        Stmt::Macro(s) => Err(refused(s.span(), "a macro")),
        Stmt::CallBlock(s) => Err(refused(s.span(), "{% call %}")),
        Stmt::Do(s) => Err(refused(s.span(), "{% do %}")),
        Stmt::Block(s) => Err(refused(s.span(), "{% block %}")),
        Stmt::Import(s) => Err(refused(s.span(), "{% import %}")),
        Stmt::FromImport(s) => Err(refused(s.span(), "{% from %}")),
        Stmt::Extends(s) => Err(refused(s.span(), "{% extends %}")),
        Stmt::Include(s) => Err(refused(s.span(), "{% include %}")),
    }
}

fn arguments(args: &[CallArg<'_>]) -> Result<(), TemplateError> {
    args.iter().try_for_each(|arg| match arg {
        CallArg::Pos(e) => part(e),
        CallArg::Kwarg(_, e) | CallArg::PosSplat(e) | CallArg::KwargSplat(e) => {
            Err(refused(e.span(), "a named or spread argument"))
        }
    })
}

fn part(expr: &Expr<'_>) -> Result<(), TemplateError> {
    match expr {
        Expr::Var(_) | Expr::Const(_) => Ok(()),
        Expr::UnaryOp(u) => match u.op {
            UnaryOpKind::Not => part(&u.expr),
            UnaryOpKind::Neg => Err(refused(u.span(), "arithmetic")),
        },
        Expr::BinOp(b) => match b.op {
            // Concatenation adds two bounded values once: without loops or `set` the sum
            // stays bounded by the template.
            BinOpKind::Eq
            | BinOpKind::Ne
            | BinOpKind::Lt
            | BinOpKind::Lte
            | BinOpKind::Gt
            | BinOpKind::Gte
            | BinOpKind::ScAnd
            | BinOpKind::ScOr
            | BinOpKind::Concat => {
                part(&b.left)?;
                part(&b.right)
            }
            _ => Err(refused(b.span(), "arithmetic")),
        },
        Expr::Compare(c) => {
            part(&c.expr)?;
            c.ops.iter().try_for_each(|op| match op.op {
                // `in` fails on a right side that is not a sequence.
                CompareOpKind::In | CompareOpKind::NotIn => Err(refused(c.span(), "'in'")),
                _ => part(&op.expr),
            })
        }
        Expr::IfExpr(i) => {
            part(&i.test_expr)?;
            part(&i.true_expr)?;
            i.false_expr.as_ref().map_or(Ok(()), part)
        }
        Expr::Filter(f) => {
            let Some((_, arity)) = FILTERS.iter().find(|(name, _)| *name == f.name) else {
                return Err(refused(f.span(), &format!("the filter '{}'", f.name)));
            };
            if !arity.contains(&f.args.len()) {
                return Err(TemplateError(format!(
                    "line {}: the filter '{}' takes {} to {} values",
                    f.span().start_line,
                    f.name,
                    arity.start(),
                    arity.end()
                )));
            }
            f.expr.as_ref().map_or(Ok(()), part)?;
            arguments(&f.args)
        }
        Expr::Test(t) => {
            if !TESTS.contains(&t.name) {
                return Err(refused(t.span(), &format!("the test '{}'", t.name)));
            }
            if !t.args.is_empty() {
                return Err(refused(
                    t.span(),
                    &format!("a value for the test '{}'", t.name),
                ));
            }
            part(&t.expr)
        }
        Expr::Slice(s) => Err(refused(s.span(), "a slice")),
        Expr::GetAttr(s) => Err(refused(s.span(), "an attribute")),
        Expr::GetItem(s) => Err(refused(s.span(), "an index")),
        Expr::Call(s) => Err(refused(s.span(), "a function call")),
        Expr::List(s) => Err(refused(s.span(), "a list")),
        Expr::Map(s) => Err(refused(s.span(), "a map")),
    }
}

/// A writer that refuses to hold more than `left` bytes: a letter stops, with an error, at
/// its budget instead of growing without end.
pub(super) struct Budgeted {
    pub bytes: Vec<u8>,
    pub left: usize,
}

impl std::io::Write for Budgeted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.left = self.left.checked_sub(buf.len()).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::FileTooLarge, "the letter is too long")
        })?;
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
