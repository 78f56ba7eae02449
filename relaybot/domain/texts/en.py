"""English texts; also the fallback for any key a language lacks."""

TEXTS: dict[str, str] = {
    "and": "and",
    "nobody": "nobody",
    "regie_short": "steering group",
    "regie": "the steering group",
    "alert_header": "🚨 <b>Alert #{number}</b> · {place}",
    "alert_author": "👤 {author}",
    "alert_note": "📝 Co-admin: {note}",
    "flag_none": "☎️ 112: not called yet",
    "flag_done": "☎️ <b>112 called at {time} by {name} ({place})</b>",
    "button_112": "☎️ I called 112",
    "state_resolved": "✅ <b>Resolved</b>",
    "state_resolved_note": "✅ <b>Resolved:</b> {note}",
    "state_expired": "⌛ <b>Expired</b> (no news after {hours} hours)",
    "followup_header": "↪️ <b>Update on #{number}</b> · {place}",
    "tag_done": "✅ Alert #{number} was sent to {targets}.",
    "tag_unlinked": "Not reached, no group linked yet: {names}.",
    "followup_done": "✅ Update on #{number} was sent to {count} group(s).",
    "refuse_not_co_admin": "⛔ Only co-admins of this group can relay an alert.",
    "refuse_no_reply": "ℹ️ Send /regie as a reply to the message you want to relay.",
    "refuse_already": "ℹ️ This message already belongs to alert #{number}.",
    "refuse_not_neighbourhood": "⛔ /regie only works in a neighbourhood group of the network.",
    "refuse_followup_not_allowed": "⛔ Only co-admins and the steering group can relay updates.",
    "refuse_closed": "ℹ️ Alert #{number} is already {state}.",
    "unknown_group": "ℹ️ This group is not part of the network {network}. "
    "A co-admin can link it with /koppel &lt;neighbourhood&gt;.",
    "regie_unknown_group": "ℹ️ The bot was added to a group that is not part of the network: "
    "{title} (chat id {chat_id}).",
    "flag_notice": "☎️ <b>112 was called</b> at {time} by {name} ({place}). "
    "Do not call again; please post news here.",
    "already_called": "☎️ 112 was already called at {time} by {name}. Do not call again.",
    "already_called_alert": "112 was already called at {time} by {name}. Do not call again.",
    "flag_thanks": "Thank you! Everyone now sees that 112 was called.",
    "flag_usage": "ℹ️ Send /112 as a reply to the alert. Open alerts here: {candidates}.",
    "flag_no_incident": "ℹ️ There is no recent open alert here. "
    "Send /112 as a reply to the message about the situation.",
    "incident_closed_alert": "Alert #{number} is already {state}.",
    "state_word_resolved": "resolved",
    "state_word_expired": "expired",
    "state_word_retracted": "retracted",
    "resolve_done": "✅ Alert #{number} is resolved.",
    "refuse_resolve": "⛔ Only co-admins of a group holding this alert and the steering group "
    "can resolve it.",
    "refuse_retract": "⛔ Only co-admins of the group where the alert started and the steering "
    "group can retract it.",
    "retract_done": "🗑️ Alert #{number} was retracted as a false alarm. "
    "The bot deleted {count} message(s).",
    "need_reply_to_copy": "ℹ️ Send {command} as a reply to a message of an alert.",
    "incidents_none": "There are no open alerts here.",
    "incidents_header": "<b>Open alerts</b>",
    "incidents_line": "#{number} · {place} · {time} · {flag} — {text}",
    "incidents_flag_yes": "112 called",
    "incidents_flag_no": "112 not called yet",
    "help_neighbourhood": "<b>relaybot</b> · {place}\n"
    "/regie — (co-admin, as a reply) relay this to the steering group and the neighbours\n"
    "/update — (as a reply to an alert) relay an update\n"
    "/112 — report that 112 was called\n"
    "/afgehandeld — (as a reply) resolve an alert\n"
    "/intrekken — (as a reply) retract a false alarm\n"
    "/meldingen — open alerts in this group\n"
    "/buren — adjacent neighbourhoods\n"
    "/help — this overview",
    "help_regie": "<b>relaybot</b> · steering group {network}\n"
    "/doorsturen [buren|alle|kern|neighbourhood …] — (as a reply) forward an alert or your own "
    "message to neighbourhoods\n"
    "/buren &lt;neighbourhood&gt; — which neighbourhoods are adjacent to one\n"
    "/update — (as a reply to an alert) relay an update\n"
    "/112 — report that 112 was called\n"
    "/afgehandeld — (as a reply) resolve an alert\n"
    "/intrekken — (as a reply) retract a false alarm\n"
    "/meldingen — all open alerts\n"
    "/help — this overview",
    "help_other": "<b>relaybot</b> · network {network}\n/meldingen — open alerts\n"
    "/koppel &lt;neighbourhood&gt; — (co-admin, in a new group) link this group to the network\n"
    "/help — this overview",
    "help_private": "<b>relaybot</b> connects the neighbourhood-watch groups of {network}.",
}
TEXTS["regie_chat_refused"] = (
    "⚠️ The bot can no longer post in {place} (chat id {chat_id}): removed or blocked. "
    "Alerts will not reach it until a co-admin adds the bot again."
)
TEXTS.update(
    {
        # /doorsturen
        "refuse_forward_not_regie": "⛔ /doorsturen only works in the steering group.",
        "forward_usage": "ℹ️ Use /doorsturen as a reply to an alert, with as target: nothing or buren, "
        "one or more neighbourhoods, a kern, or alle.",
        "forward_usage_new": "ℹ️ This message is not an alert yet. Say where it goes: "
        "/doorsturen &lt;neighbourhoods, kern or alle&gt;.",
        "refuse_forward_unknown": "⛔ Unknown target: {names}. Nothing was forwarded.",
        "forward_done": "✅ Alert #{number} was forwarded to {targets}.",
        "forward_none": "ℹ️ Alert #{number} was not forwarded to any new group.",
        "forward_skipped": "Skipped (already had it): {names}.",
        "forward_unlinked": "No group yet: {names}.",
        # /buren
        "buren_line": "🏘️ Neighbours of {place}: {names}.",
        "buren_none": "🏘️ {place} has no neighbours in the network.",
        "buren_usage": "ℹ️ In this group use /buren &lt;neighbourhood&gt;, for example /buren {example}.",
        "buren_unknown": "⛔ The network has no neighbourhood {slug}.",
        "buren_unlinked": "{place} (no group yet)",
        # /koppel
        "link_usage": "ℹ️ Use /koppel &lt;neighbourhood&gt; with the neighbourhood's short name from the "
        "network, for example /koppel goor-oost.",
        "refuse_link_private": "⛔ /koppel only works in a group.",
        "refuse_link_member": "ℹ️ This group is already part of the network.",
        "refuse_link_not_co_admin": "⛔ Only administrators of this group can link it.",
        "refuse_link_unknown": "⛔ The network has no neighbourhood {slug}.",
        "refuse_link_in_file": "⛔ {name} already has a group in the network file; that one wins.",
        "refuse_link_taken": "⛔ {name} is already linked to another group.",
        "refuse_link_pending": "ℹ️ This group's request is already with the steering group.",
        "link_asked": "✅ Your request to link this group to {name} is now with the steering group.",
        "link_card": "🔗 <b>Link request #{id}</b>\nGroup: {title} (chat id {chat_id})\n"
        "Neighbourhood: {place}\nAsked by: {by}",
        "button_link_ok": "✅ Link",
        "button_link_no": "❌ Decline",
        "link_card_approved": "{card}\n✅ <b>Linked</b> by {by}",
        "link_card_declined": "{card}\n❌ <b>Declined</b> by {by}",
        "link_card_void": "{card}\n⛔ <b>Not linked</b>: {reason}",
        "link_welcome": "👋 This group is now the neighbourhood-watch group of {place} in the network {network}.\n"
        "House rules (SAAR): <b>S</b>pot it · <b>A</b>lert 112 · <b>A</b>pp the group · "
        "<b>R</b>espond only when safe. Say here that 112 was called, so that not everyone calls again.",
        "link_declined": "ℹ️ The steering group declined the request to link this group to {name}.",
        "link_answer_approved": "Linked.",
        "link_answer_declined": "Declined.",
        "link_answer_already": "This request was already handled by {by}.",
    }
)
TEXTS["forward_nothing"] = "ℹ️ This message has no text or photo to forward."
TEXTS["incidents_more"] = "… and {count} more open alert(s)."

