# P3 risk: 6 norms, as in policies/pillars/03-risk.rampart, with messages.
package rampart_evidence

import rego.v1

assessment_in_window if {
	some a in input.risk.assessments
	in_window_before_election(a.date, assessment_window_start_days, assessment_window_end_days)
}

violations contains violation("risk-assessment-current", 0, null, msg) if {
	not assessment_in_window
	msg := sprintf(
		"none of the %v risk assessments was completed between %v and %v days before polling day (%v) and on or before today (%v); latest completed: %v",
		[
			count_at(input, ["risk", "assessments"]),
			assessment_window_start_days, assessment_window_end_days, election_date, today_shown,
			at(latest_or_empty, ["date"]),
		],
	)
}

violations contains violation("risk-cycle-coverage", 0, null, msg) if {
	not count(done_assessments) >= 1
	msg := sprintf(
		"no risk assessment completed on or before today (%v) is recorded (assessments recorded: %v), so no stage of the cycle is covered",
		[today_shown, count_at(input, ["risk", "assessments"])],
	)
}

stages_covered(s) if {
	scope := {x | some x in latest_assessment.scope}
	every stage in s.stages {
		stage in scope
	}
}

violations contains violation("risk-cycle-coverage", 1, item_id(s), msg) if {
	some s in input.systems
	not stages_covered(s)
	msg := sprintf(
		"system %v is used in stages %v, but the latest risk assessment (%v) covers only %v",
		[at(s, ["id"]), list_at(s, ["stages"]), at(latest_or_empty, ["date"]), list_at(latest_or_empty, ["scope"])],
	)
}

violations contains violation("risk-register-owners", 0, null, msg) if {
	not count(input.risk.register) >= 1
	msg := "the risk register is empty; identified risks should be recorded"
}

violations contains violation("risk-register-owners", 1, item_id(r), msg) if {
	some r in input.risk.register
	not contact_exists(r.owner)
	msg := sprintf("risk %v has no owner in contacts (owner: %v)", [at(r, ["id"]), at(r, ["owner"])])
}

violations contains violation("risk-register-owners", 2, item_id(r), msg) if {
	some r in input.risk.register
	not r.treatment != "untreated"
	msg := sprintf("risk %v has no treatment decision (treatment: untreated)", [at(r, ["id"])])
}

violations contains violation("risk-register-owners", 3, item_id(r), msg) if {
	some r in input.risk.register
	not r.review_by >= today
	msg := sprintf("risk %v was due for review on %v, before %v", [at(r, ["id"]), at(r, ["review_by"]), today_shown])
}

violations contains violation("risk-high-treated", 0, item_id(r), msg) if {
	some r in input.risk.register
	r.rating in {"high", "critical"}
	not r.treatment != "untreated"
	msg := sprintf(
		"risk %v is rated %v and still untreated; high and critical risks should be treated before voting starts",
		[at(r, ["id"]), r.rating],
	)
}

violations contains violation("risk-system-inventory", 0, null, msg) if {
	not input.risk.inventory_complete == true
	msg := sprintf(
		"the ICT inventory is not complete (inventory_complete: %v); every election system should be listed, including those run by other bodies or vendors",
		[at(input, ["risk", "inventory_complete"])],
	)
}

violations contains violation("risk-system-inventory", 1, null, msg) if {
	not count(input.systems) >= 1
	msg := "no system is listed in systems; even paper-based elections depend on ICT"
}

violations contains violation("risk-system-inventory", 2, null, msg) if {
	not days_before_election(input.risk.inventory_updated) <= inventory_max_age_days
	msg := sprintf(
		"the ICT inventory was last updated on %v, more than %v days before polling day (%v)",
		[at(input, ["risk", "inventory_updated"]), inventory_max_age_days, election_date],
	)
}

violations contains violation("risk-system-inventory", 3, null, msg) if {
	days_between(input.risk.inventory_updated, today) < 0
	msg := sprintf(
		"the ICT inventory's last update is dated %v, after today (%v); record the last update that took place",
		[input.risk.inventory_updated, today],
	)
}

violations contains violation("risk-threat-actors", 0, null, msg) if {
	not count(done_assessments) >= 1
	msg := sprintf(
		"no risk assessment completed on or before today (%v) is recorded (assessments recorded: %v), so there is no threat analysis",
		[today_shown, count_at(input, ["risk", "assessments"])],
	)
}

violations contains violation("risk-threat-actors", 1, null, msg) if {
	not "disinformation" in latest_assessment.threats
	msg := sprintf(
		"the latest risk assessment (%v) considers %v but not disinformation; influence operations should be in the threat model",
		[at(latest_or_empty, ["date"]), list_at(latest_or_empty, ["threats"])],
	)
}

technical_threat_considered if {
	some t in latest_assessment.threats
	t in {"intrusion", "ddos", "ransomware"}
}

violations contains violation("risk-threat-actors", 2, null, msg) if {
	not technical_threat_considered
	msg := sprintf(
		"the latest risk assessment (%v) considers %v but none of intrusion, DDoS or ransomware",
		[at(latest_or_empty, ["date"]), list_at(latest_or_empty, ["threats"])],
	)
}
