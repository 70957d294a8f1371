//! Well-formed policy text from an `Arbitrary` byte stream: every item kind, every norm clause,
//! expressions of every precedence level, templates, inline JSON, comments. The text need not
//! check (names may be undeclared); it is meant to parse, so the formatter must keep its tree.

use arbitrary::{Result, Unstructured};

use crate::{pick, small};

const IDS: &[&str] = &[
    "gov-ciso", "a", "res-x", "p1", "inc-plan", "e-voting", "x_y",
];
const NAMES: &[&str] = &[
    "staff", "systems", "election", "s", "d", "x", "total", "all_", "type",
];
const FIELDS: &[&str] = &[
    "date", "id", "owner", "trained", "stage", "type", "severity", "all",
];
const TYPES: &[&str] = &[
    "int", "number", "ratio", "string", "bool", "date", "duration", "Staff",
];
const STRINGS: &[&str] = &[
    "",
    "text",
    "caf\\u00e9",
    "\\\"q\\\"",
    "tab\\t",
    "\\{x\\}",
    "é ü ✓",
    "a\\\\b",
];
const COMMENTS: &[&str] = &["// c", "//", "// ünï {}", "/// doc"];

/// Generates one policy file.
pub fn policy(u: &mut Unstructured<'_>) -> Result<String> {
    let mut out = String::new();
    let n_items = small(u, 8)?;
    for _ in 0..n_items {
        if u.ratio(1, 5)? {
            out.push_str(pick(u, COMMENTS)?);
            out.push('\n');
        }
        item(u, &mut out)?;
        out.push_str(pick(u, &["\n", "\n\n", "\r\n", "\n\t\n"])?);
    }
    Ok(out)
}

fn string(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(format!("\"{}\"", pick(u, STRINGS)?))
}

fn ws(u: &mut Unstructured<'_>) -> Result<&'static str> {
    pick(u, &[" ", " ", "  ", "\n  ", "\t"]).copied()
}

fn item(u: &mut Unstructured<'_>, out: &mut String) -> Result<()> {
    match u.int_in_range(0..=10)? {
        0 => {
            out.push_str(&format!(
                "use {}",
                string(u)?.replace("\"\"", "\"a.rampart\"")
            ));
        }
        1 => {
            out.push_str(&format!("source {} {{", pick(u, IDS)?));
            for _ in 0..small(u, 4)? {
                let key = pick(u, &["title", "publisher", "url", "note"])?;
                out.push_str(&format!("{}{key} {}", ws(u)?, string(u)?));
            }
            if u.arbitrary()? {
                out.push_str(&format!(" year {}", u.int_in_range(0..=3000u32)?));
            }
            out.push_str(" }");
        }
        2 => out.push_str(&format!("pillar {} {}", pick(u, IDS)?, string(u)?)),
        3 => out.push_str(&format!("stage {} {}", pick(u, IDS)?, string(u)?)),
        4 => {
            out.push_str(&format!("enum {} {{", pick(u, &["Kind", "Level", "A"])?));
            for i in 0..small(u, 4)? {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&format!(" {}", string(u)?));
            }
            out.push_str(" }");
        }
        5 | 6 => {
            if u.arbitrary()? {
                out.push_str("schema {");
            } else {
                out.push_str(&format!("type {} {{", pick(u, &["Staff", "System", "T"])?));
            }
            for _ in 0..small(u, 5)? {
                out.push_str(&format!(
                    "{}{}{}: {}",
                    ws(u)?,
                    pick(u, FIELDS)?,
                    pick(u, &["", "?"])?,
                    field_type(u, 0)?
                ));
            }
            out.push_str(" }");
        }
        7 => out.push_str(&format!(
            "param {}: {} = {}",
            pick(u, NAMES)?,
            pick(u, TYPES)?,
            constant(u)?
        )),
        8 => {
            out.push_str(&format!("def {}", pick(u, NAMES)?));
            if u.arbitrary()? {
                out.push('(');
                for i in 0..small(u, 3)? {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&format!("{}: {}", pick(u, NAMES)?, pick(u, TYPES)?));
                }
                out.push(')');
            }
            out.push_str(&format!(" = {}", expr(u, 0)?));
        }
        9 => norm(u, out)?,
        _ => test(u, out)?,
    }
    Ok(())
}

fn field_type(u: &mut Unstructured<'_>, depth: usize) -> Result<String> {
    Ok(match u.int_in_range(0..=3)? {
        0 if depth < 3 => format!("[{}]", field_type(u, depth + 1)?),
        1 => format!("ref {}", pick(u, NAMES)?),
        _ => pick(u, TYPES)?.to_string(),
    })
}

fn constant(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(match u.int_in_range(0..=5)? {
        0 => string(u)?,
        1 => format!("-{}", literal(u)?),
        2 => {
            let items: Vec<String> = (0..small(u, 3)?)
                .map(|_| literal(u))
                .collect::<Result<_>>()?;
            format!("[{}]", items.join(", "))
        }
        _ => literal(u)?,
    })
}

