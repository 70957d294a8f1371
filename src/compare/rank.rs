//! Ranks: jurisdictions ordered by overall compliance, equal scores sharing a rank (`1=`), the
//! next rank skipping the shared places (competition ranking: 1=, 1=, 3).

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

use super::Jurisdiction;

/// A place in the ranking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rank {
    /// 1 for the best; equal scores have the same position.
    pub position: usize,
    /// True when another jurisdiction has the same position.
    pub tied: bool,
}

impl fmt::Display for Rank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.position)?;
        if self.tied {
            f.write_str("=")?;
        }
        Ok(())
    }
}

impl Serialize for Rank {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Sorts `jurisdictions` best first and gives each with a compliance score its rank; those
/// without one (not evaluated, or nothing passed or failed) come last, by key, unranked.
pub fn assign(jurisdictions: &mut [Jurisdiction]) {
    jurisdictions.sort_by(order);
    let scores: Vec<_> = jurisdictions
        .iter()
        .map(|j| j.overall.compliance.filter(|_| j.evaluated))
        .collect();
    for (index, jurisdiction) in jurisdictions.iter_mut().enumerate() {
        let Some(score) = scores[index] else {
            continue;
        };
        let better = scores.iter().flatten().filter(|s| **s > score).count();
        let equal = scores.iter().flatten().filter(|s| **s == score).count();
        jurisdiction.rank = Some(Rank {
            position: better + 1,
            tied: equal > 1,
        });
    }
}

/// Best compliance first; unscored last; ties by key.
fn order(a: &Jurisdiction, b: &Jurisdiction) -> Ordering {
    let score = |j: &Jurisdiction| j.overall.compliance.filter(|_| j.evaluated);
    match (score(a), score(b)) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| a.key.cmp(&b.key))
}
