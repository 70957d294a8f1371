//! Waivers: a jurisdiction's documented exceptions (root field `waivers`). A failing norm with
//! an active waiver (same norm, `approved_by` names a contact, `expires` is today or later, and
//! a `scope`, if given, covers every failing item) is reported `waived` (or `unknown`, when a
//! scoped waiver leaves items without evidence: see `Evaluator::evaluate_norm`); a waiver
//! that does not apply is still shown with the reason.

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
    /// It excuses the failure.
    Active,
    /// Its expiry date is before today.
    Expired,
    /// It has no valid expiry date.
    NoExpiry,
    /// `approved_by` is missing or names no contact.
    NotApproved,
    /// Its scope does not cover every failing item (see [`WaiverUse::state_text`]).
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
            WaiverState::OutOfScope => "does not cover every failing item, so it does not apply",
        }
    }
}

impl<'a> Ctx<'a> {
    /// The waiver that decides a failure of norm `norm_id` with `evidence`: the first active
    /// one, or else the first that names the norm.
    pub(super) fn waiver_for(&self, norm_id: &str, evidence: &[Evidence]) -> Option<WaiverUse> {
        let waivers = self.doc.waivers()?.as_array()?;
        let mut first = None;
        for (index, waiver) in waivers.iter().enumerate() {
            let Some(object) = waiver.as_object() else {
                continue;
            };
            if object.get("norm").and_then(Json::as_str) != Some(norm_id) {
                continue;
            }
            let text = |key: &str| object.get(key).and_then(Json::as_str).map(str::to_string);
            let found = WaiverUse {
                index,
                state: self.waiver_state(object, evidence),
                reason: text("reason"),
                approved_by: text("approved_by"),
                expires: text("expires"),
                scope: text("scope"),
            };
            if found.state == WaiverState::Active {
                return Some(found);
            }
            first.get_or_insert(found);
        }
        first
    }

    fn waiver_state(
        &self,
        waiver: &'a serde_json::Map<String, Json>,
        evidence: &[Evidence],
    ) -> WaiverState {
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
            None => return WaiverState::NoExpiry,
            Some(expires) if expires < self.today => return WaiverState::Expired,
            Some(_) => {}
        }
        if let Some(scope) = waiver.get("scope").and_then(Json::as_str) {
            if !evidence.iter().all(|e| concerns(e, scope)) {
                return WaiverState::OutOfScope;
            }
        }
        WaiverState::Active
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

impl WaiverUse {
    /// Words for reports on whether the waiver applies to a failure with `evidence`; a scoped
    /// waiver that does not apply names the failing items it leaves out.
    pub fn state_text(&self, evidence: &[Evidence]) -> String {
        match (self.state, &self.scope) {
            (WaiverState::OutOfScope, Some(scope)) => out_of_scope(scope, evidence),
            (state, _) => state.describe().to_string(),
        }
    }
}

/// What keeps a waiver limited to `scope` from applying: the failing items it does not cover
/// (their paths and ids), or, when the failure is not about items, that.
fn out_of_scope(scope: &str, evidence: &[Evidence]) -> String {
    let uncovered: Vec<String> = evidence
        .iter()
        .filter(|e| !concerns(e, scope))
        .filter_map(|e| e.item.as_ref().map(ToString::to_string))
        .collect();
    match uncovered.as_slice() {
        [] => format!(
            "is limited to {scope}, but the failure is not about that item alone, so it does not apply"
        ),
        [one] => format!("is limited to {scope}, but {one} fails too, so it does not apply"),
        many => format!(
            "is limited to {scope}, but {} failing items are not covered ({}), so it does not apply",
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
