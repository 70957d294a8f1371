# P1 governance: 7 norms, as in policies/pillars/01-governance.rampart.
package rampart

import rego.v1

ci_designated if {
	input.legal.critical_infrastructure.designated == true
	nonblank(input.legal.critical_infrastructure.instrument)
}

fails contains "gov-ci-designation" if {
	not ci_designated
	iac_forum_fails
}

fails contains "gov-cyber-mandate" if not institution_exists(input.legal.cyber_mandate.responsible_institution)

fails contains "gov-cyber-mandate" if not nonblank(input.legal.cyber_mandate.instrument)

fails contains "gov-security-policy" if not input.governance.security_policy.approved == true

fails contains "gov-security-policy" if not days_between(input.governance.security_policy.last_review, today) <= 730

fails contains "gov-security-policy" if days_between(input.governance.security_policy.last_review, today) < 0

fails contains "gov-ciso" if not contact_exists(input.governance.security_lead)

fails contains "gov-ciso" if {
	c := contact(input.governance.security_lead)
	not institution(c.institution).role == "emb"
}

na contains "gov-dedicated-budget" if input.governance.budget.ict_total == 0

fails contains "gov-dedicated-budget" if not input.governance.budget.cyber_share_percent >= 5

fails contains "gov-dedicated-budget" if not input.governance.budget.ict_total > 0

owner_reachable(s) if nonblank(contact(s.owner).phone)

fails contains "gov-system-ownership" if {
	some s in input.systems
	is_critical(s)
	not owner_reachable(s)
}

fails contains "gov-criminal-liability" if not input.legal.cyber_offences.defined == true

fails contains "gov-criminal-liability" if not nonblank(input.legal.cyber_offences.instrument)
