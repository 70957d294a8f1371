# Helpers shared by the 40 benchmark norms (the Rego counterpart of policies/defs.rampart).
#
# Rego has no three-valued logic: a missing field makes an expression undefined. The norms
# are written the way a Rego author writes deny rules, "fail unless the requirement is shown
# to hold", so where Rampart says `unknown` these rules mostly say `fail` (and a missing field
# in a `where` filter drops the item, where Rampart would say `unknown`).
package rampart

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

status(id) := "n/a" if {
	id in na
} else := "fail" if {
	id in fails
} else := "pass"

# One status per norm: "pass", "fail" or "n/a".
results := {id: status(id) | some id in norm_ids}
