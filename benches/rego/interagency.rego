# P2 interagency: 8 norms, as in policies/pillars/02-interagency.rampart.
package rampart

import rego.v1

iac_forum_fails if not input.interagency.forum.exists == true

iac_forum_fails if input.interagency.forum.model == "none"

iac_forum_fails if not input.interagency.forum.documented == true

fails contains "iac-forum-exists" if iac_forum_fails

forum_member_role(role) if {
	some id in input.interagency.forum.members
	institution(id).role == role
}

forum_has_cyber if {
	some id in input.interagency.forum.members
	institution(id).role in cyber_roles
}

na contains "iac-forum-membership" if iac_forum_fails

fails contains "iac-forum-membership" if not forum_member_role("emb")

fails contains "iac-forum-membership" if not forum_has_cyber

forum_member_dangling if {
	some id in input.interagency.forum.members
	not institution_exists(id)
}

fails contains "iac-forum-membership" if forum_member_dangling

forum_meeting_in_window if {
	some m in input.interagency.forum.meetings
	in_window_before_election(m.date, 180, 30)
}

fails contains "iac-forum-cadence" if not input.interagency.forum.meets_per_year >= 4

fails contains "iac-forum-cadence" if not forum_meeting_in_window

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

fails contains "iac-roles-documented" if not roles_agreement

fails contains "iac-roles-documented" if {
	some a in input.interagency.agreements
	some p in a.parties
	not institution_exists(p)
}

fails contains "iac-info-sharing" if not input.interagency.info_sharing.channel != "none"

fails contains "iac-emb-independence" if not input.interagency.independence_safeguard == true

na contains "iac-publicly-explained" if iac_forum_fails

fails contains "iac-publicly-explained" if not input.interagency.public_explanation <= input.election.date

fails contains "iac-publicly-explained" if not input.interagency.scope_defined == true

fails contains "iac-publicly-explained" if days_between(input.interagency.public_explanation, today) < 0

na contains "iac-utility-providers" if iac_forum_fails

fails contains "iac-utility-providers" if not forum_member_role("utility-provider")

fails contains "iac-utility-providers" if forum_member_dangling
