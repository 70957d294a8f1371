//! Groups: jurisdictions grouped by a field of their metadata (`region`, `memberships`; a list
//! puts a jurisdiction in one group per element). Per group: statistics of the scores, the
//! norms failed most often, and for each member the peers in the group that pass what it fails.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Jurisdiction, NormInfo, Ratio};
use crate::check::Status;

/// How many of the most failed norms a group lists.
pub const MOST_FAILED: usize = 5;

/// How many peers are named for each failed norm.
pub const MAX_PEERS: usize = 5;

/// Name of the group of jurisdictions that have no value at the grouping path.
pub const UNSET_GROUP: &str = "(none)";

/// Every group over one metadata path.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Grouping {
    /// The dotted path grouped by.
    pub path: String,
    /// Groups in order of their value.
    pub groups: Vec<Group>,
}

/// One group of jurisdictions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    /// The value of the path shared by its members.
    pub value: String,
    /// Its members' keys, in rank order.
    pub members: Vec<String>,
    /// Statistics of the members' overall compliance.
    pub compliance: Option<Stats>,
    /// Statistics of the members' compliance per pillar, aligned with the pillars.
    pub pillars: Vec<Option<Stats>>,
    /// The norms failed by most members: (norm id, members failing it), most first.
    pub most_failed: Vec<(String, usize)>,
    /// For each member and norm it fails, the members that pass it: member by member in the
    /// order of `members`, norms in report order.
    pub peers: Vec<PeerPass>,
}

/// Mean and distribution of scores, as fractions between 0 and 1 rounded to four decimals,
/// and as the percentages shown, each rounded once from its exact value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Stats {
    /// Number of scores.
    pub count: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Lowest.
    pub min: f64,
    /// Median (the mean of the middle two for an even count).
    pub median: f64,
    /// Highest.
    pub max: f64,
    /// The percentages shown, in tenths of a point: mean, min, median and max. They are
    /// not rounded from the four-decimal fractions, which would round twice.
    #[serde(skip)]
    pub shown: [u64; 4],
}

impl Stats {
    /// The statistics of `scores`, or `None` when there are none.
    pub fn of(scores: impl Iterator<Item = Ratio>) -> Option<Stats> {
        let mut sorted: Vec<Ratio> = scores.collect();
        sorted.sort();
        let count = sorted.len();
        let (first, last) = (*sorted.first()?, *sorted.last()?);
        let (median, median_tenths) = if count % 2 == 1 {
            let middle = sorted[count / 2];
            (middle.value(), middle.tenths_of_percent())
        } else {
            let (low, high) = (sorted[count / 2 - 1], sorted[count / 2]);
            (
                (low.value() + high.value()) / 2.0,
                low.midpoint_tenths(high),
            )
        };
        let mean = sorted.iter().map(|r| r.value()).sum::<f64>() / count as f64;
        // Half up, like the ratios; the mean is the one figure that is not an exact ratio.
        let mean_tenths = (mean * 1000.0 + 0.5).floor() as u64;
        Some(Stats {
            count,
            mean: round4(mean),
            min: round4(first.value()),
            median: round4(median),
            max: round4(last.value()),
            shown: [
                mean_tenths,
                first.tenths_of_percent(),
                median_tenths,
                last.tenths_of_percent(),
            ],
        })
    }

