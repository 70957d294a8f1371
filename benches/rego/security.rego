# P5 security: 14 norms, as in policies/pillars/05-security.rampart.
package rampart

import rego.v1

critical_systems contains s if {
	some s in input.systems
	is_critical(s)
}

fails contains "sec-mfa-admin" if {
	some s in critical_systems
	not s.access.mfa_admin == true
}

fails contains "sec-mfa-users" if {
	some s in input.systems
	s.kind == "email"
	not s.access.mfa_all_users == true
}

fails contains "sec-least-privilege" if {
	some s in critical_systems
	not days_between(s.access.last_review, today) <= 183
}

reviewed_before_election(s) if input.election.date <= today

reviewed_before_election(s) if days_before_election(s.access.last_review) <= 90

fails contains "sec-least-privilege" if {
	some s in critical_systems
	not reviewed_before_election(s)
}

fails contains "sec-least-privilege" if {
	some s in critical_systems
	days_between(s.access.last_review, today) < 0
}

fails contains "sec-privileged-count" if {
	some s in critical_systems
	not s.access.admin_accounts <= max([5, 0.05 * s.access.user_accounts])
}

fails contains "sec-patching" if {
	some s in critical_systems
	not s.patching.critical_sla_days <= 14
}

fails contains "sec-patching" if {
	some s in critical_systems
	not s.patching.overdue_critical == 0
}

fails contains "sec-supported-software" if {
	some s in critical_systems
	not s.platform.support_ends > input.election.date
}

fails contains "sec-backups" if {
	some s in critical_systems
	not s.backups.frequency_hours <= 24
}

fails contains "sec-backups" if {
	some s in critical_systems
	not s.backups.offline_copy == true
}

fails contains "sec-backups" if {
	some s in critical_systems
	not days_before_election(s.backups.last_restore_test) <= 180
}

fails contains "sec-backups" if {
	some s in critical_systems
	days_between(s.backups.last_restore_test, today) < 0
}

fails contains "sec-logging" if {
	some s in critical_systems
	not s.logging.enabled == true
}

fails contains "sec-logging" if {
	some s in critical_systems
	not s.logging.retention_days >= 365
}

fails contains "sec-logging" if {
	some s in critical_systems
	not s.logging.monitored != "none"
}

fails contains "sec-logging" if not input.election.monitoring_24x7_window == true

needs_isolation(s) if s.kind == "results-tabulation"

needs_isolation(s) if {
	s.kind == "e-voting"
	not s.channel == "internet"
}

na contains "sec-segmentation" if {
	not any_needs_isolation
}

any_needs_isolation if {
	some s in input.systems
	needs_isolation(s)
}

fails contains "sec-segmentation" if {
	some s in input.systems
	needs_isolation(s)
	not s.network.zone in {"isolated", "air-gapped"}
}

fails contains "sec-segmentation" if {
	some s in input.systems
	needs_isolation(s)
	not s.internet_facing == false
}

fails contains "sec-ddos" if {
	some s in input.systems
	s.kind in {"results-publication", "website"}
	not s.ddos_protection == true
}

fails contains "sec-register-protection" if {
	some s in input.systems
	s.kind == "voter-registration"
	not s.data.encrypted_at_rest == true
}

fails contains "sec-register-protection" if {
	some s in input.systems
	s.kind == "voter-registration"
	not s.data.access_logged == true
}

fails contains "sec-register-protection" if {
	some s in input.systems
	s.kind == "voter-registration"
	not days_before_election(s.data.dpia_date) <= 730
}

fails contains "sec-register-protection" if {
	some s in input.systems
	s.kind == "voter-registration"
	days_between(s.data.dpia_date, today) < 0
}

fails contains "sec-four-eyes" if {
	some s in critical_systems
	not s.access.four_eyes == true
}

na contains "sec-malware-protection" if not any_vote_equipment

fails contains "sec-malware-protection" if {
	some s in input.systems
	is_vote_equipment(s)
	not s.malware_protection == true
}

na contains "sec-authenticated-updates" if not any_vote_equipment

fails contains "sec-authenticated-updates" if {
	some s in input.systems
	is_vote_equipment(s)
	not s.software_integrity.authenticated_updates == true
}

fails contains "sec-authenticated-updates" if {
	some s in input.systems
	is_vote_equipment(s)
	not s.software_integrity.verified_boot == true
}