fn literal(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(match u.int_in_range(0..=7)? {
        0 => u.int_in_range(0..=u64::MAX)?.to_string(),
        1 => format!(
            "{}.{}",
            u.int_in_range(0..=999u32)?,
            u.int_in_range(0..=99u32)?
        ),
        2 => "1_000_000".to_string(),
        3 => pick(u, &["2027-05-16", "2024-02-29", "0001-01-01", "9999-12-31"])?.to_string(),
        4 => format!("{}{}", u.int_in_range(0..=999u32)?, pick(u, &["d", "w"])?),
        5 => pick(u, &["true", "false", "today"])?.to_string(),
        6 => string(u)?,
        _ => u.int_in_range(0..=100u32)?.to_string(),
    })
}

fn path(u: &mut Unstructured<'_>) -> Result<String> {
    let mut out = pick(u, NAMES)?.to_string();
    for _ in 0..small(u, 3)? {
        if u.ratio(1, 4)? {
            out.push_str(&format!("[{}]", u.int_in_range(0..=9u32)?));
        } else {
            out.push('.');
            out.push_str(pick(u, FIELDS)?);
        }
    }
    Ok(out)
}

/// An expression; `depth` bounds the recursion. Operands of `and`/`or`/`not` that could be
/// quantifiers are parenthesised, as the grammar requires.
fn expr(u: &mut Unstructured<'_>, depth: usize) -> Result<String> {
    if depth > 4 || u.is_empty() {
        return atom(u, depth);
    }
    Ok(match u.int_in_range(0..=9)? {
        0 => {
            let quantifier = pick(u, &["all", "any", "none"])?;
            let mut out = format!(
                "{quantifier} {} in {}",
                pick(u, &["s", "d", "x"])?,
                path(u)?
            );
            if u.arbitrary()? {
                out.push_str(&format!(" where {}", operand(u, depth + 1)?));
            }
            out.push_str(&format!(": {}", expr(u, depth + 1)?));
            out
        }
        1 => format!("{} implies {}", operand(u, depth + 1)?, expr(u, depth + 1)?),
        2 => {
            let op = pick(u, &["and", "or"])?;
            format!("{} {op} {}", operand(u, depth + 1)?, operand(u, depth + 1)?)
        }
        3 => format!("not {}", operand(u, depth + 1)?),
        4 => {
            let op = pick(u, &["==", "!=", "<", "<=", ">", ">=", "in", "not in"])?;
            format!("{} {op} {}", arith(u, depth + 1)?, arith(u, depth + 1)?)
        }
        _ => arith(u, depth)?,
    })
}

/// An operand of `and`, `or`, `not`: anything but a bare quantifier or `implies`.
fn operand(u: &mut Unstructured<'_>, depth: usize) -> Result<String> {
    let inner = expr(u, depth)?;
    let bare = ["all ", "any ", "none "]
        .iter()
        .any(|q| inner.starts_with(q))
        || inner.contains(" implies ")
        || inner.contains(" and ")
        || inner.contains(" or ")
        || inner.contains(" in ")
        || inner.contains('=')
        || inner.contains('<')
        || inner.contains('>');
    Ok(if bare { format!("({inner})") } else { inner })
}

fn arith(u: &mut Unstructured<'_>, depth: usize) -> Result<String> {
    if depth > 5 || u.is_empty() {
        return atom(u, depth);
    }
    Ok(match u.int_in_range(0..=4)? {
        0 => {
            let op = pick(u, &["+", "-", "*", "/"])?;
            format!("{} {op} {}", atom(u, depth + 1)?, atom(u, depth + 1)?)
        }
        1 => format!("-{}", atom(u, depth + 1)?),
        _ => atom(u, depth)?,
    })
}

fn atom(u: &mut Unstructured<'_>, depth: usize) -> Result<String> {
    if depth > 6 || u.is_empty() {
        return Ok(pick(u, &["1", "x", "true", "\"s\""])?.to_string());
    }
    Ok(match u.int_in_range(0..=9)? {
        0 => literal(u)?,
        1 => format!("({})", expr(u, depth + 1)?),
        2 => {
            let items: Vec<String> = (0..small(u, 3)?)
                .map(|_| arith(u, depth + 1))
                .collect::<Result<_>>()?;
            format!("[{}]", items.join(", "))
        }
        3 => {
            let function = pick(
                u,
                &[
                    "exists", "count", "len", "days", "lower", "min", "passes", "f",
                ],
            )?;
            let args: Vec<String> = (0..small(u, 2)?)
                .map(|_| expr(u, depth + 1))
                .collect::<Result<_>>()?;
            format!("{function}({})", args.join(", "))
        }
        4 => {
            let var = pick(u, &["s", "d"])?;
            let function = pick(u, &["count", "filter", "latest"])?;
            let mut out = format!("{function}({var} in {}", path(u)?);
            if *function != "count" || u.arbitrary()? {
                out.push_str(&format!(" where {}", expr(u, depth + 1)?));
            }
            if *function == "latest" {
                out.push_str(&format!(" by {}", path(u)?));
            }
            out.push(')');
            out
        }
        _ => path(u)?,
    })
}

