"""English texts; also the fallback for any key a language lacks."""

TEXTS: dict[str, str] = {
    "and": "and",
    "nobody": "nobody",
    "continued": "<i>(continued)</i>",
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
    "state_expired": "⌛ <b>Expired</b> (no news after {hours})",
    "followup_header": "↪️ <b>Update on #{number}</b> · {place}",
    "tag_done": "✅ Alert #{number} was sent to {targets}.",
    "tag_unlinked": "Not reached, no group linked yet: {names}.",
    "tag_radius": "📍 Within {metres} m of the place, so also reached: {names}.",
    "followup_done": "✅ Update on #{number} was sent to {groups}.",
    "refuse_not_co_admin": "⛔ Only co-admins of this group can relay an alert.",
    "refuse_no_reply": "ℹ️ Send /regie as a reply to the message you want to relay.",
    "refuse_already": "ℹ️ This message already belongs to alert #{number}.",
    "refuse_not_neighbourhood": "⛔ /regie only works in a neighbourhood group of the network.",
    "refuse_followup_not_allowed": "⛔ Only co-admins and the steering group can relay updates.",
    "refuse_closed": "ℹ️ Alert #{number} is already {state}.",
    "unknown_group": "ℹ️ This group is not part of the network {network}. "
    "A co-admin can link it with /koppel &lt;neighbourhood&gt;.",
    "regie_unknown_group": "ℹ️ The bot was added to a group that is not part of the network: "
    "{title} (chat id {chat_id}), added by {added_by}.",
    "regie_unknown_group_adder_unknown": "ℹ️ The bot is in a group that is not part of the "
    "network: {title} (chat id {chat_id}); unknown who added the bot.",
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
    "retract_done": "🗑️ Alert #{number} was retracted as a false alarm. The bot deleted {messages}.",
    "retract_done_blanked": "🗑️ Alert #{number} was retracted as a false alarm. "
    "The bot deleted {messages}; {blanked} "
    "(Telegram no longer allows deleting them).",
    "retract_missed_one": "1 message the bot could not reach (removed from that group, or "
    "Telegram refused); it is still there.",
    "retract_missed_many": "{count} messages the bot could not reach (removed from those "
    "groups, or Telegram refused); they are still there.",
    "copy_retracted": "🗑️ <i>Alert #{number} was retracted as a false alarm.</i>",
    # the command is named in the language's own words (the English aliases in English)
    "need_reply_update": "ℹ️ Send /update as a reply to a message of an alert.",
    "need_reply_unflag": "ℹ️ Send /unflag as a reply to a message of an alert.",
    "need_reply_resolve": "ℹ️ Send /resolved as a reply to a message of an alert.",
    "need_reply_retract": "ℹ️ Send /retract as a reply to a message of an alert.",
    "incidents_none": "There are no open alerts here.",
    "incidents_header": "<b>Open alerts</b>",
    "incidents_line": "#{number} · {place} · {time} · {flag} — {text}",
    "incidents_flag_yes": "112 called",
    "incidents_flag_no": "112 not called yet",
    "help_neighbourhood": "<b>relaybot</b> · {place}\n"
    "/regie — (co-admin, as a reply) relay this to the steering group and the neighbours\n"
    "/update — (as a reply to an alert) relay an update\n"
    "/112 — report that 112 was called\n"
    "/niet112 — (as a reply) withdraw a false 112 report\n"
    "/afgehandeld — (as a reply) resolve an alert\n"
    "/intrekken — (as a reply) retract a false alarm\n"
    "/meldingen — open alerts in this group\n"
    "/buren — adjacent neighbourhoods\n"
    "/ronde — start a surveillance round (/ronde klaar, /ronde plan saturday 21:00)\n"
    "/regels — the house rules\n"
    "/waarschuw [reason] — (co-admin, as a reply) warn a member\n"
    "/vergeef — (co-admin, as a reply) take the latest warning back\n"
    "/waarschuwingen — (co-admin, as a reply) a member's warnings\n"
    "/help — this overview",
    "help_regie": "<b>relaybot</b> · steering group {network}\n"
    "/doorsturen [buren|alle|kern|neighbourhood …] — (as a reply) forward an alert or your own message to neighbourhoods\n"
    "/buren &lt;neighbourhood&gt; — which neighbourhoods are adjacent to one\n"
    "/update — (as a reply to an alert) relay an update\n"
    "/112 — report that 112 was called\n"
    "/niet112 — (as a reply) withdraw a false 112 report\n"
    "/afgehandeld — (as a reply) resolve an alert\n"
    "/intrekken — (as a reply) retract a false alarm\n"
    "/meldingen — all open alerts\n"
    "/regels — the house rules\n"
    "/help — this overview",
    "help_other": "<b>relaybot</b> · network {network}\n"
    "/meldingen — open alerts\n"
    "/koppel &lt;neighbourhood&gt; — (co-admin, in a new group) link this group to the network\n"
    "/regels — the house rules\n"
    "/help — this overview",
    "help_private": "<b>relaybot</b> connects the neighbourhood-watch groups of {network}.\n"
    "/signup — sign up for your neighbourhood's group\n"
    "/stop — stop signing up\n"
    "/forget — erase your sign-up data\n"
    "/regels — the house rules\n"
    "/help — this overview",
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
        "<b>R</b>espond only when safe. Say here that 112 was called, so that not everyone calls again.\n"
        "New neighbours can sign up through {signup_link}",
        "link_declined": "ℹ️ The steering group declined the request to link this group to {name}.",
        "link_answer_approved": "Linked.",
        "link_answer_declined": "Declined.",
        "link_answer_already": "This request was already handled by {by}.",
    }
)
TEXTS["forward_nothing"] = "ℹ️ This message has no text or photo to forward."
TEXTS["incidents_more"] = "… and {more}."

