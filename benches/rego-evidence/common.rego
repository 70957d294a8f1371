# The 40 benchmark norms of benches/rego, written the way a Rego author writes deny rules that
# explain themselves (the OPA/conftest idiom `deny contains msg`): every failing requirement
# adds, per failing item, an object
#
#   {"norm": id, "requirement": k, "item": item id or null, "message": text}
#
# to `violations`, where k is the 0-based index of the `require` in the Rampart norm and the
# message is that requirement's `else` message with the same values filled in (dates as
# strings, numbers, lists as [a, b], an absent value as "missing", as Rampart writes them).
# `results` is derived from `violations` and the n/a conditions exactly as benches/rego does,
# and `report` returns both in one evaluation.
#
# The conditions are those of benches/rego: "fail unless the requirement is shown to hold". So
# where Rampart finds an item's evidence missing (unknown), these rules report the item as
# failing, and its message shows the absent value as "missing". That is the one way the two
# engines' evidence differs (see the agreement check in benches/evaluate.rs): in a failing
# result Rampart lists only the items that fail on present evidence, so every disagreement is an
# item that Rego lists and Rampart does not. Some of those messages show no "missing", because
# the Rampart message does not interpolate the absent value: it is a literal ("monitored:
# none", "treatment: untreated"), the value is read inside a quantifier (cert-pentest,
# cert-pre-election-testing: no test, or a test without its date or findings) or behind a
# reference (gov-system-ownership: an owner without a phone), or the absent value only decides
# a `where` filter (sec-segmentation: an e-voting system without a channel needs isolation
# here, whether it does is unknown in Rampart). Where both engines report the same (norm,
# requirement, item), the messages are identical.
#
# A message must never make a violation undefined (sprintf with an undefined argument is
# undefined, and the norm would pass), so every value a message shows is read with
# object.get and a default.
package rampart_evidence

import rego.v1

ns_per_day := 86400000000000

day(d) := time.parse_ns("2006-01-02", d) / ns_per_day

days_between(a, b) := day(b) - day(a)

# Every generated document has jurisdiction.evaluated_on.
today := input.jurisdiction.evaluated_on

days_before_election(d) := days_between(d, input.election.date)

# In the window and not after today: what d dates has taken place.
in_window_before_election(d, start_days, end_days) if {
	n := days_before_election(d)
	n <= start_days
	n >= end_days
	d <= today
}

nonblank(s) if trim_space(s) != ""

institution(id) := i if {
	some i in input.institutions
	i.id == id
}

institution_exists(id) if {
	some i in input.institutions
	i.id == id
}

contact(id) := c if {
	some c in input.contacts
	c.id == id
}

contact_exists(id) if {
	some c in input.contacts
	c.id == id
}

is_critical(s) if s.criticality == "critical"

vote_handling_kinds := {"e-voting", "ballot-scanning", "results-transmission", "results-tabulation"}

is_vote_handling(s) if s.kind in vote_handling_kinds

vote_equipment_kinds := {"e-voting", "ballot-scanning", "results-tabulation"}

is_vote_equipment(s) if s.kind in vote_equipment_kinds

cyber_roles := {"cyber-agency", "cert"}

any_vote_handling if {
	some s in input.systems
	is_vote_handling(s)
}

any_vote_equipment if {
	some s in input.systems
	is_vote_equipment(s)
}

# The risk assessments that have taken place (dated today or earlier), and the latest of them.
done_assessments := [a | some a in input.risk.assessments; a.date <= today]

latest_assessment := [a |
	some a in done_assessments
	a.date == max([d | some x in done_assessments; d := x.date])
][0]

# --- Messages -------------------------------------------------------------------------------

violation(norm, k, item, message) := {"norm": norm, "requirement": k, "item": item, "message": message}

# The id of an item of a list (null without one), as Rampart's evidence names the item.
item_id(x) := object.get(x, "id", null)

# A value as a Rampart message shows it: "missing" when absent.
at(x, path) := object.get(x, path, "missing")

# A list as a Rampart message shows it, [a, b]; "missing" when absent.
list_at(x, path) := s if {
	xs := object.get(x, path, "missing")
	is_array(xs)
	s := sprintf("[%s]", [concat(", ", [sprintf("%v", [e]) | some e in xs])])
} else := "missing"

# The number of items of a list, "missing" when absent.
count_at(x, path) := n if {
	xs := object.get(x, path, "missing")
	is_array(xs)
	n := count(xs)
} else := "missing"

today_shown := at(input, ["jurisdiction", "evaluated_on"])

election_date := at(input, ["election", "date"])

latest_or_empty := a if {
	a := latest_assessment
} else := {}

# The parameters of the Rampart norms, at their defaults.
policy_review_max_days := 730

min_cyber_share_percent := 5

min_meetings_per_year := 4

meeting_window_start_days := 180

meeting_window_end_days := 30

assessment_window_start_days := 365

assessment_window_end_days := 60

inventory_max_age_days := 365

certification_lead_days := 90

lat_window_start_days := 60

lat_window_end_days := 1

pentest_max_age_days := 365

access_review_max_days := 183

access_review_pre_election_days := 90

max_admin_accounts_floor := 5

max_admin_ratio := 0.05

max_critical_patch_sla_days := 14

max_backup_interval_hours := 24

restore_test_max_age_days := 180

min_log_retention_days := 365

monitoring_window_days := 7

dpia_max_age_days := 730

# --- Statuses -------------------------------------------------------------------------------

# The 40 norms, in the order of the library.
norm_ids := [
	"gov-ci-designation", "gov-cyber-mandate", "gov-security-policy", "gov-ciso",
	"gov-dedicated-budget", "gov-system-ownership", "gov-criminal-liability",
	"iac-forum-exists", "iac-forum-membership", "iac-forum-cadence", "iac-roles-documented",
	"iac-info-sharing", "iac-emb-independence", "iac-publicly-explained", "iac-utility-providers",
	"risk-assessment-current", "risk-cycle-coverage", "risk-register-owners", "risk-high-treated",
	"risk-system-inventory", "risk-threat-actors",
	"cert-required-by-law", "cert-critical-systems", "cert-pre-election-testing", "cert-pentest",
	"cert-source-escrow",
	"sec-mfa-admin", "sec-mfa-users", "sec-least-privilege", "sec-privileged-count", "sec-patching",
	"sec-supported-software", "sec-backups", "sec-logging", "sec-segmentation", "sec-ddos",
	"sec-register-protection", "sec-four-eyes", "sec-malware-protection",
	"sec-authenticated-updates",
]

# A norm fails when it has a violation.
fails contains v.norm if some v in violations

status(id) := "n/a" if {
	id in na
} else := "fail" if {
	id in fails
} else := "pass"

# One status per norm: "pass", "fail" or "n/a".
results := {id: status(id) | some id in norm_ids}

# What one evaluation returns: the statuses and the violations that explain them.
report := {"results": results, "violations": violations}
