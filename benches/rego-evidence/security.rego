# P5 security: 14 norms, as in policies/pillars/05-security.rampart, with messages.
package rampart_evidence

import rego.v1

critical_systems contains s if {
	some s in input.systems
	is_critical(s)
}

violations contains violation("sec-mfa-admin", 0, item_id(s), msg) if {
	some s in critical_systems
	not s.access.mfa_admin == true
	msg := sprintf(
		"critical system %v does not require multi-factor authentication for administrative access (mfa_admin: %v)",
		[at(s, ["id"]), at(s, ["access", "mfa_admin"])],
	)
}

violations contains violation("sec-mfa-users", 0, item_id(s), msg) if {
	some s in input.systems
	s.kind == "email"
	not s.access.mfa_all_users == true
	msg := sprintf(
		"e-mail system %v does not require multi-factor authentication for all users (mfa_all_users: %v)",
		[at(s, ["id"]), at(s, ["access", "mfa_all_users"])],
	)
}

violations contains violation("sec-least-privilege", 0, item_id(s), msg) if {
	some s in critical_systems
	not days_between(s.access.last_review, today) <= access_review_max_days
	msg := sprintf(
		"access rights of critical system %v were last reviewed on %v, more than %v days before %v",
		[at(s, ["id"]), at(s, ["access", "last_review"]), access_review_max_days, today_shown],
	)
}

reviewed_before_election(s) if input.election.date <= today

reviewed_before_election(s) if days_before_election(s.access.last_review) <= access_review_pre_election_days

violations contains violation("sec-least-privilege", 1, item_id(s), msg) if {
	some s in critical_systems
	not reviewed_before_election(s)
	msg := sprintf(
		"access rights of critical system %v were last reviewed on %v, more than %v days before the coming polling day (%v)",
		[at(s, ["id"]), at(s, ["access", "last_review"]), access_review_pre_election_days, election_date],
	)
}

violations contains violation("sec-least-privilege", 2, item_id(s), msg) if {
	some s in critical_systems
	days_between(s.access.last_review, today) < 0
	msg := sprintf(
		"access rights of critical system %v were last reviewed on %v, after today (%v); record the last review that took place",
		[at(s, ["id"]), s.access.last_review, today],
	)
}

violations contains violation("sec-privileged-count", 0, item_id(s), msg) if {
	some s in critical_systems
	not s.access.admin_accounts <= max([max_admin_accounts_floor, max_admin_ratio * s.access.user_accounts])
	msg := sprintf(
		"critical system %v has %v administrator accounts for %v users; the norm allows %v or a share of %v of the users, whichever is larger",
		[
			at(s, ["id"]), at(s, ["access", "admin_accounts"]), at(s, ["access", "user_accounts"]),
			max_admin_accounts_floor, max_admin_ratio,
		],
	)
}

violations contains violation("sec-patching", 0, item_id(s), msg) if {
	some s in critical_systems
	not s.patching.critical_sla_days <= max_critical_patch_sla_days
	msg := sprintf(
		"critical system %v allows %v days to apply a critical update; the norm expects at most %v",
		[at(s, ["id"]), at(s, ["patching", "critical_sla_days"]), max_critical_patch_sla_days],
	)
}

violations contains violation("sec-patching", 1, item_id(s), msg) if {
	some s in critical_systems
	not s.patching.overdue_critical == 0
	msg := sprintf(
		"critical system %v has %v overdue critical updates",
		[at(s, ["id"]), at(s, ["patching", "overdue_critical"])],
	)
}

violations contains violation("sec-supported-software", 0, item_id(s), msg) if {
	some s in critical_systems
	not s.platform.support_ends > input.election.date
	msg := sprintf(
		"the platform of critical system %v stops receiving security support on %v, not after polling day (%v)",
		[at(s, ["id"]), at(s, ["platform", "support_ends"]), election_date],
	)
}

violations contains violation("sec-backups", 0, item_id(s), msg) if {
	some s in critical_systems
	not s.backups.frequency_hours <= max_backup_interval_hours
	msg := sprintf(
		"critical system %v is backed up every %v hours; the norm expects at most %v",
		[at(s, ["id"]), at(s, ["backups", "frequency_hours"]), max_backup_interval_hours],
	)
}

violations contains violation("sec-backups", 1, item_id(s), msg) if {
	some s in critical_systems
	not s.backups.offline_copy == true
	msg := sprintf(
		"critical system %v has no offline or immutable backup copy (offline_copy: %v)",
		[at(s, ["id"]), at(s, ["backups", "offline_copy"])],
	)
}

violations contains violation("sec-backups", 2, item_id(s), msg) if {
	some s in critical_systems
	not days_before_election(s.backups.last_restore_test) <= restore_test_max_age_days
	msg := sprintf(
		"restoring critical system %v was last tested on %v, more than %v days before polling day (%v)",
		[at(s, ["id"]), at(s, ["backups", "last_restore_test"]), restore_test_max_age_days, election_date],
	)
}

violations contains violation("sec-backups", 3, item_id(s), msg) if {
	some s in critical_systems
	days_between(s.backups.last_restore_test, today) < 0
	msg := sprintf(
		"the last restore test of critical system %v is dated %v, after today (%v); record the last restore test that took place",
		[at(s, ["id"]), s.backups.last_restore_test, today],
	)
}

