//! Waivers: a jurisdiction's documented exceptions (root field `waivers`). The waivers of a
//! failing norm are weighed together: each is *valid* when it names the norm, `approved_by`
//! names a contact and `expires` is today or later; the valid ones excuse the failure when
//! every failing item is covered by one of them (a waiver without `scope` covers every item,
//! one with a `scope` the item with that id). Then those that cover a failing item are active
//! and the norm is `waived` (or `unknown`, when only scoped waivers apply and items lack
//! evidence: see `Evaluator::evaluate_norm`); every waiver that does not apply is still shown
//! with the reason, naming the failing items that the valid waivers leave uncovered.

use serde_json::Value as Json;

use super::explain::Evidence;
use super::interp::Ctx;
use super::value::Value;
use crate::check::Type;
use crate::date::Date;

/// Name of the root field holding waivers.
pub const WAIVERS_FIELD: &str = "waivers";

/// A waiver of the document that names the norm, and whether it applies.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct WaiverUse {
    /// Index in the document's `waivers`.
    pub index: usize,
    /// Whether it applies, and if not why.
    pub state: WaiverState,
    /// Its justification.
    pub reason: Option<String>,
    /// Its approver's contact id.
    pub approved_by: Option<String>,
    /// Its last day, as written.
    pub expires: Option<String>,
    /// The id of the item (such as a system) it is limited to.
    pub scope: Option<String>,
}

/// Whether a waiver applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WaiverState {
    /// It excuses the failure (alone, or with the other active waivers of the norm).
    Active,
    /// Its expiry date is before today.
    Expired,
    /// It has no valid expiry date.
    NoExpiry,
    /// `approved_by` is missing or names no contact.
    NotApproved,
    /// It is limited to an item that does not fail, or the valid waivers of the norm leave a
    /// failing item uncovered (see [`WaiverUse::state_text`]).
    OutOfScope,
}

impl WaiverState {
    /// Words for reports.
    pub fn describe(self) -> &'static str {
        match self {
            WaiverState::Active => "active",
            WaiverState::Expired => "expired: it no longer excuses the failure",
            WaiverState::NoExpiry => "has no valid expiry date, so it does not apply",
            WaiverState::NotApproved => "is not approved by a known contact, so it does not apply",
            WaiverState::OutOfScope => {
                "its item does not fail, or failing items are left uncovered, so it does not apply"
            }
        }
    }
}

/// Whether `waiver` names norm `norm_id`.
fn names(waiver: &Json, norm_id: &str) -> bool {
    waiver.get("norm").and_then(Json::as_str) == Some(norm_id)
}

impl<'a> Ctx<'a> {
    /// The waivers of the document that name norm `norm_id`, in document order, each with
    /// whether it applies to a failure with `evidence` (see the module documentation).
    pub(super) fn waivers_for(&self, norm_id: &str, evidence: &[Evidence]) -> Vec<WaiverUse> {
        let Some(waivers) = self.doc.waivers().and_then(Json::as_array) else {
            return Vec::new();
        };
        let mut found: Vec<WaiverUse> = (waivers.iter().enumerate())
            .filter_map(|(index, waiver)| {
                let object = waiver.as_object()?;
                names(waiver, norm_id).then(|| self.waiver_use(index, object))
            })
            .collect();
        settle_scopes(&mut found, evidence);
        found
    }

    /// Whether a waiver of the document names norm `norm_id` (valid or not).
    pub(super) fn names_waiver_for(&self, norm_id: &str) -> bool {
        let Some(waivers) = self.doc.waivers().and_then(Json::as_array) else {
            return false;
        };
        waivers.iter().any(|waiver| names(waiver, norm_id))
    }

    /// The waiver `waivers[index]`, `Active` when it is valid (its scope not yet weighed).
    fn waiver_use(&self, index: usize, object: &'a serde_json::Map<String, Json>) -> WaiverUse {
        let text = |key: &str| object.get(key).and_then(Json::as_str).map(str::to_string);
        WaiverUse {
            index,
            state: self.validity(object),
            reason: text("reason"),
            approved_by: text("approved_by"),
            expires: text("expires"),
            scope: text("scope"),
        }
    }

    /// `Active` when `waiver` is approved by a known contact and not expired, else why not.
    fn validity(&self, waiver: &'a serde_json::Map<String, Json>) -> WaiverState {
        let approver = waiver
            .get("approved_by")
            .and_then(Json::as_str)
            .map(|id| Value::Str(id.into()));
        let approved = match (approver, self.approver_list()) {
            (Some(id), Some(root_field)) => {
                matches!(self.deref(&id, root_field).0, Value::Object(_))
            }
            _ => false,
        };
        if !approved {
            return WaiverState::NotApproved;
        }
        let expires = waiver
            .get("expires")
            .and_then(Json::as_str)
            .and_then(Date::parse);
        match expires {
            None => WaiverState::NoExpiry,
            Some(expires) if expires < self.today => WaiverState::Expired,
            Some(_) => WaiverState::Active,
        }
    }

