//! Parameter values for a run: the defaults of the program, overridden by a profile's `set`
//! clauses and then by the caller's settings (`--set NAME=VALUE`, parsed against the
//! parameter's type).

use std::sync::Arc;

use crate::check::{Const, LARGEST_WHOLE, ParamId, Program, Type, WrittenWhole, written_whole};
use crate::date::Date;
use crate::diagnostics::did_you_mean;

/// Why a `NAME=VALUE` setting cannot be used.
#[derive(Clone, Debug, PartialEq, thiserror::Error, miette::Diagnostic)]
pub enum SettingError {
    /// No `=` in the setting.
    #[error("`{0}` is not of the form NAME=VALUE")]
    #[diagnostic(
        code(rampart::eval::setting_form),
        help("write e.g. `--set min_meetings_per_year=6`")
    )]
    Form(String),
    /// No parameter has this name.
    #[error("unknown parameter `{name}`")]
    #[diagnostic(code(rampart::eval::unknown_param))]
    UnknownParam {
        /// The name given.
        name: String,
        /// The closest parameter name, if any.
        #[help]
        suggestion: Option<String>,
    },
    /// The value does not fit the parameter's type.
    #[error("`{value}` is not a valid {expected} for parameter `{name}`")]
    #[diagnostic(code(rampart::eval::setting_value))]
    Value {
        /// The parameter.
        name: String,
        /// The value given.
        value: String,
        /// The type expected, as written in policies.
        expected: String,
        /// An example of a valid value.
        #[help]
        help: Option<String>,
    },
}

/// The value of every parameter: defaults, then `profile`'s settings, then `settings`.
pub fn resolve(
    program: &Program,
    profile: Option<usize>,
    settings: &[(ParamId, Const)],
) -> Vec<Const> {
    let mut values: Vec<Const> = program.params.iter().map(|p| p.default.clone()).collect();
    let profile_settings = profile
        .and_then(|index| program.profiles.get(index))
        .map_or(&[][..], |profile| profile.settings.as_slice());
    for (param, value) in profile_settings.iter().chain(settings) {
        if let Some(slot) = values.get_mut(*param) {
            *slot = value.clone();
        }
    }
    values
}

/// Parses a caller's `NAME=VALUE` against the parameter's type.
pub fn parse_setting(program: &Program, text: &str) -> Result<(ParamId, Const), SettingError> {
    let (name, raw) = text
        .split_once('=')
        .ok_or_else(|| SettingError::Form(text.to_string()))?;
    let (name, raw) = (name.trim(), raw.trim());
    let Some(param) = program.param_index(name) else {
        let suggestion = did_you_mean(name, program.params.iter().map(|p| p.name.as_str()))
            .map(|close| format!("did you mean `{close}`?"));
        return Err(SettingError::UnknownParam {
            name: name.to_string(),
            suggestion,
        });
    };
    let ty = &program.params[param].ty;
    parse_const(program, raw, ty)
        .map(|value| (param, value))
        .ok_or_else(|| SettingError::Value {
            name: name.to_string(),
            value: raw.to_string(),
            expected: ty.display(&program.schema).to_string(),
            help: enum_hint(program, raw, ty)
                .or_else(|| too_large_hint(raw, ty))
                .or_else(|| example(ty).map(|e| format!("for example `{name}={e}`"))),
        })
}

/// For an enum parameter (or a list of one), the member closest to the first value that is not
/// a member ("did you mean …?"), else the members allowed.
fn enum_hint(program: &Program, raw: &str, ty: &Type) -> Option<String> {
    let (members, written) = match ty {
        Type::Enum(id) => (program.schema.enums.get(*id)?, vec![unquote(raw)]),
        Type::List(element) => match element.as_ref() {
            Type::Enum(id) => (program.schema.enums.get(*id)?, list_items(raw).collect()),
            _ => return None,
        },
        _ => return None,
    };
    let wrong = written.into_iter().find(|value| !members.has(value))?;
    let names = members.members.iter().map(|(member, _)| member.as_str());
    Some(match did_you_mean(wrong, names.clone()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("allowed values: {}", names.collect::<Vec<_>>().join(", ")),
    })
}

/// `raw` without the double quotes around it, if it has them.
fn unquote(raw: &str) -> &str {
    raw.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw)
}

