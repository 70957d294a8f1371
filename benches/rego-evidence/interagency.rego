# P2 interagency: 8 norms, as in policies/pillars/02-interagency.rampart, with messages.
package rampart_evidence

import rego.v1

iac_forum_fails if not input.interagency.forum.exists == true

iac_forum_fails if input.interagency.forum.model == "none"

iac_forum_fails if not input.interagency.forum.documented == true

violations contains violation("iac-forum-exists", 0, null, msg) if {
	not input.interagency.forum.exists == true
	msg := sprintf(
		"there is no standing interagency mechanism on election security (exists: %v); the guidance expects the EMB to work with the cyber agency and other bodies through one",
		[at(input, ["interagency", "forum", "exists"])],
	)
}

violations contains violation("iac-forum-exists", 1, null, msg) if {
	input.interagency.forum.model == "none"
	msg := "the interagency mechanism's model is \"none\"; any model, ad hoc meetings included, would do"
}

violations contains violation("iac-forum-exists", 2, null, msg) if {
	not input.interagency.forum.documented == true
	msg := sprintf(
		"the interagency mechanism is not documented (documented: %v); participants, roles and contact points should be written down",
		[at(input, ["interagency", "forum", "documented"])],
	)
}

forum_member_role(role) if {
	some id in input.interagency.forum.members
	institution(id).role == role
}

forum_has_cyber if {
	some id in input.interagency.forum.members
	institution(id).role in cyber_roles
}

forum_members_shown := list_at(input, ["interagency", "forum", "members"])

# "true" or "false", as the message of iac-forum-membership shows whether a role is present.
forum_role_shown(role) := "true" if {
	forum_member_role(role)
} else := "false"

na contains "iac-forum-membership" if iac_forum_fails

violations contains violation("iac-forum-membership", 0, null, msg) if {
	not forum_member_role("emb")
	msg := sprintf(
		"no member of the interagency mechanism (%v) is the election body (law enforcement present: %v; data protection present: %v)",
		[forum_members_shown, forum_role_shown("law-enforcement"), forum_role_shown("data-protection")],
	)
}

violations contains violation("iac-forum-membership", 1, null, msg) if {
	not forum_has_cyber
	msg := sprintf(
		"no member of the interagency mechanism (%v) is the national cyber agency or CERT (law enforcement present: %v; data protection present: %v)",
		[forum_members_shown, forum_role_shown("law-enforcement"), forum_role_shown("data-protection")],
	)
}

# The members that name no institution (the item of the requirement is the member id).
dangling_forum_members contains id if {
	some id in input.interagency.forum.members
	not institution_exists(id)
}

violations contains violation("iac-forum-membership", 2, id, msg) if {
	some id in dangling_forum_members
	msg := sprintf("interagency.forum.members lists %v, which is not the id of an entry of institutions", [id])
}

forum_meeting_in_window if {
	some m in input.interagency.forum.meetings
	in_window_before_election(m.date, meeting_window_start_days, meeting_window_end_days)
}

violations contains violation("iac-forum-cadence", 0, null, msg) if {
	not input.interagency.forum.meets_per_year >= min_meetings_per_year
	msg := sprintf(
		"the interagency mechanism meets %v times a year; the expected cadence is at least %v",
		[at(input, ["interagency", "forum", "meets_per_year"]), min_meetings_per_year],
	)
}

violations contains violation("iac-forum-cadence", 1, null, msg) if {
	not forum_meeting_in_window
	msg := sprintf(
		"none of the %v recorded meetings took place between %v and %v days before polling day (%v) and on or before today (%v)",
		[
			count_at(input, ["interagency", "forum", "meetings"]),
			meeting_window_start_days, meeting_window_end_days, election_date, today_shown,
		],
	)
}

party_role(a, role) if {
	some p in a.parties
	institution(p).role == role
}

party_cyber(a) if {
	some p in a.parties
	institution(p).role in cyber_roles
}

roles_agreement if {
	some a in input.interagency.agreements
	party_role(a, "emb")
	party_cyber(a)
	"incident-response" in a.covers
}

violations contains violation("iac-roles-documented", 0, null, msg) if {
	not roles_agreement
	msg := sprintf(
		"none of the %v interagency agreements is between the EMB and the cyber agency or CERT and covers incident response",
		[count_at(input, ["interagency", "agreements"])],
	)
}

# Agreements have no id: the item is null, as in Rampart's evidence.
violations contains violation("iac-roles-documented", 1, item_id(a), msg) if {
	some a in input.interagency.agreements
	some p in a.parties
	not institution_exists(p)
	msg := sprintf(
		"an interagency agreement lists the parties %v, and one of them is not the id of an entry of institutions",
		[list_at(a, ["parties"])],
	)
}

violations contains violation("iac-info-sharing", 0, null, msg) if {
	not input.interagency.info_sharing.channel != "none"
	msg := sprintf(
		"the EMB has no channel for receiving threat information (channel: none; cleared EMB staff: %v); the guidance expects an agreed channel with named contact points",
		[at(input, ["interagency", "info_sharing", "cleared_emb_staff"])],
	)
}

violations contains violation("iac-emb-independence", 0, null, msg) if {
	not input.interagency.independence_safeguard == true
	msg := sprintf(
		"no written safeguard keeps the final say on electoral operations with the EMB (independence_safeguard: %v)",
		[at(input, ["interagency", "independence_safeguard"])],
	)
}

na contains "iac-publicly-explained" if iac_forum_fails

violations contains violation("iac-publicly-explained", 0, null, msg) if {
	not input.interagency.public_explanation <= input.election.date
	msg := sprintf(
		"the collaboration was explained to the public on %v, after polling day (%v)",
		[at(input, ["interagency", "public_explanation"]), election_date],
	)
}

violations contains violation("iac-publicly-explained", 1, null, msg) if {
	not input.interagency.scope_defined == true
	msg := sprintf(
		"where the security agencies' involvement begins and ends is not defined (scope_defined: %v)",
		[at(input, ["interagency", "scope_defined"])],
	)
}

violations contains violation("iac-publicly-explained", 2, null, msg) if {
	days_between(input.interagency.public_explanation, today) < 0
	msg := sprintf(
		"the explanation of the collaboration to the public is dated %v, after today (%v); record the explanation that was published",
		[input.interagency.public_explanation, today],
	)
}

na contains "iac-utility-providers" if iac_forum_fails

violations contains violation("iac-utility-providers", 0, null, msg) if {
	not forum_member_role("utility-provider")
	msg := sprintf(
		"no utility or telecom provider is a member of the interagency mechanism (%v)",
		[forum_members_shown],
	)
}

violations contains violation("iac-utility-providers", 1, id, msg) if {
	some id in dangling_forum_members
	msg := sprintf("interagency.forum.members lists %v, which is not the id of an entry of institutions", [id])
}
