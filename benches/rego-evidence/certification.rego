# P4 certification: 5 norms, as in policies/pillars/04-certification.rampart, with messages.
package rampart_evidence

import rego.v1

na contains "cert-required-by-law" if not any_vote_handling

violations contains violation("cert-required-by-law", 0, null, msg) if {
	not input.legal.certification.required == true
	msg := sprintf(
		"the law does not require certification of election technology (required: %v), although vote-handling systems are used",
		[at(input, ["legal", "certification", "required"])],
	)
}

violations contains violation("cert-required-by-law", 1, null, msg) if {
	not institution_exists(input.legal.certification.body)
	msg := sprintf(
		"the certifying body named by law (%v) is not an entry of institutions",
		[at(input, ["legal", "certification", "body"])],
	)
}

violations contains violation("cert-required-by-law", 2, null, msg) if {
	not nonblank(input.legal.certification.standard)
	msg := "the law names no certification standard"
}

na contains "cert-critical-systems" if not any_vote_handling

violations contains violation("cert-critical-systems", 0, item_id(s), msg) if {
	some s in input.systems
	is_vote_handling(s)
	not s.certification.status == "certified"
	msg := sprintf(
		"vote-handling system %v (%v) has certification status %v; it should be certified before use",
		[at(s, ["id"]), s.kind, at(s, ["certification", "status"])],
	)
}

violations contains violation("cert-critical-systems", 1, item_id(s), msg) if {
	some s in input.systems
	is_vote_handling(s)
	not days_before_election(s.certification.date) >= certification_lead_days
	msg := sprintf(
		"vote-handling system %v was certified on %v, less than %v days before polling day (%v)",
		[at(s, ["id"]), at(s, ["certification", "date"]), certification_lead_days, election_date],
	)
}

violations contains violation("cert-critical-systems", 2, item_id(s), msg) if {
	some s in input.systems
	is_vote_handling(s)
	not s.certification.expires > input.election.date
	msg := sprintf(
		"the certification of vote-handling system %v expires on %v, not after polling day (%v)",
		[at(s, ["id"]), at(s, ["certification", "expires"]), election_date],
	)
}

violations contains violation("cert-critical-systems", 3, item_id(s), msg) if {
	some s in input.systems
	is_vote_handling(s)
	days_between(s.certification.date, today) < 0
	msg := sprintf(
		"vote-handling system %v's certification is dated %v, after today (%v); a certification not yet issued does not count, record the certification that took place",
		[at(s, ["id"]), s.certification.date, today],
	)
}

logic_accuracy_tested(s) if {
	some t in s.testing
	t.type == "logic-accuracy"
	in_window_before_election(t.date, lat_window_start_days, lat_window_end_days)
}

violations contains violation("cert-pre-election-testing", 0, item_id(s), msg) if {
	some s in input.systems
	is_vote_handling(s)
	not logic_accuracy_tested(s)
	msg := sprintf(
		"vote-handling system %v has no logic-and-accuracy test run between %v and %v days before polling day (%v) and on or before today (%v)",
		[at(s, ["id"]), lat_window_start_days, lat_window_end_days, election_date, today_shown],
	)
}

pentested(s) if {
	some t in s.testing
	t.type == "penetration"
	days_before_election(t.date) <= pentest_max_age_days
	t.date <= today
	t.open_critical_findings == 0
}

violations contains violation("cert-pentest", 0, item_id(s), msg) if {
	some s in input.systems
	s.internet_facing == true
	not pentested(s)
	msg := sprintf(
		"internet-facing system %v has no penetration test run within %v days before polling day and on or before today (%v) with all critical findings closed",
		[at(s, ["id"]), pentest_max_age_days, today_shown],
	)
}

na contains "cert-source-escrow" if not any_vote_equipment

violations contains violation("cert-source-escrow", 0, item_id(s), msg) if {
	some s in input.systems
	is_vote_equipment(s)
	not s.source_code_access in {"certifier", "experts", "public"}
	msg := sprintf(
		"the source code of %v (%v) is open to: %v; it should be available at least to the certifier",
		[at(s, ["id"]), s.kind, at(s, ["source_code_access"])],
	)
}
