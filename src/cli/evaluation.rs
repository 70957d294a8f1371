//! Arguments shared by the commands that evaluate documents (`check`, `compare`): the profile,
//! parameter settings and evaluation date, and their translation into [`eval::Options`].

use crate::check::{Const, ParamId, Program};
use crate::date::Date;
use crate::diagnostics::suggestion;
use crate::eval::{self, Options};

/// `--profile`, `--set` and `--today`.
#[derive(Debug, Default, clap::Args)]
pub struct EvalArgs {
    /// Evaluate the norms of this profile, with its severities and parameter values.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Set a parameter, e.g. `--set min_meetings_per_year=6` (repeatable; wins over the profile).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub settings: Vec<String>,
    /// Evaluate as of this date instead of each document's `jurisdiction.evaluated_on`.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

impl EvalArgs {
    /// The evaluation options; prints every problem (unknown profile, bad setting or date,
    /// with suggestions) to standard error and returns `None` when there is one.
    pub fn options(&self, program: &Program) -> Option<Options> {
        let profile = self.profile(program);
        let settings = self.settings(program);
        let today = self.today();
        let profile = profile?;
        Some(Options {
            profile,
            settings: settings?,
            today: today?,
            ..Options::default()
        })
    }

    fn profile(&self, program: &Program) -> Option<Option<usize>> {
        let Some(name) = &self.profile else {
            return Some(None);
        };
        let index = program.profile_index(name);
        if index.is_none() {
            let help = match program.profiles.is_empty() {
                true => "the policy set declares no profile".to_string(),
                false => suggestion(name, || program.profiles.iter().map(|p| p.id.as_str())),
            };
            say!("error: unknown profile `{name}`\n  help: {help}");
            return None;
        }
        Some(index)
    }

    fn settings(&self, program: &Program) -> Option<Vec<(ParamId, Const)>> {
        let mut settings = Vec::new();
        let mut ok = true;
        for text in &self.settings {
            match eval::parse_setting(program, text) {
                Ok(setting) => settings.push(setting),
                Err(error) => {
                    let help = match &error {
                        eval::SettingError::UnknownParam {
                            suggestion: Some(h),
                            ..
                        }
                        | eval::SettingError::Value { help: Some(h), .. } => format!(" ({h})"),
                        _ => String::new(),
                    };
                    say!("error: --set {text}: {error}{help}");
                    ok = false;
                }
            }
        }
        ok.then_some(settings)
    }

    fn today(&self) -> Option<Option<Date>> {
        let Some(text) = &self.today else {
            return Some(None);
        };
        match Date::parse(text) {
            Some(date) => Some(Some(date)),
            None => {
                let shaped = text.len() == 10
                    && (text.bytes().enumerate()).all(|(i, b)| {
                        if i == 4 || i == 7 {
                            b == b'-'
                        } else {
                            b.is_ascii_digit()
                        }
                    });
                if shaped {
                    say!("error: --today {text}: there is no such day in the calendar");
                } else {
                    say!("error: --today {text}: not a date (write YYYY-MM-DD)");
                }
                None
            }
        }
    }
}
