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
    "/help — this overview",
    "help_regie": "<b>relaybot</b> · steering group {network}\n"
    "/update — (as a reply to an alert) relay an update\n"
    "/112 — report that 112 was called\n"
    "/afgehandeld — (as a reply) resolve an alert\n"
    "/intrekken — (as a reply) retract a false alarm\n"
    "/meldingen — all open alerts\n"
    "/help — this overview",
    "help_other": "<b>relaybot</b> · network {network}\n/meldingen — open alerts\n/help — this overview",
    "help_private": "<b>relaybot</b> connects the neighbourhood-watch groups of {network}.",
}
TEXTS["regie_chat_refused"] = (
    "⚠️ The bot can no longer post in {place} (chat id {chat_id}): removed or blocked. "
    "Alerts will not reach it until a co-admin adds the bot again."
)