    /// The mean, min, median and max of `stats` as shown, with one decimal (`96.2`); dashes
    /// when there are none.
    pub fn percent_texts(stats: Option<&Stats>) -> [String; 4] {
        match stats {
            Some(stats) => stats.shown.map(super::score::tenths_text),
            None => std::array::from_fn(|_| "–".to_string()),
        }
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// A norm one member fails and other members of its group pass.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeerPass {
    /// The member that fails.
    pub jurisdiction: String,
    /// The norm.
    pub norm: String,
    /// The best-ranked members that pass it, at most [`MAX_PEERS`].
    pub passed_by: Vec<String>,
    /// How many more members pass it.
    pub more: usize,
}

impl Group {
    /// How many members have no score (no norm was decided for them), so that the
    /// statistics leave them out.
    pub fn unscored(&self) -> usize {
        let scored = self.compliance.as_ref().map_or(0, |stats| stats.count);
        self.members.len().saturating_sub(scored)
    }
}

impl Grouping {
    /// A line saying which groups' statistics leave members out, when any do.
    pub fn unscored_note(&self) -> Option<String> {
        let counts: Vec<String> = (self.groups.iter())
            .filter(|group| group.unscored() > 0)
            .map(|group| {
                format!(
                    "{} {} of {}",
                    group.value,
                    group.unscored(),
                    group.members.len()
                )
            })
            .collect();
        (!counts.is_empty()).then(|| {
            format!(
                "Mean, min, median and max leave out members without a score (no norm decided): {}.",
                counts.join(", ")
            )
        })
    }
}

/// Groups `jurisdictions` (in rank order) by the metadata at `path`; a document that was not
/// evaluated is in no group.
pub fn group(path: &str, jurisdictions: &[Jurisdiction], norms: &[NormInfo]) -> Grouping {
    let mut members: BTreeMap<String, Vec<&Jurisdiction>> = BTreeMap::new();
    for jurisdiction in jurisdictions.iter().filter(|j| j.evaluated) {
        let mut values = jurisdiction
            .metadata
            .as_ref()
            .map(|m| m.values_at(path))
            .unwrap_or_default();
        values.sort();
        values.dedup();
        if values.is_empty() {
            values.push(UNSET_GROUP.to_string());
        }
        for value in values {
            members.entry(value).or_default().push(jurisdiction);
        }
    }
    let groups = members
        .into_iter()
        .map(|(value, members)| one_group(value, &members, norms))
        .collect();
    Grouping {
        path: path.to_string(),
        groups,
    }
}

fn one_group(value: String, members: &[&Jurisdiction], norms: &[NormInfo]) -> Group {
    let n_pillars = members.first().map_or(0, |j| j.pillars.len());
    Group {
        value,
        members: members.iter().map(|j| j.key.clone()).collect(),
        compliance: Stats::of(
            members
                .iter()
                .filter(|j| j.evaluated)
                .filter_map(|j| j.overall.compliance),
        ),
        pillars: (0..n_pillars)
            .map(|p| {
                Stats::of(
                    members
                        .iter()
                        .filter(|j| j.evaluated)
                        .filter_map(|j| j.pillars.get(p).and_then(|s| s.compliance)),
                )
            })
            .collect(),
        most_failed: most_failed(members, norms),
        peers: peers(members, norms),
    }
}

fn has(jurisdiction: &Jurisdiction, norm_idx: usize, status: Status) -> bool {
    jurisdiction.statuses.get(norm_idx).copied().flatten() == Some(status)
}

fn most_failed(members: &[&Jurisdiction], norms: &[NormInfo]) -> Vec<(String, usize)> {
    let mut counts: Vec<(usize, usize)> = (0..norms.len())
        .map(|n| {
            (
                n,
                members.iter().filter(|j| has(j, n, Status::Fail)).count(),
            )
        })
        .filter(|(_, count)| *count > 0)
        .collect();
    // Most failed first; equal counts keep the norms' order (the sort is stable).
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts
        .into_iter()
        .take(MOST_FAILED)
        .map(|(n, count)| (norms[n].id.clone(), count))
        .collect()
}

fn peers(members: &[&Jurisdiction], norms: &[NormInfo]) -> Vec<PeerPass> {
    // The members passing each norm, in rank order: built once, so naming peers costs no scan
    // of the group per failure.
    let mut passing: Vec<Vec<&Jurisdiction>> = vec![Vec::new(); norms.len()];
    for member in members {
        for (norm_idx, by_norm) in passing.iter_mut().enumerate() {
            if has(member, norm_idx, Status::Pass) {
                by_norm.push(member);
            }
        }
    }
    let mut out = Vec::new();
    for member in members {
        for (norm_idx, norm) in norms.iter().enumerate() {
            if !has(member, norm_idx, Status::Fail) {
                continue;
            }
            // A failing member never passes the same norm, so it is not among the peers.
            let peers = &passing[norm_idx];
            if peers.is_empty() {
                continue;
            }
            let passed_by: Vec<String> = peers
                .iter()
                .take(MAX_PEERS)
                .map(|peer| peer.key.clone())
                .collect();
            out.push(PeerPass {
                jurisdiction: member.key.clone(),
                norm: norm.id.clone(),
                more: peers.len() - passed_by.len(),
                passed_by,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Ratio, Stats};

    fn texts(scores: &[(u64, u64)]) -> [String; 4] {
        let ratios = scores.iter().filter_map(|&(num, den)| Ratio::new(num, den));
        Stats::percent_texts(Stats::of(ratios).as_ref())
    }

    #[test]
    fn shown_statistics_are_rounded_once_from_the_exact_scores() {
        // 173/182 = 95.0549…%: its four-decimal fraction 0.9505 would show as 95.0 or 95.1.
        assert_eq!(texts(&[(173, 182)]), ["95.1", "95.1", "95.1", "95.1"]);
        // The median of 1/8 and 1/7 is 13.39…%; the mean is the same.
        assert_eq!(texts(&[(1, 8), (1, 7)]), ["13.4", "12.5", "13.4", "14.3"]);
        // 1/16 and 1/16: 6.25 % is rounded half up, as every ratio is.
        assert_eq!(texts(&[(1, 16), (1, 16)]), ["6.3", "6.3", "6.3", "6.3"]);
        assert_eq!(texts(&[]), ["–", "–", "–", "–"]);
    }
}