# counted phrases: 'singular|plural', {n} the number as the language writes it (Texts.count)
TEXTS.update(
    {
        "count_days": "{n} day|{n} days",
        "count_hours": "{n} hour|{n} hours",
        "count_groups": "{n} group|{n} groups",
        "count_messages": "{n} message|{n} messages",
        "count_messages_blanked": "{n} message was older than 48 hours and was blanked instead"
        "|{n} messages were older than 48 hours and were blanked instead",
        "count_open_incidents": "{n} more open alert|{n} more open alerts",
        "count_warnings": "{n} warning|{n} warnings",
        "count_signs_removed": "{n} attention sign to be removed|{n} attention signs to be removed",
        "count_signs_taken_down": "its attention sign would be taken down"
        "|its {n} attention signs would be taken down",
    }
)

# --- sign-up (issue 14): private conversation, regie card, admission, /forget ----------------
TEXTS.update(
    {
        "button_yes": "Yes",
        "button_no": "No",
        "button_agree": "I agree",
        "button_no_match": "Continue without a neighbourhood",
        "button_share_location": "📍 Share my location",
        "signup_ask_address_or_location": "What is your address (street and house number)? You can also share your location with the button below: the bot then finds your buurt on the map. Your location is not kept.",
        "signup_location_outside": "That place lies in none of this network's buurten. Type your street and house number, and the regiegroep will look.",
        "signup_location_unasked": "No location is needed now. Please answer the question above.",
        "button_share_phone": "📱 Share my number",
        "button_admit": "Admit",
        "button_other": "Other neighbourhood",
        "button_decline": "Decline",
        "button_back": "↩️ Back",
        "signup_ask_age": "👋 Great that you want to join neighbourhood watch {network}!\n"
        "First a few questions; you can stop at any time with /stop.\n\n"
        "Are you 18 or older, and do you live or work in {network}?",
        "signup_age_again": "Please answer {yes} or {no}.",
        "signup_said_no": "Thank you for your interest. The neighbourhood-watch groups are for adults who "
        "live or work in the neighbourhood, so signing up is not possible. Nothing about you was kept.",
        "signup_ask_name": "What is your name (first and last name)?",
        "signup_name_invalid": "Please write your name in {low} to {high} characters, with letters.",
        "signup_ask_address": "What are your street and house number? For example: Grotestraat 12 or Hoogstraat 3a.",
        "signup_address_invalid": "Write the street first and then the house number, for example: Grotestraat 12.",
        "signup_choose": "{address} lies in more than one neighbourhood. Which one is yours?",
        "signup_choose_again": "Please choose your neighbourhood with one of the buttons.",
        "signup_unmatched": "We cannot find the street of {address} in the neighbourhoods' street lists. "
        "Type your address again, or choose ‘Continue without a neighbourhood’: the steering group then chooses.",
        "signup_unmatched_hint": "We cannot find the street of {address} in the neighbourhoods' street lists. "
        "Did you mean {hint}? Type your address again, or choose ‘Continue without a neighbourhood’: "
        "the steering group then chooses.",
        "signup_ask_phone": "What is your mobile number? Press the button to share your number, "
        "or type it (for example +31 6 12345678).",
        "signup_phone_invalid": "That is not a valid phone number. Type a Dutch number "
        "(06 12345678) or an international number with + (+32 470 12 34 56).",
        "signup_contact_not_own": "That is not your own number. Share your own number with the button, or type it.",
        "signup_contact_unasked": "Your phone number comes later; please answer this question first.",
        "signup_ask_rules": "Finally, the house rules of the groups:\n"
        "• You are 18 or older and live or work in the group's neighbourhood.\n"
        "• Follow SAAR: <b>S</b>pot it · <b>A</b>lert 112 · <b>A</b>pp the group · "
        "<b>R</b>espond only when safe.\n"
        "• Tell the group that 112 was called, so that not everyone calls again.\n"
        "• No cursing, insults or discrimination; do not take the law into your own hands.\n"
        "• Share a photo of a suspect only when it is really needed for the description; "
        "rather describe what you saw.\n"
        "• The group is for reports only, not for private chatter.\n"
        "Members who break the rules may be removed from the group.\n\nDo you agree?",
        "signup_rules_again": "Press {agree} to send your sign-up, or stop with /stop.",
        "signup_submitted": "✅ Thank you! Your sign-up #{id} is now with the steering group. "
        "You will hear here as soon as they decide.",
        "signup_stopped": "Sign-up stopped. What you had filled in was erased.",
        "signup_nothing_to_stop": "No sign-up is running. Sign up with /signup.",
        "signup_expired": "⌛ Your sign-up stopped because there was no answer for 30 minutes; "
        "what you had filled in was erased. Start again with /signup.",
        "signup_resume": "You are already signing up; here is the question again.",
        "signup_refuse_open": "ℹ️ You already have a sign-up: #{id}, {state}. "
        "A second sign-up is possible once this one is finished.",
        "signup_state_pending": "being handled by the steering group",
        "signup_state_admitted": "admitted to {place}; the invitation is above",
        "signup_waiting": "ℹ️ Your sign-up #{id} is {state}.",
        "signup_stop_waiting": "ℹ️ Your sign-up #{id} is {state}. To withdraw it and erase your data, send /forget.",
        "signup_private_only": "ℹ️ Signing up happens in a private chat with the bot: {link}",
        "signup_idle": "Would you like to join the neighbourhood-watch group of your neighbourhood? Send /signup.",
        "signup_card": "📝 <b>Sign-up #{id}</b>\nName: {name}\nAddress: {address}\n"
        "Phone: {phone}\nNeighbourhood: {place}",
        "signup_card_unmatched": "no match: choose ‘Other neighbourhood’",
        "signup_card_pick_kern": "{card}\n\n<b>Other neighbourhood</b>: first choose the kern.",
        "signup_card_pick_hood": "{card}\n\n<b>Other neighbourhood</b>: choose the neighbourhood.",
        "signup_card_admitted": "{card}\n✅ <b>Admitted</b> to {place} by {by}",
        "signup_card_declined": "{card}\n❌ <b>Declined</b> by {by}",
        "signup_card_joined": "{card}\n✅ <b>Admitted</b> to {place} by {by}\n👥 Joined through the invitation.",
        "signup_card_erased": "📝 <b>Sign-up #{id}</b>\n🗑️ The resident had their data erased (/forget).",
        "signup_answer_admitted": "Admitted.",
        "signup_answer_declined": "Declined.",
        "signup_answer_already": "This sign-up was already handled by {by}.",
        "signup_answer_gone": "This sign-up no longer exists.",
        "signup_answer_no_chat": "{place} has no group yet. Choose another neighbourhood.",
        "signup_answer_no_link": "The bot could not make an invitation for {place}. "
        "Give the bot the right to invite users there and try again.",
        "signup_invite_name": "Sign-up #{id}",
        "signup_admitted": "🎉 You were admitted to the neighbourhood-watch group {place}!\n"
        "Ask to join with this link; it is valid for 72 hours and only for you: {link}\n"
        "The bot then approves your request at once.",
        "signup_declined": "The steering group cannot place your sign-up #{id}, unfortunately.",
        "signup_contact_line": "Questions? Contact the municipality: {contact}",
        "signup_joined": "👋 Welcome to {place}! Your sign-up is complete.",
        "signup_regie_stranger": "⚠️ Sign-up #{id}: someone other than the resident who signed up used "
        "the invitation for {place}. That request was declined.",
        "forget_done": "🗑️ Erased: {what}. Only a count without names is kept.",
        "forget_nothing": "Nothing about you was stored.",
        "forget_what_signup": "sign-up #{id} with your name, address and phone number",
        "forget_what_messages": "{messages} with your data in the send queue",
    }
)

