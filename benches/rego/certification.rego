# P4 certification: 5 norms, as in policies/pillars/04-certification.rampart.
package rampart

import rego.v1

na contains "cert-required-by-law" if not any_vote_handling

fails contains "cert-required-by-law" if not input.legal.certification.required == true

fails contains "cert-required-by-law" if not institution_exists(input.legal.certification.body)

fails contains "cert-required-by-law" if not nonblank(input.legal.certification.standard)

na contains "cert-critical-systems" if not any_vote_handling

fails contains "cert-critical-systems" if {
	some s in input.systems
	is_vote_handling(s)
	not s.certification.status == "certified"
}

fails contains "cert-critical-systems" if {
	some s in input.systems
	is_vote_handling(s)
	not days_before_election(s.certification.date) >= 90
}

fails contains "cert-critical-systems" if {
	some s in input.systems
	is_vote_handling(s)
	not s.certification.expires > input.election.date
}

fails contains "cert-critical-systems" if {
	some s in input.systems
	is_vote_handling(s)
	days_between(s.certification.date, today) < 0
}

logic_accuracy_tested(s) if {
	some t in s.testing
	t.type == "logic-accuracy"
	in_window_before_election(t.date, 60, 1)
}

fails contains "cert-pre-election-testing" if {
	some s in input.systems
	is_vote_handling(s)
	not logic_accuracy_tested(s)
}

pentested(s) if {
	some t in s.testing
	t.type == "penetration"
	days_before_election(t.date) <= 365
	t.date <= today
	t.open_critical_findings == 0
}

fails contains "cert-pentest" if {
	some s in input.systems
	s.internet_facing == true
	not pentested(s)
}

na contains "cert-source-escrow" if not any_vote_equipment

fails contains "cert-source-escrow" if {
	some s in input.systems
	is_vote_equipment(s)
	not s.source_code_access in {"certifier", "experts", "public"}
}