fn template(u: &mut Unstructured<'_>) -> Result<String> {
    let mut out = String::from("\"");
    for _ in 0..small(u, 3)? {
        if u.arbitrary()? {
            out.push_str(pick(u, STRINGS)?);
        } else {
            out.push_str(&format!("{{{}}}", path(u)?));
        }
    }
    out.push('"');
    Ok(out)
}

fn norm(u: &mut Unstructured<'_>, out: &mut String) -> Result<()> {
    out.push_str(&format!("norm {} {{", pick(u, IDS)?));
    for _ in 0..small(u, 9)? {
        out.push_str(pick(u, &["\n  ", " ", "\n\n  "])?);
        match u.int_in_range(0..=10)? {
            0 => out.push_str(&format!("title {}", string(u)?)),
            1 => out.push_str(&format!("pillar {}", pick(u, IDS)?)),
            2 => {
                if u.arbitrary()? {
                    out.push_str("stages all");
                } else {
                    let ids: Vec<&str> = (0..small(u, 3)?)
                        .map(|_| pick(u, IDS).copied())
                        .collect::<Result<_>>()?;
                    out.push_str(&format!("stages [{}]", ids.join(", ")));
                }
            }
            3 => out.push_str(&format!(
                "severity {}",
                pick(u, &["low", "medium", "high", "critical"])?
            )),
            4 => {
                out.push_str(&format!("cites {}", pick(u, IDS)?));
                if u.arbitrary()? {
                    out.push_str(&format!(" {}", string(u)?));
                }
            }
            5 => {
                let ids: Vec<&str> = (0..small(u, 3)?)
                    .map(|_| pick(u, IDS).copied())
                    .collect::<Result<_>>()?;
                out.push_str(&format!("tags [{}]", ids.join(", ")));
            }
            6 => out.push_str(&format!("when {}", expr(u, 0)?)),
            7 => out.push_str(&format!("fix {}", string(u)?)),
            _ => {
                out.push_str(&format!("require {}", expr(u, 0)?));
                if u.arbitrary()? {
                    out.push_str(&format!("\n    else {}", template(u)?));
                }
            }
        }
        if u.ratio(1, 8)? {
            out.push_str(" // trailing");
        }
    }
    out.push_str("\n}");
    Ok(())
}

fn json(u: &mut Unstructured<'_>, depth: usize) -> Result<String> {
    Ok(match u.int_in_range(0..=6)? {
        0 if depth < 4 => {
            let members: Vec<String> = (0..small(u, 3)?)
                .map(|_| Ok(format!("{}: {}", string(u)?, json(u, depth + 1)?)))
                .collect::<Result<_>>()?;
            format!("{{ {} }}", members.join(", "))
        }
        1 if depth < 4 => {
            let items: Vec<String> = (0..small(u, 3)?)
                .map(|_| json(u, depth + 1))
                .collect::<Result<_>>()?;
            format!("[{}]", items.join(", "))
        }
        2 => pick(u, &["null", "true", "false"])?.to_string(),
        3 => u.int_in_range(-1000..=1000i64)?.to_string(),
        4 => pick(u, &["1.5", "-0.0", "1e3", "12345678901234567890"])?.to_string(),
        _ => string(u)?,
    })
}

fn test(u: &mut Unstructured<'_>, out: &mut String) -> Result<()> {
    out.push_str(&format!("test {} {{", string(u)?));
    for _ in 0..small(u, 5)? {
        out.push_str("\n  ");
        match u.int_in_range(0..=4)? {
            0 => out.push_str(&format!(
                "given \"{}\"",
                pick(u, &["fixtures/base.json", "../x.json", "a.json"])?
            )),
            1 => {
                let members: Vec<String> = (0..small(u, 3)?)
                    .map(|_| Ok(format!("{}: {}", string(u)?, json(u, 1)?)))
                    .collect::<Result<_>>()?;
                out.push_str(&format!("given {{ {} }}", members.join(", ")));
            }
            2 => out.push_str(&format!("profile {}", pick(u, IDS)?)),
            3 => out.push_str(&format!("set {} = {}", pick(u, NAMES)?, constant(u)?)),
            _ => {
                let status = pick(
                    u,
                    &[
                        "pass",
                        "fail",
                        "unknown",
                        "not-applicable",
                        "waived",
                        "error",
                    ],
                )?;
                let ids: Vec<&str> = (0..=small(u, 2)?)
                    .map(|_| pick(u, IDS).copied())
                    .collect::<Result<_>>()?;
                out.push_str(&format!("expect {status} {}", ids.join(", ")));
            }
        }
    }
    out.push_str("\n}");
    Ok(())
}
