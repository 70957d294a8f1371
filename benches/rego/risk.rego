# P3 risk: 6 norms, as in policies/pillars/03-risk.rampart.
package rampart

import rego.v1

assessment_in_window if {
	some a in input.risk.assessments
	in_window_before_election(a.date, 365, 60)
}

fails contains "risk-assessment-current" if not assessment_in_window

fails contains "risk-cycle-coverage" if not count(done_assessments) >= 1

stages_covered(s) if {
	scope := {x | some x in latest_assessment.scope}
	every stage in s.stages {
		stage in scope
	}
}

fails contains "risk-cycle-coverage" if {
	some s in input.systems
	not stages_covered(s)
}

fails contains "risk-register-owners" if not count(input.risk.register) >= 1

fails contains "risk-register-owners" if {
	some r in input.risk.register
	not contact_exists(r.owner)
}

fails contains "risk-register-owners" if {
	some r in input.risk.register
	not r.treatment != "untreated"
}

fails contains "risk-register-owners" if {
	some r in input.risk.register
	not r.review_by >= today
}

fails contains "risk-high-treated" if {
	some r in input.risk.register
	r.rating in {"high", "critical"}
	not r.treatment != "untreated"
}

fails contains "risk-system-inventory" if not input.risk.inventory_complete == true

fails contains "risk-system-inventory" if not count(input.systems) >= 1

fails contains "risk-system-inventory" if not days_before_election(input.risk.inventory_updated) <= 365

fails contains "risk-system-inventory" if days_between(input.risk.inventory_updated, today) < 0

fails contains "risk-threat-actors" if not count(done_assessments) >= 1

fails contains "risk-threat-actors" if not "disinformation" in latest_assessment.threats

technical_threat_considered if {
	some t in latest_assessment.threats
	t in {"intrusion", "ddos", "ransomware"}
}

fails contains "risk-threat-actors" if not technical_threat_considered