# issue 12 (trust): /niet112, answers, /buren outside the network
TEXTS.update(
    {
        "flag_withdrawn": "↩️ Earlier 112 report withdrawn at {time} by {name} ({place})",
        "unflag_notice": "↩️ <b>112 has not been called yet</b> for alert #{number}: the report "
        "that it was called was withdrawn at {time} by {name} ({place}). Call 112 if there is "
        "danger and say so here.",
        "refuse_unflag": "⛔ Only a co-admin of a group holding this alert, or the regiegroep, "
        "can withdraw a 112 report.",
        "unflag_nothing": "ℹ️ Nobody has reported 112 as called for alert #{number}: there is "
        "nothing to withdraw.",
        "buren_outside": "ℹ️ /buren only works in the network's groups.",
    }
)

# --- house rules and moderation (issue 13) ---------------------------------------------------
TEXTS.update(
    {
        "rules_show": "📜 {rules}",
        "rules_missing": "📜 <b>House rules (SAAR)</b>: <b>S</b>pot it · <b>A</b>lert 112 · "
        "<b>A</b>pp the group · <b>R</b>espond only when safe.",
        "welcome_burst": "👋 Welcome to the neighbourhood-watch group {place}! Here we report "
        "suspicious situations the SAAR way: <b>S</b>pot it · <b>A</b>lert 112 · <b>A</b>pp the "
        "group · <b>R</b>espond only when safe. Say when 112 has been called, and keep the group "
        "for reports. All house rules: /rules",
        "warn_blocklist": "⚠️ <b>Warning {count} of {max}</b>: mind your language, no cursing, "
        "insults or discrimination (house rule). House rules: /rules",
        "warn_manual": "⚠️ <b>Warning {count} of {max}</b> from a co-admin: {reason}. "
        "House rules: /rules",
        "warn_manual_plain": "⚠️ <b>Warning {count} of {max}</b> from a co-admin. House rules: /rules",
        "unwarn_done": "✅ The latest warning was taken back; {count} of {max} now count.",
        "unwarn_none": "ℹ️ This member has no warnings that still count.",
        "warnings_list": "📋 <b>Warnings that count: {count} of {max}</b> (last {days})\n{lines}",
        "warnings_line": "• {date}: {what}",
        "warnings_what_blocklist": "language (blocked word)",
        "warnings_what_manual": "by a co-admin",
        "warnings_none": "📋 This member has no warnings that count (last {days}).",
        "refuse_mod_not_co_admin": "⛔ Only administrators of this group can do this.",
        "refuse_mod_no_reply": "ℹ️ Use a command as a reply to a message of the member.",
        "refuse_mod_no_reply_warn": "ℹ️ Use /warn as a reply to a message of the member.",
        "refuse_mod_no_reply_unwarn": "ℹ️ Use /unwarn as a reply to a message of the member.",
        "refuse_mod_no_reply_warnings": "ℹ️ Use /warnings as a reply to a message of the member.",
        "refuse_mod_not_neighbourhood": "⛔ Warnings belong to a neighbourhood group of the network.",
        "refuse_mod_exempt_co_admin": "ℹ️ Co-admins are not warned.",
        "refuse_mod_exempt_bot": "ℹ️ Bots are not warned.",
        "refuse_mod_exempt_anonymous_admin": "ℹ️ A message sent as the group (an anonymous admin) is not warned.",
        "refuse_mod_exempt_channel": "ℹ️ A message sent as a channel is not warned: the sender is unknown.",
        "refuse_mod_exempt_unknown": "ℹ️ The sender of this message is unknown; no warning is given.",
        "removal_card": "🚪 <b>Remove from {place}?</b>\n{name} has {warnings} (limit: {max}). "
        "Only a co-admin of {place} who may remove members decides.",
        "button_remove": "🚪 Remove",
        "button_keep": "✋ Keep",
        "removal_card_removed": "{card}\n🚪 <b>Removed</b> by {by}. Coming back takes a new sign-up.",
        "removal_card_banned": "{card}\n🚪 <b>Removed</b> by {by}. This is a basic group: there the bot cannot undo a removal. Should the member come back, a co-admin adds them again.",
        "removal_card_kept": "{card}\n✋ <b>Kept</b>: decided by {by}.",
        "removal_card_gone": "{card}\nℹ️ <b>Not needed</b>: the member had already left (seen by {by}).",
        "removal_card_failed": "{card}\n⛔ <b>Not removed</b>: {reason}",
        "removal_card_withdrawn": "{card}\n↩️ <b>Lapsed</b>: {by} took a warning back.",
        "removal_failed_admin": "the member is a co-admin now",
        "removal_failed_rights": "the bot may not remove members in this group",
        "removal_answer_denied": "Only a co-admin of this neighbourhood group who may remove members can decide this.",
        "removal_answer_already": "Already decided by {by}.",
        "removal_answer_removed": "Removed.",
        "removal_answer_banned": "Removed. In this basic group only a co-admin can add the member again.",
        "removal_answer_kept": "The member stays.",
        "removal_answer_gone": "The member had already left.",
        "removal_answer_failed": "Did not work: {reason}.",
        "remind_flood": "ℹ️ A friendly reminder: this group is for reports. Many messages in a row "
        "make a real report hard to find. House rules: /rules",
        "remind_chatter": "ℹ️ A friendly reminder: this group is for reports only, not for private "
        "conversation. House rules: /rules",
        "remind_photo": "📷 A reminder: share a photo of a suspect only when it is really needed "
        "for the description, and no photos of other people who can be recognised. A description "
        "(height, clothing, number plate) often works just as well.",
    }
)