/// The items of a list written `a,b` or `[a, b]`, each trimmed and unquoted.
fn list_items(raw: &str) -> impl Iterator<Item = &str> {
    let inner = raw.strip_prefix('[').and_then(|r| r.strip_suffix(']'));
    let inner = inner.unwrap_or(raw).trim();
    inner
        .split(',')
        .filter(move |_| !inner.is_empty())
        .map(|item| item.trim().trim_matches('"'))
}

fn example(ty: &Type) -> Option<&'static str> {
    Some(match ty {
        Type::Bool => "true",
        Type::Int | Type::Count => "4",
        Type::Number => "2.5",
        Type::Ratio => "0.9",
        Type::Date => "2027-01-31",
        Type::Duration => "90d",
        Type::List(_) => "a,b,c",
        _ => return None,
    })
}

/// A constant of type `ty` written as on the command line, or as in a policy: a text may be
/// in double quotes, and digits may be grouped with `_` (`1_000`).
/// The whole number `raw` writes, when it lies within [`LARGEST_WHOLE`] either way, judged as
/// written, before it would be rounded (`9007199254740993.0` is refused, not read as 2^53).
fn exact_whole_number(raw: &str) -> Option<f64> {
    (written_whole(raw) == Some(WrittenWhole::Exact))
        .then(|| raw.parse::<f64>().ok())
        .flatten()
}

/// The help for a whole number too large to be exact, when `raw` is one and `ty` wants one.
fn too_large_hint(raw: &str, ty: &Type) -> Option<String> {
    let whole = matches!(ty, Type::Int | Type::Count);
    let large = written_whole(&without_digit_groups(raw)) == Some(WrittenWhole::TooLarge);
    (whole && large).then(|| {
        format!("whole numbers must lie between -{LARGEST_WHOLE} and {LARGEST_WHOLE}, where every one is exact")
    })
}

fn parse_const(program: &Program, raw: &str, ty: &Type) -> Option<Const> {
    let unquoted = unquote(raw);
    let grouped;
    let raw = match ty {
        Type::String | Type::Ref(_) | Type::Enum(_) => unquoted,
        Type::Int | Type::Count | Type::Number | Type::Ratio | Type::Duration | Type::Any => {
            grouped = without_digit_groups(raw);
            grouped.as_str()
        }
        _ => raw,
    };
    match ty {
        Type::Bool => match raw {
            "true" => Some(Const::Bool(true)),
            "false" => Some(Const::Bool(false)),
            _ => None,
        },
        Type::Int | Type::Count => {
            let n = exact_whole_number(raw)?;
            (*ty == Type::Int || n >= 0.0).then_some(Const::Number(n))
        }
        Type::Number | Type::Any => raw
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(Const::Number),
        Type::Ratio => raw
            .parse::<f64>()
            .ok()
            .filter(|n| (0.0..=1.0).contains(n))
            .map(Const::Number),
        Type::String | Type::Ref(_) => Some(Const::Str(Arc::from(raw))),
        Type::Enum(id) => program
            .schema
            .enums
            .get(*id)
            .filter(|e| e.has(raw))
            .map(|_| Const::Str(Arc::from(raw))),
        Type::Date => Date::parse(raw).map(Const::Date),
        Type::Duration => parse_duration(raw).map(Const::Duration),
        Type::List(element) => list_items(raw)
            .map(|item| parse_const(program, item, element))
            .collect::<Option<Vec<_>>>()
            .map(Const::List),
        Type::Object(_) => None,
    }
}

/// `raw` without the `_` that group digits (`1_000` → `1000`); other text is kept as is.
fn without_digit_groups(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let digit = |i: Option<usize>| i.and_then(|i| bytes.get(i)).is_some_and(u8::is_ascii_digit);
    (raw.char_indices())
        .filter(|&(i, c)| !(c == '_' && digit(i.checked_sub(1)) && digit(Some(i + 1))))
        .map(|(_, c)| c)
        .collect()
}

/// `90d`, `2w` or a plain number of days.
fn parse_duration(raw: &str) -> Option<i64> {
    if let Some(days) = raw.strip_suffix('d') {
        return days.parse().ok();
    }
    if let Some(weeks) = raw.strip_suffix('w') {
        return weeks.parse::<i64>().ok()?.checked_mul(7);
    }
    raw.parse().ok()
}