violations contains violation("sec-logging", 0, item_id(s), msg) if {
	some s in critical_systems
	not s.logging.enabled == true
	msg := sprintf(
		"critical system %v does not keep security logs (enabled: %v)",
		[at(s, ["id"]), at(s, ["logging", "enabled"])],
	)
}

violations contains violation("sec-logging", 1, item_id(s), msg) if {
	some s in critical_systems
	not s.logging.retention_days >= min_log_retention_days
	msg := sprintf(
		"critical system %v keeps logs for %v days; the norm expects at least %v",
		[at(s, ["id"]), at(s, ["logging", "retention_days"]), min_log_retention_days],
	)
}

violations contains violation("sec-logging", 2, item_id(s), msg) if {
	some s in critical_systems
	not s.logging.monitored != "none"
	msg := sprintf("nobody watches the security logs of critical system %v (monitored: none)", [at(s, ["id"])])
}

violations contains violation("sec-logging", 3, null, msg) if {
	not input.election.monitoring_24x7_window == true
	msg := sprintf(
		"the election body has not committed to 24x7 monitoring from %v days before to %v days after polling day (%v)",
		[monitoring_window_days, monitoring_window_days, election_date],
	)
}

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

violations contains violation("sec-segmentation", 0, item_id(s), msg) if {
	some s in input.systems
	needs_isolation(s)
	not s.network.zone in {"isolated", "air-gapped"}
	msg := sprintf(
		"%v (%v) sits in network zone %v; it should be isolated or air-gapped",
		[at(s, ["id"]), s.kind, at(s, ["network", "zone"])],
	)
}

violations contains violation("sec-segmentation", 1, item_id(s), msg) if {
	some s in input.systems
	needs_isolation(s)
	not s.internet_facing == false
	msg := sprintf(
		"%v (%v) can be reached from the internet (internet_facing: %v)",
		[at(s, ["id"]), s.kind, at(s, ["internet_facing"])],
	)
}

violations contains violation("sec-ddos", 0, item_id(s), msg) if {
	some s in input.systems
	s.kind in {"results-publication", "website"}
	not s.ddos_protection == true
	msg := sprintf(
		"%v (%v) has no DDoS protection (ddos_protection: %v)",
		[at(s, ["id"]), s.kind, at(s, ["ddos_protection"])],
	)
}

violations contains violation("sec-register-protection", 0, item_id(s), msg) if {
	some s in input.systems
	s.kind == "voter-registration"
	not s.data.encrypted_at_rest == true
	msg := sprintf(
		"voter register %v is not encrypted at rest (encrypted_at_rest: %v)",
		[at(s, ["id"]), at(s, ["data", "encrypted_at_rest"])],
	)
}

violations contains violation("sec-register-protection", 1, item_id(s), msg) if {
	some s in input.systems
	s.kind == "voter-registration"
	not s.data.access_logged == true
	msg := sprintf(
		"access to voter register %v is not logged (access_logged: %v)",
		[at(s, ["id"]), at(s, ["data", "access_logged"])],
	)
}

violations contains violation("sec-register-protection", 2, item_id(s), msg) if {
	some s in input.systems
	s.kind == "voter-registration"
	not days_before_election(s.data.dpia_date) <= dpia_max_age_days
	msg := sprintf(
		"the data-protection impact assessment of voter register %v is dated %v, more than %v days before polling day (%v)",
		[at(s, ["id"]), at(s, ["data", "dpia_date"]), dpia_max_age_days, election_date],
	)
}

violations contains violation("sec-register-protection", 3, item_id(s), msg) if {
	some s in input.systems
	s.kind == "voter-registration"
	days_between(s.data.dpia_date, today) < 0
	msg := sprintf(
		"the data-protection impact assessment of voter register %v is dated %v, after today (%v); record the last assessment that took place",
		[at(s, ["id"]), s.data.dpia_date, today],
	)
}

violations contains violation("sec-four-eyes", 0, item_id(s), msg) if {
	some s in critical_systems
	not s.access.four_eyes == true
	msg := sprintf(
		"critical operations on %v can be done by one person (four_eyes: %v)",
		[at(s, ["id"]), at(s, ["access", "four_eyes"])],
	)
}

na contains "sec-malware-protection" if not any_vote_equipment

violations contains violation("sec-malware-protection", 0, item_id(s), msg) if {
	some s in input.systems
	is_vote_equipment(s)
	not s.malware_protection == true
	msg := sprintf(
		"%v (%v) has no protection against malware (malware_protection: %v)",
		[at(s, ["id"]), s.kind, at(s, ["malware_protection"])],
	)
}

na contains "sec-authenticated-updates" if not any_vote_equipment

violations contains violation("sec-authenticated-updates", 0, item_id(s), msg) if {
	some s in input.systems
	is_vote_equipment(s)
	not s.software_integrity.authenticated_updates == true
	msg := sprintf(
		"%v (%v) accepts software updates that are not authenticated (authenticated_updates: %v)",
		[at(s, ["id"]), s.kind, at(s, ["software_integrity", "authenticated_updates"])],
	)
}

violations contains violation("sec-authenticated-updates", 1, item_id(s), msg) if {
	some s in input.systems
	is_vote_equipment(s)
	not s.software_integrity.verified_boot == true
	msg := sprintf(
		"%v (%v) does not verify its software at start-up (verified_boot: %v)",
		[at(s, ["id"]), s.kind, at(s, ["software_integrity", "verified_boot"])],
	)
}