# --- issue 16: start-up checks (posted once to the regiegroep; `relaybot check` prints them) ---
TEXTS.update(
    {
        "preflight_header": "⚠️ <b>relaybot cannot do everything it should.</b> "
        "Please fix (the bot checks again at every start):",
        "preflight_privacy": "Group privacy is on: the bot does not see ordinary messages, so "
        'not "112 gebeld" either. To fix: open @BotFather, send /setprivacy, choose the bot '
        "and choose Disable. Then remove the bot from each group and add it again: only then "
        "does the new setting apply. (Or make the bot an administrator in every group.)",
        "preflight_missing": "{place} (chat id {chat_id}): the bot is not in this group. "
        "Add the bot and make it an administrator.",
        "preflight_not_admin": "{place} (chat id {chat_id}): the bot is not an administrator. "
        "Make it one, with the rights delete messages, pin messages, invite users via link "
        "and restrict members.",
        "preflight_rights": "{place} (chat id {chat_id}): the bot lacks the right {rights}. "
        "Give it in the group's settings under Administrators.",
        "preflight_ok": "All in order: the bot reads every message and has the rights it uses "
        "everywhere.",
        "place_regie": "Steering group",
        "place_coordinators": "Coordinators' group",
        "right_delete": "delete messages",
        "right_pin": "pin messages",
        "right_invite": "invite users via link",
        "right_restrict": "restrict members",
    }
)

# --- issue 16: outcome notices (one per chat that held the incident) ---
TEXTS.update(
    {
        "outcome_resolved": "✅ <b>#{number} resolved.</b>",
        "outcome_resolved_note": "✅ <b>#{number} resolved:</b> {note}",
        "outcome_expired": "⌛ <b>#{number} expired</b>: no news after {hours} hours.",
        "outcome_retracted": "🗑️ <b>#{number} retracted</b>: a false alarm, the alert was "
        "removed.",
    }
)
