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
    // Sorted best first, so the jurisdictions better than one are exactly those before the run
    // of its equals: one pass gives every rank.
    let score = |j: &Jurisdiction| j.overall.compliance.filter(|_| j.evaluated);
    let mut start = 0;
    while start < jurisdictions.len() {
        let Some(current) = score(&jurisdictions[start]) else {
            break;
        };
        let end = start
            + jurisdictions[start..]
                .iter()
                .take_while(|j| score(j) == Some(current))
                .count();
        let tied = end - start > 1;
        for jurisdiction in &mut jurisdictions[start..end] {
            jurisdiction.rank = Some(Rank {
                position: start + 1,
                tied,
            });
        }
        start = end;
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