# --- reports, weekly digest and notices (issue 15) ----------------------------------------
TEXTS.update(
    {
        "report_title": "Neighbourhood-watch report {network}",
        "report_period": "Period {since} to {until} (dates in {zone})",
        "report_made": "Made {moment}; inactive means no activity for {days}.",
        "report_col_slug": "slug",
        "report_col_name": "neighbourhood",
        "report_col_kern": "kern",
        "report_col_raised": "raised",
        "report_col_received": "received",
        "report_col_reports_112": "112 reports",
        "report_col_median_minutes_to_112": "median min. to 112",
        "report_col_duplicates_prevented": "duplicate calls prevented",
        "report_col_warnings": "warnings",
        "report_col_signups": "sign-ups",
        "report_col_admitted": "admitted",
        "report_col_last_activity": "last activity",
        "report_col_inactive": "inactive",
        "report_col_signs": "signs",
        "report_col_vests_eur": "vests (€)",
        "report_regie": "Steering group",
        "report_total": "Total",
        "report_yes": "yes",
        "report_no": "no",
        "report_never": "never",
        "map_title": "Neighbourhood watch in {network}: where are groups?",
        "map_heading": "Map",
        "map_state_active": "active group",
        "map_state_quiet": "group, but quiet (over {days} days)",
        "map_state_none": "no group yet",
        "map_col_buurt": "buurt",
        "map_col_hood": "group",
        "map_col_state": "state",
        "map_col_incidents": "incidents",
        "map_col_chat": "chat",
        "map_public_note": "No group in your buurt yet? Sign up with the bot or the municipality: with enough sign-ups one starts.",
        "report_table": "Per neighbourhood",
        "report_chart_months": "Incidents per month",
        "report_chart_hoods": "Per neighbourhood: raised, received and 112 reports",
        "report_chart_hoods_top": "The {count} busiest of {total} neighbourhoods; every one is in the table.",
        "report_legend_raised": "raised",
        "report_legend_received": "received",
        "report_legend_112": "112 reports",
        "report_inactive_heading": "Inactive neighbourhoods",
        "report_inactive_line": "{name} ({kern}): last activity {last}; {signs}",
        "report_inactive_none": "No neighbourhood is inactive.",
        "report_notes": "Raised: incidents a co-admin tagged up (false alarms that were retracted do not count). "
        "Received: incidents whose alert reached the group. 112 reports and the median: the first report per incident, "
        "counted where it was made, minutes from the alert. Duplicate calls prevented: people told that 112 had already been called. "
        "Activity: an incident raised or received, a 112 report, a sign-up or a message the bot saw.",
        "report_bad_date": "{option} must be a date like 2026-01-31 (got {value}).",
        "digest": "📊 <b>Weekly digest {network}</b> · {since} – {until}\n"
        "Incidents: {incidents} · 112 reports: {reports} · duplicate calls prevented: {duplicates} · new sign-ups: {signups}",
        "digest_busiest": "Most alerts raised: {names}.",
        "digest_quiet": "🔕 Quiet for {days} or more: {names}.",
        "digest_quiet_none": "No neighbourhood has been quiet for {days}.",
        "quiet_notice": "🔕 {place} has been quiet for {days} (last activity: {last}). "
        "An inactive group loses the municipality's support; {signs}.",
        "removed_notice": "⚠️ The bot was removed from the group of {place} (chat id {chat_id}). "
        "Alerts no longer reach it: add the bot again as an administrator.",
        "digest_posted": "Digest queued for the coordinators' group; the running bot sends it.",
        "digest_no_coordinators": "The network file has no [coordinators] group to post the digest to.",
    }
)

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
        "outcome_expired": "⌛ <b>#{number} expired</b>: no news after {hours}.",
        "outcome_retracted": "🗑️ <b>#{number} retracted</b>: a false alarm, the alert was removed.",
    }
)

