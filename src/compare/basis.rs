//! What results were evaluated under: a profile and a set of norms. Only results evaluated
//! alike can be ranked together, so `compare` refuses inputs whose bases differ, and a baseline
//! under another profile (docs/scoring.md, "Inputs evaluated alike").

use std::collections::BTreeSet;
use std::fmt;

use crate::check::Program;
use crate::eval::Evaluator;
use crate::report::Report;

/// The profile and norms a set of results was evaluated under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Basis {
    /// The profile, `None` for every norm of the policy set.
    pub profile: Option<String>,
    /// The ids of the norms reported.
    pub norms: BTreeSet<String>,
}

impl Basis {
    /// The basis of `report`: its profile and the norms its results report. `None` when no
    /// document of it was evaluated, so that it holds no result to compare.
    pub fn of(report: &Report) -> Option<Basis> {
        let results = (report.documents.iter()).filter_map(|d| d.results.as_deref());
        let norms: BTreeSet<String> = results.flatten().map(|r| r.norm.clone()).collect();
        (!norms.is_empty()).then(|| Basis {
            profile: report.profile.clone(),
            norms,
        })
    }

    /// The basis of documents evaluated by `evaluator` (prepared from `program` under the
    /// profile named `profile`): the profile and the norms it reports.
    pub fn of_evaluation(program: &Program, evaluator: &Evaluator, profile: Option<&str>) -> Basis {
        let reported = evaluator.reported().iter();
        Basis {
            profile: profile.map(str::to_string),
            norms: (reported.filter_map(|&norm| program.norms.get(norm)))
                .map(|norm| norm.id.clone())
                .collect(),
        }
    }

    /// How the norms of `other` differ from these: the ids `other` lacks, then the ids only
    /// `other` has, each in order.
    pub fn norms_apart<'b>(&'b self, other: &'b Basis) -> (Vec<&'b str>, Vec<&'b str>) {
        let ids = |a: &'b BTreeSet<String>, b: &'b BTreeSet<String>| {
            a.difference(b).map(String::as_str).collect()
        };
        (
            ids(&self.norms, &other.norms),
            ids(&other.norms, &self.norms),
        )
    }
}

/// `all norms` or ``profile `baseline` ``, as messages name what a report was evaluated under.
pub fn describe_profile(profile: Option<&str>) -> String {
    match profile {
        None => "all norms".to_string(),
        Some(profile) => format!("profile `{profile}`"),
    }
}

impl fmt::Display for Basis {
    /// `all norms (85)` or ``profile `baseline` (39 norms)``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.norms.len();
        match &self.profile {
            None => write!(f, "all norms ({count})"),
            Some(profile) => write!(f, "profile `{profile}` ({count} norms)"),
        }
    }
}

/// True when every input of `inputs` (named inputs and their bases) was evaluated alike.
pub fn alike(inputs: &[(String, Basis)]) -> bool {
    inputs.windows(2).all(|pair| pair[0].1 == pair[1].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basis(profile: Option<&str>, norms: &[&str]) -> Basis {
        Basis {
            profile: profile.map(str::to_string),
            norms: norms.iter().map(|n| n.to_string()).collect(),
        }
    }

    #[test]
    fn inputs_differ_in_profile_or_in_norms() {
        let all = ("x".to_string(), basis(None, &["a", "b"]));
        let profiled = ("y".to_string(), basis(Some("p"), &["a", "b"]));
        let fewer = ("z".to_string(), basis(None, &["a"]));
        assert!(alike(&[all.clone(), all.clone()]));
        assert!(alike(std::slice::from_ref(&all)));
        assert!(!alike(&[all.clone(), all.clone(), profiled.clone()]));
        assert!(!alike(&[all, fewer.clone()]));
        assert_eq!(profiled.1.to_string(), "profile `p` (2 norms)");
        assert_eq!(fewer.1.to_string(), "all norms (1)");
    }

    #[test]
    fn norms_apart_are_those_each_side_lacks() {
        let first = basis(None, &["a", "b", "c"]);
        let other = basis(None, &["b", "d", "e"]);
        assert_eq!(first.norms_apart(&other), (vec!["a", "c"], vec!["d", "e"]));
        assert_eq!(first.norms_apart(&first), (vec![], vec![]));
    }
}
