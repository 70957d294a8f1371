# P1 governance: 7 norms, as in policies/pillars/01-governance.rampart, with messages.
package rampart_evidence

import rego.v1

ci_designated if {
	input.legal.critical_infrastructure.designated == true
	nonblank(input.legal.critical_infrastructure.instrument)
}

violations contains violation("gov-ci-designation", 0, null, msg) if {
	not ci_designated
	iac_forum_fails
	msg := sprintf(
		"election infrastructure is not designated as critical infrastructure by a named instrument (designated: %v, instrument: \"%v\") and there is no documented interagency mechanism; where collaboration is absent, the guidance asks the state to consider designation",
		[
			at(input, ["legal", "critical_infrastructure", "designated"]),
			at(input, ["legal", "critical_infrastructure", "instrument"]),
		],
	)
}

violations contains violation("gov-cyber-mandate", 0, null, msg) if {
	not institution_exists(input.legal.cyber_mandate.responsible_institution)
	msg := sprintf(
		"the body responsible for election cybersecurity (%v) is not an entry of institutions; the law should name an existing body",
		[at(input, ["legal", "cyber_mandate", "responsible_institution"])],
	)
}

violations contains violation("gov-cyber-mandate", 1, null, msg) if {
	not nonblank(input.legal.cyber_mandate.instrument)
	msg := "no legal instrument gives the cybersecurity mandate; the guidance expects it in law or regulation"
}

violations contains violation("gov-security-policy", 0, null, msg) if {
	not input.governance.security_policy.approved == true
	msg := sprintf(
		"the information-security policy is not approved by management (approved: %v)",
		[at(input, ["governance", "security_policy", "approved"])],
	)
}

violations contains violation("gov-security-policy", 1, null, msg) if {
	not days_between(input.governance.security_policy.last_review, today) <= policy_review_max_days
	msg := sprintf(
		"the information-security policy was last reviewed on %v, more than %v days before %v",
		[at(input, ["governance", "security_policy", "last_review"]), policy_review_max_days, today_shown],
	)
}

violations contains violation("gov-security-policy", 2, null, msg) if {
	days_between(input.governance.security_policy.last_review, today) < 0
	msg := sprintf(
		"the information-security policy's last review is dated %v, after today (%v); record the last review that took place",
		[input.governance.security_policy.last_review, today],
	)
}

violations contains violation("gov-ciso", 0, null, msg) if {
	not contact_exists(input.governance.security_lead)
	msg := sprintf(
		"the security lead %v is not an entry of contacts",
		[at(input, ["governance", "security_lead"])],
	)
}

violations contains violation("gov-ciso", 1, null, msg) if {
	c := contact(input.governance.security_lead)
	not institution(c.institution).role == "emb"
	msg := sprintf(
		"the security lead %v works for %v, which is not the election body; the guidance expects a lead inside the EMB",
		[input.governance.security_lead, at(c, ["institution"])],
	)
}

na contains "gov-dedicated-budget" if input.governance.budget.ict_total == 0

violations contains violation("gov-dedicated-budget", 0, null, msg) if {
	not input.governance.budget.cyber_share_percent >= min_cyber_share_percent
	msg := sprintf(
		"%v%% of the ICT budget goes to cybersecurity; the norm expects at least %v%%",
		[at(input, ["governance", "budget", "cyber_share_percent"]), min_cyber_share_percent],
	)
}

violations contains violation("gov-dedicated-budget", 1, null, msg) if {
	not input.governance.budget.ict_total > 0
	msg := sprintf(
		"the ICT budget for the cycle is %v; it should be a positive amount",
		[at(input, ["governance", "budget", "ict_total"])],
	)
}

owner_reachable(s) if nonblank(contact(s.owner).phone)

violations contains violation("gov-system-ownership", 0, item_id(s), msg) if {
	some s in input.systems
	is_critical(s)
	not owner_reachable(s)
	msg := sprintf(
		"critical system %v has no owner with a phone number (owner: %v); every critical system needs an accountable owner who can be reached",
		[at(s, ["id"]), at(s, ["owner"])],
	)
}

violations contains violation("gov-criminal-liability", 0, null, msg) if {
	not input.legal.cyber_offences.defined == true
	msg := sprintf(
		"election-related cyber offences are not defined in law (defined: %v); the guidance expects criminal liability for cyber manipulation of elections",
		[at(input, ["legal", "cyber_offences", "defined"])],
	)
}

violations contains violation("gov-criminal-liability", 1, null, msg) if {
	not nonblank(input.legal.cyber_offences.instrument)
	msg := "no legal instrument defining election-related cyber offences is named"
}