TEXTS.update(
    {
        # delivery (issue 11): a confirmation edited once its alerts are settled
        "settled_received": "✓ {count} received",
        "settled_missed": "✗ {place}: {reason}",
        "reason_removed": "bot removed",
        "reason_unreachable": "unreachable",
        # a standby took over from a bot that stopped answering (PostgreSQL, issue 29)
        "taken_over_one": "🔁 The bot was taken over by {host} at {time}; 1 message caught up.",
        "taken_over_many": "🔁 The bot was taken over by {host} at {time}; "
        "{count} messages caught up.",
    }
)

# --- issue 28: surveillance rounds (/round) ---
TEXTS.update(
    {
        "round_card_open": "🚶 <b>Round started by {name}, {time}</b>",
        "round_card_planned": "📅 <b>Round planned: {moment}</b>",
        "round_card_meeting": "📍 Meeting point: {meeting}",
        "round_card_note": "📝 {note}",
        "round_card_walkers": "Walking: {names}",
        "round_card_ended": "✅ <b>Round walked</b> · {start}–{end} · {walkers}",
        "round_card_ended_auto": "✅ <b>Round walked</b> · {start}–{end} · {walkers} "
        "(ended by itself)",
        "round_card_cancelled": "📅 The round of {moment} is off: nobody signed up.",
        "round_moment": "{day} {date} at {time}",
        "round_nobody": "nobody yet",
        "count_walkers": "{n} walker|{n} walkers",
        "button_round_join": "🚶 I'm walking",
        "button_round_done": "🏁 Done",
        "round_joined": "You are walking.",
        "round_left": "You are no longer walking.",
        "round_over": "This round is over.",
        "round_done_thanks": "Thank you! The round has ended.",
        "round_done_starter_only": "Only {name}, who started the round, can end it with this "
        "button. Anyone can send /round klaar.",
        "round_only_in_group": "Start a round in your neighbourhood's group, not here.",
        "round_already": "A round is under way, started by {name} at {time}. Walking along? "
        "Press 🚶 I'm walking.",
        "round_none": "No round is under way. Start one with /round.",
        "round_plan_usage": "Plan a round like this: /round plan &lt;day&gt; &lt;time&gt; "
        "[meeting point], for example /round plan saturday 21:00 at the church.",
        "round_plan_bad_day": "‘{word}’ is not a day. Use monday to sunday, today or "
        "tomorrow, for example /round plan saturday 21:00.",
        "round_plan_bad_time": "‘{word}’ is not a time. Write the time as 21:00, for example "
        "/round plan saturday 21:00.",
        "round_plan_past": "That moment has passed. Choose a time still to come.",
        "round_reminder": "⏰ The round of {time} begins in an hour. Walking: {names}.",
        "round_too_few": "Only {walkers} signed up so far; better walk with two at least. "
        "Who joins?",
        "weekday_0": "Monday",
        "weekday_1": "Tuesday",
        "weekday_2": "Wednesday",
        "weekday_3": "Thursday",
        "weekday_4": "Friday",
        "weekday_5": "Saturday",
        "weekday_6": "Sunday",
        "signup_for_hood": "You are signing up for the neighbourhood group <b>{name}</b>.",
        "signup_on_waiting_list": "There is no neighbourhood group for {street} yet. You are "
        "now on the waiting list (sign-up #{id}): once there is a group, you get an invitation. "
        "To leave the list, send /vergeet.",
        "signup_state_waiting": "on the waiting list for {street}",
        "count_residents": "{n} resident|{n} residents",
        "count_waiting_residents": "{n} waiting resident|{n} waiting residents",
        "count_want": "wants|want",
        "count_can": "is ready|are ready",
        "waiting_card_start": "🏘️ <b>{residents} of {street} {want} a neighbourhood "
        "group.</b>\nStart a group for them, put the street under a neighbourhood in the network "
        "file and link the group (/koppel); then you get one card here to admit them all.",
        "waiting_card_admit": "🏘️ <b>{residents} of {street}</b> {can} to join {place}. "
        "Admitting sends each an invitation, as for any sign-up.",
        "waiting_card_admitted": "{card}\n✅ <b>{count} invited</b> to {place} by {by}",
        "waiting_card_held": "{card}\n✋ Not admitted yet, decided by {by}; they stay on the "
        "waiting list.",
        "button_waiting_admit": "✅ Admit them all",
        "button_waiting_hold": "✋ Not yet",
        "waiting_answer_done": "Thank you.",
        "waiting_answer_already": "{by} decided this already.",
        "flyer_title": "Neighbourhood watch {name}",
        "flyer_intro": "Together we look after our neighbourhood. In the Telegram group of "
        "<b>{name}</b> ({kern}) residents warn each other of anything suspicious; the group is "
        "linked with the other neighbourhood-watch groups of {network}.",
        "flyer_saar_heading": "How it works: SAAR",
        "flyer_saar_s": "<b>Spot</b>: see something suspicious? Look closely and remember what "
        "you see.",
        "flyer_saar_a1": "<b>Alert</b>: call 112 in a suspicious situation. No emergency? Call "
        "0900‑8844.",
        "flyer_saar_a2": "<b>App</b>: then tell the group what you saw, and that 112 was called.",
        "flyer_saar_r": "<b>React</b>: only when it is safe.",
        "flyer_rules_heading": "The house rules in short",
        "flyer_rule_who": "You are 18 or older and live or work in the neighbourhood.",
        "flyer_rule_alerts": "The group is for alerts only: no chatting, nothing for sale.",
        "flyer_rule_112": "The group does not replace 112: the police come after a 112 call.",
        "flyer_rule_words": "Mind your words, take no justice into your own hands, keep to the "
        "law.",
        "flyer_rule_photo": "Rather describe what you saw; share a photo of a suspect only when it "
        "is really needed for the description.",
        "flyer_join_heading": "Want to join? Sign up",
        "flyer_join_scan": "Scan the QR code with your phone's camera. Telegram opens a chat "
        "with our bot, which takes your sign-up for {name}: your name, address and phone "
        "number.",
        "flyer_join_check": "After a short check you get a link to join the group.",
        "flyer_join_link": "No QR scanner? Go to {link}",
        "flyer_contact": "Questions? {contact}",
        "flyer_footer": "Neighbourhood watch {network}",
        "report_rounds_heading": "Rounds per neighbourhood per month",
        "report_rounds_none": "No rounds walked in this period.",
        "report_vests_idle_line": "{name} ({kern}): vests (€ {eur}) but no round in the last "
        "60 days",
        "digest_rounds": "🚶 Rounds walked: {names}.",
    }
)

