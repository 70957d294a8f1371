//! Numbers known only between bounds ([`Value::Between`]). A count over items some of whose
//! filters are unknown is at least the number of items known to pass and at most that plus
//! the unknown ones. A comparison of such a number is true when it holds for every value
//! between the bounds, false when it holds for none, else unknown; arithmetic carries the
//! bounds on; `min` and `max` too; anything else treats the number as unknown. Nothing here
//! allocates, and the interpreter comes here only when a value has bounds.

use super::interp::{Eval, Fault, decimal};
use super::value::{Truth, Value};
use crate::check::Builtin;
use crate::syntax::Span;
use crate::syntax::ast::BinaryOp;

/// The number between `low` and `high` inclusive (`low <= high`): a known number when the
/// bounds are equal.
pub(super) fn between<'a>(low: f64, high: f64) -> Value<'a> {
    if low == high {
        Value::Number(low)
    } else {
        Value::Between(low, high)
    }
}

/// True when `a` or `b` is a number known only between bounds.
#[inline]
pub(super) fn either(a: &Value<'_>, b: &Value<'_>) -> bool {
    matches!(a, Value::Between(..)) || matches!(b, Value::Between(..))
}

/// The bounds of a number, equal when it is known; `None` for a value that is not a number.
fn bounds(value: &Value<'_>) -> Option<(f64, f64)> {
    match value {
        Value::Number(n) => Some((*n, *n)),
        Value::Between(low, high) => Some((*low, *high)),
        _ => None,
    }
}

/// Equality of two numbers, one of them known only between bounds: false when the bounds
/// are apart, `None` (undecided) when they overlap.
pub(super) fn equal(a: &Value<'_>, b: &Value<'_>) -> Option<bool> {
    let ((low_a, high_a), (low_b, high_b)) = (bounds(a)?, bounds(b)?);
    if high_a < low_b || high_b < low_a {
        return Some(false);
    }
    let same = low_a == high_a && low_b == high_b && low_a == low_b;
    same.then_some(true)
}

/// `a op b` for `<`, `<=`, `>` or `>=`, one operand known only between bounds.
pub(super) fn order(op: BinaryOp, a: &Value<'_>, b: &Value<'_>) -> Truth {
    use BinaryOp::*;
    let (Some((low_a, high_a)), Some((low_b, high_b))) = (bounds(a), bounds(b)) else {
        return Truth::Unknown;
    };
    // Whether it holds for every pair of values, and whether it holds for none.
    let (always, never) = match op {
        Lt => (high_a < low_b, low_a >= high_b),
        Le => (high_a <= low_b, low_a > high_b),
        Gt => (low_a > high_b, high_a <= low_b),
        Ge => (low_a >= high_b, high_a < low_b),
        _ => (false, false),
    };
    match (always, never) {
        (true, _) => Truth::True,
        (_, true) => Truth::False,
        _ => Truth::Unknown,
    }
}

/// `a op b` (`+`, `-`, `*`, `/`) on numbers, one known only between bounds: each operation is
/// monotonic in each operand (a divisor keeps one sign), so the result's bounds are among the
/// four results of the operands' bounds, rounded like any result. Unknown when an operand is
/// not a number (a duration, say) or when a divisor may be zero and may not.
pub(super) fn arithmetic<'a>(op: BinaryOp, a: &Value<'a>, b: &Value<'a>, span: Span) -> Eval<'a> {
    let (Some((low_a, high_a)), Some((low_b, high_b))) = (bounds(a), bounds(b)) else {
        return Ok(Value::Missing);
    };
    let apply = |x: f64, y: f64| match op {
        BinaryOp::Add => Ok(x + y),
        BinaryOp::Sub => Ok(x - y),
        BinaryOp::Mul => Ok(x * y),
        BinaryOp::Div => Ok(x / y),
        _ => Err(Fault::Internal(span)),
    };
    if op == BinaryOp::Div && low_b <= 0.0 && high_b >= 0.0 {
        return Ok(Value::Missing);
    }
    let corners = [
        apply(low_a, low_b)?,
        apply(low_a, high_b)?,
        apply(high_a, low_b)?,
        apply(high_a, high_b)?,
    ];
    if corners.iter().any(|corner| corner.is_nan()) {
        return Ok(Value::Missing);
    }
    let low = corners.iter().copied().fold(f64::INFINITY, f64::min);
    let high = corners.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Ok(between(decimal(low), decimal(high)))
}

/// A built-in applied to present arguments, one a number known only between bounds: `min`
/// and `max` take the bounds' minimum or maximum; any other is unknown.
pub(super) fn builtin<'a>(builtin: Builtin, a: &Value<'a>, b: &Value<'a>) -> Value<'a> {
    let extreme = match builtin {
        Builtin::Min => f64::min,
        Builtin::Max => f64::max,
        _ => return Value::Missing,
    };
    match (bounds(a), bounds(b)) {
        (Some((low_a, high_a)), Some((low_b, high_b))) => {
            between(extreme(low_a, low_b), extreme(high_a, high_b))
        }
        _ => Value::Missing,
    }
}