    /// The root list that `waivers[].approved_by` refers to.
    fn approver_list(&self) -> Option<usize> {
        let schema = &self.program.schema;
        let root = schema.root_object();
        let Type::List(element) = &root.fields.get(root.field_index(WAIVERS_FIELD)?)?.ty else {
            return root.field_index("contacts");
        };
        let Type::Object(waiver) = **element else {
            return None;
        };
        let object = schema.objects.get(waiver)?;
        match object.fields.get(object.field_index("approved_by")?)?.ty {
            Type::Ref(root_field) => Some(root_field),
            _ => None,
        }
    }
}

/// Weighs the scopes of the valid waivers (`Active` so far) of a failure with `evidence`: a
/// scoped one stays active when the valid waivers together cover every failing item and it
/// covers one of them; otherwise it is out of scope.
fn settle_scopes(waivers: &mut [WaiverUse], evidence: &[Evidence]) {
    let all_covered = uncovered(waivers, evidence).next().is_none();
    for waiver in waivers.iter_mut() {
        let Some(scope) = &waiver.scope else {
            continue;
        };
        let fails = evidence.iter().any(|e| concerns(e, scope));
        if waiver.state == WaiverState::Active && !(all_covered && fails) {
            waiver.state = WaiverState::OutOfScope;
        }
    }
}

/// The evidence of a failure that no valid waiver of `waivers` covers.
fn uncovered<'e>(
    waivers: &'e [WaiverUse],
    evidence: &'e [Evidence],
) -> impl Iterator<Item = &'e Evidence> {
    (evidence.iter()).filter(|e| !waivers.iter().any(|waiver| waiver.covers(e)))
}

impl WaiverUse {
    /// Words for reports on whether the waiver applies to a failure with `evidence`, beside
    /// the other waivers of the norm (`waivers`, this one among them); a scoped waiver that
    /// does not apply says whether its item fails and names the failing items left uncovered.
    pub fn state_text(&self, evidence: &[Evidence], waivers: &[WaiverUse]) -> String {
        match (self.state, &self.scope) {
            (WaiverState::OutOfScope, Some(scope)) => out_of_scope(scope, evidence, waivers),
            (state, _) => state.describe().to_string(),
        }
    }

    /// True when the waiver is valid (approved, not expired: active or out of scope) and
    /// its scope, if any, is what `evidence` is about.
    fn covers(&self, evidence: &Evidence) -> bool {
        matches!(self.state, WaiverState::Active | WaiverState::OutOfScope)
            && (self.scope.as_deref()).is_none_or(|scope| concerns(evidence, scope))
    }
}

/// What keeps a waiver limited to `scope` from applying: its item does not fail, or the valid
/// `waivers` leave failing items uncovered (named by their paths and ids).
fn out_of_scope(scope: &str, evidence: &[Evidence], waivers: &[WaiverUse]) -> String {
    let left: Vec<&Evidence> = uncovered(waivers, evidence).collect();
    let fails = evidence.iter().any(|e| concerns(e, scope));
    match (fails, left.is_empty()) {
        (false, true) => {
            format!("is limited to {scope}, which does not fail, so it does not apply")
        }
        (false, false) => format!(
            "is limited to {scope}, which does not fail, and {}, so it does not apply",
            left_out(&left)
        ),
        (true, _) => format!(
            "is limited to {scope}, but {}, so it does not apply",
            left_out(&left)
        ),
    }
}

/// The failing items that no valid waiver covers, in words.
fn left_out(left: &[&Evidence]) -> String {
    let named: Vec<String> = (left.iter())
        .filter_map(|e| e.item.as_ref().map(ToString::to_string))
        .collect();
    match named.as_slice() {
        [] => "part of the failure is about no single item".to_string(),
        [one] => format!("{one} fails and no valid waiver covers it"),
        many => format!(
            "{} failing items are not covered by a valid waiver ({})",
            many.len(),
            many.join(", ")
        ),
    }
}

/// True when a piece of evidence is about the item with id `scope`.
fn concerns(evidence: &Evidence, scope: &str) -> bool {
    let is_scope = |id: &Option<String>| id.as_deref() == Some(scope);
    evidence
        .item
        .as_ref()
        .is_some_and(|item| is_scope(&item.id))
        || evidence
            .findings
            .iter()
            .any(|f| f.within.iter().any(|item| is_scope(&item.id)))
}