# --- issue 25: sign-up abuse ---
TEXTS.update(
    {
        "signup_card_phone_shared": "📱 ✅ number via Telegram",
        "signup_card_phone_typed": "📱 ⚠️ typed, not checked",
        "signup_card_same_phone": "⚠️ Same phone number as sign-up {ids}",
        "signup_card_same_address": "⚠️ Same address as sign-up {ids}",
        "signup_busy": "⏳ Many sign-ups came in during the last hour. Would you please try "
        "again in an hour with /signup? Sorry for the wait.",
        "signup_busy_kept": "⏳ Many sign-ups came in during the last hour, so your sign-up "
        "has not been sent yet. Your answers are kept for 30 minutes: please press I agree "
        "again later. Sorry for the wait.",
        "signup_slow_down": "⏳ You are sending many messages in a row. I will read along "
        "again in a minute; please send your answer again then.",
    }
)

# --- issue 25: presses on regie cards ---
TEXTS.update(
    {
        "regie_answer_not_member": "Only members of the regiegroep can decide this.",
        "link_answer_gone": "This link request does not exist.",
    }
)

# --- issue 25: /forget while the database file is being read ---
TEXTS.update(
    {
        "forget_pending": "🗑️ Taken out of the bot: {what}. The database file is being read "
        "at this moment (for a report or a backup), so the old data is still in it. As soon "
        "as that reading is done it is overwritten there too; you will hear when.",
        "forget_confirmed": "🗑️ Erased: your data is now gone from the database file too. "
        "Only a count without names is kept.",
    }
)
