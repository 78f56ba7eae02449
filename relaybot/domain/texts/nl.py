"""Nederlandse teksten (de standaard)."""

TEXTS: dict[str, str] = {
    "and": "en",
    "nobody": "niemand",
    "continued": "<i>(vervolg)</i>",
    "regie_short": "regiegroep",
    "regie": "de regiegroep",
    "alert_header": "🚨 <b>Melding #{number}</b> · {place}",
    "alert_author": "👤 {author}",
    "alert_note": "📝 Beheerder: {note}",
    "flag_none": "☎️ 112: nog niet gebeld",
    "flag_done": "☎️ <b>112 gebeld om {time} door {name} ({place})</b>",
    "button_112": "☎️ Ik heb 112 gebeld",
    "state_resolved": "✅ <b>Afgehandeld</b>",
    "state_resolved_note": "✅ <b>Afgehandeld:</b> {note}",
    "state_expired": "⌛ <b>Verlopen</b> (geen nieuws na {hours})",
    "followup_header": "↪️ <b>Aanvulling op #{number}</b> · {place}",
    "tag_done": "✅ Melding #{number} is doorgestuurd naar {targets}.",
    "tag_unlinked": "Nog zonder groep, dus niet bereikt: {names}.",
    "tag_radius": "📍 Binnen {metres} m van de plek, dus ook bereikt: {names}.",
    "followup_done": "✅ Aanvulling op #{number} is doorgestuurd naar {groups}.",
    "refuse_not_co_admin": "⛔ Alleen beheerders van deze groep kunnen een melding doorsturen.",
    "refuse_no_reply": "ℹ️ Gebruik /regie als antwoord op het bericht dat u wilt doorsturen.",
    "refuse_already": "ℹ️ Dit bericht hoort al bij melding #{number}.",
    "refuse_not_neighbourhood": "⛔ /regie werkt alleen in een buurtgroep van het netwerk.",
    "refuse_followup_not_allowed": "⛔ Alleen beheerders en de regiegroep kunnen aanvullingen doorsturen.",
    "refuse_closed": "ℹ️ Melding #{number} is al {state}.",
    "unknown_group": "ℹ️ Deze groep hoort niet bij het netwerk {network}. "
    "Een beheerder kan hem koppelen met /koppel &lt;buurt&gt;.",
    "regie_unknown_group": "ℹ️ De bot is toegevoegd aan een groep die niet bij het netwerk hoort: "
    "{title} (chat-id {chat_id}), toegevoegd door {added_by}.",
    "regie_unknown_group_adder_unknown": "ℹ️ De bot zit in een groep die niet bij het netwerk "
    "hoort: {title} (chat-id {chat_id}); onbekend wie de bot heeft toegevoegd.",
    "flag_notice": "☎️ <b>112 is gebeld</b> om {time} door {name} ({place}). "
    "Niet nog eens bellen; nieuws graag hier melden.",
    "already_called": "☎️ 112 is al gebeld om {time} door {name}. Niet nog eens bellen.",
    "already_called_alert": "112 is al gebeld om {time} door {name}. Niet nog eens bellen.",
    "flag_thanks": "Dank u wel! Iedereen ziet nu dat 112 gebeld is.",
    "flag_usage": "ℹ️ Gebruik /112 als antwoord op de melding. Open meldingen hier: {candidates}.",
    "flag_no_incident": "ℹ️ Er is hier geen recente open melding. "
    "Gebruik /112 als antwoord op het bericht over de situatie.",
    "incident_closed_alert": "Melding #{number} is al {state}.",
    "state_word_resolved": "afgehandeld",
    "state_word_expired": "verlopen",
    "state_word_retracted": "ingetrokken",
    "resolve_done": "✅ Melding #{number} is afgehandeld.",
    "refuse_resolve": "⛔ Alleen beheerders van een groep met deze melding en de regiegroep "
    "kunnen een melding afhandelen.",
    "refuse_retract": "⛔ Alleen beheerders van de groep waar de melding begon en de regiegroep "
    "kunnen een melding intrekken.",
    "retract_done": "🗑️ Melding #{number} is ingetrokken: loos alarm. "
    "De bot heeft {messages} verwijderd.",
    "retract_done_blanked": "🗑️ Melding #{number} is ingetrokken: loos alarm. "
    "De bot heeft {messages} verwijderd; {blanked} "
    "(Telegram staat verwijderen dan niet meer toe).",
    "retract_missed_one": "1 bericht kon de bot niet bereiken (verwijderd uit die groep, of "
    "Telegram weigerde); dat staat er nog.",
    "retract_missed_many": "{count} berichten kon de bot niet bereiken (verwijderd uit die "
    "groepen, of Telegram weigerde); die staan er nog.",
    "copy_retracted": "🗑️ <i>Melding #{number} is ingetrokken: loos alarm.</i>",
    # the command is named in the language's own words (the English aliases in English)
    "need_reply_update": "ℹ️ Gebruik /update als antwoord op een bericht van een melding.",
    "need_reply_unflag": "ℹ️ Gebruik /niet112 als antwoord op een bericht van een melding.",
    "need_reply_resolve": "ℹ️ Gebruik /afgehandeld als antwoord op een bericht van een melding.",
    "need_reply_retract": "ℹ️ Gebruik /intrekken als antwoord op een bericht van een melding.",
    "incidents_none": "Er zijn hier geen open meldingen.",
    "incidents_header": "<b>Open meldingen</b>",
    "incidents_line": "#{number} · {place} · {time} · {flag} — {text}",
    "incidents_flag_yes": "112 gebeld",
    "incidents_flag_no": "112 nog niet gebeld",
    "help_neighbourhood": "<b>relaybot</b> · {place}\n"
    "/regie — (beheerder, als antwoord) meld dit bij de regiegroep en de buren\n"
    "/update — (als antwoord op een melding) stuur een aanvulling door\n"
    "/112 — meld dat 112 gebeld is\n"
    "/niet112 — (als antwoord) trek een onjuiste 112-melding in\n"
    "/afgehandeld — (als antwoord) sluit een melding af\n"
    "/intrekken — (als antwoord) trek een loos alarm in\n"
    "/meldingen — open meldingen in deze groep\n"
    "/buren — welke buurten grenzen hieraan\n"
    "/ronde — start een surveillanceronde (/ronde klaar, /ronde plan zaterdag 21:00)\n"
    "/regels — de huisregels\n"
    "/waarschuw [reden] — (beheerder, als antwoord) waarschuw een lid\n"
    "/vergeef — (beheerder, als antwoord) trek de laatste waarschuwing in\n"
    "/waarschuwingen — (beheerder, als antwoord) de waarschuwingen van een lid\n"
    "/help — dit overzicht",
    "help_regie": "<b>relaybot</b> · regiegroep {network}\n"
    "/doorsturen [buren|alle|kern|buurt …] — (als antwoord) stuur een melding of eigen bericht door naar buurten\n"
    "/buren &lt;buurt&gt; — welke buurten grenzen aan een buurt\n"
    "/update — (als antwoord op een melding) stuur een aanvulling door\n"
    "/112 — meld dat 112 gebeld is\n"
    "/niet112 — (als antwoord) trek een onjuiste 112-melding in\n"
    "/afgehandeld — (als antwoord) sluit een melding af\n"
    "/intrekken — (als antwoord) trek een loos alarm in\n"
    "/meldingen — alle open meldingen\n"
    "/regels — de huisregels\n"
    "/help — dit overzicht",
    "help_other": "<b>relaybot</b> · netwerk {network}\n"
    "/meldingen — open meldingen\n"
    "/koppel &lt;buurt&gt; — (beheerder, in een nieuwe buurtgroep) koppel deze groep aan het netwerk\n"
    "/regels — de huisregels\n"
    "/help — dit overzicht",
    "help_private": "<b>relaybot</b> verbindt de buurtpreventiegroepen van {network}.\n"
    "/aanmelden — meld u aan voor de groep van uw buurt\n"
    "/stop — stop met aanmelden\n"
    "/vergeet — wis uw aanmeldgegevens\n"
    "/regels — de huisregels\n"
    "/help — dit overzicht",
}
TEXTS["regie_chat_refused"] = (
    "⚠️ De bot kan niet meer posten in {place} (chat-id {chat_id}): verwijderd of geblokkeerd. "
    "Meldingen gaan daar niet meer heen tot een beheerder de bot terugzet."
)
TEXTS.update(
    {
        # /doorsturen
        "refuse_forward_not_regie": "⛔ /doorsturen werkt alleen in de regiegroep.",
        "forward_usage": "ℹ️ Gebruik /doorsturen als antwoord op een melding, met als doel: niets of buren, "
        "een of meer buurten, een kern, of alle.",
        "forward_usage_new": "ℹ️ Dit bericht is nog geen melding. Zeg waarheen: "
        "/doorsturen &lt;buurten, kern of alle&gt;.",
        "refuse_forward_unknown": "⛔ Onbekend doel: {names}. Er is niets doorgestuurd.",
        "forward_done": "✅ Melding #{number} is doorgestuurd naar {targets}.",
        "forward_none": "ℹ️ Melding #{number} is naar geen nieuwe groep doorgestuurd.",
        "forward_skipped": "Overgeslagen (had hem al): {names}.",
        "forward_unlinked": "Nog zonder groep: {names}.",
        # /buren
        "buren_line": "🏘️ Buren van {place}: {names}.",
        "buren_none": "🏘️ {place} heeft geen buren in het netwerk.",
        "buren_usage": "ℹ️ Gebruik in deze groep /buren &lt;buurt&gt;, bijvoorbeeld /buren {example}.",
        "buren_unknown": "⛔ Het netwerk kent geen buurt {slug}.",
        "buren_unlinked": "{place} (nog geen groep)",
        # /koppel
        "link_usage": "ℹ️ Gebruik /koppel &lt;buurt&gt; met de korte naam van de buurt uit het netwerk, "
        "bijvoorbeeld /koppel goor-oost.",
        "refuse_link_private": "⛔ /koppel werkt alleen in een groep.",
        "refuse_link_member": "ℹ️ Deze groep hoort al bij het netwerk.",
        "refuse_link_not_co_admin": "⛔ Alleen beheerders van deze groep kunnen hem koppelen.",
        "refuse_link_unknown": "⛔ Het netwerk kent geen buurt {slug}.",
        "refuse_link_in_file": "⛔ {name} heeft al een groep in het netwerkbestand; die gaat voor.",
        "refuse_link_taken": "⛔ {name} is al gekoppeld aan een andere groep.",
        "refuse_link_pending": "ℹ️ Het verzoek van deze groep ligt al bij de regiegroep.",
        "link_asked": "✅ Uw verzoek om deze groep te koppelen aan {name} ligt nu bij de regiegroep.",
        "link_card": "🔗 <b>Koppelverzoek #{id}</b>\nGroep: {title} (chat-id {chat_id})\n"
        "Buurt: {place}\nGevraagd door: {by}",
        "button_link_ok": "✅ Koppelen",
        "button_link_no": "❌ Afwijzen",
        "link_card_approved": "{card}\n✅ <b>Gekoppeld</b> door {by}",
        "link_card_declined": "{card}\n❌ <b>Afgewezen</b> door {by}",
        "link_card_void": "{card}\n⛔ <b>Niet gekoppeld</b>: {reason}",
        "link_welcome": "👋 Deze groep is nu de buurtpreventiegroep van {place} in het netwerk {network}.\n"
        "Huisregels (SAAR): <b>S</b>ignaleer · <b>A</b>larmeer 112 · <b>A</b>pp de groep · "
        "<b>R</b>eageer alleen als het veilig is. Laat hier weten dat 112 gebeld is, "
        "zodat niet iedereen opnieuw belt.\n"
        "Nieuwe buren kunnen zich aanmelden via {signup_link}",
        "link_declined": "ℹ️ De regiegroep heeft het verzoek om deze groep te koppelen aan {name} afgewezen.",
        "link_answer_approved": "Gekoppeld.",
        "link_answer_declined": "Afgewezen.",
        "link_answer_already": "Dit verzoek is al behandeld door {by}.",
    }
)
TEXTS["forward_nothing"] = "ℹ️ Dit bericht heeft geen tekst of foto om door te sturen."
TEXTS["incidents_more"] = "… en nog {more}."

# counted phrases: 'singular|plural', {n} the number as the language writes it (Texts.count)
TEXTS.update(
    {
        "count_days": "{n} dag|{n} dagen",
        "count_hours": "{n} uur|{n} uur",
        "count_groups": "{n} groep|{n} groepen",
        "count_messages": "{n} bericht|{n} berichten",
        "count_messages_blanked": "{n} bericht was ouder dan 48 uur en is leeggemaakt"
        "|{n} berichten waren ouder dan 48 uur en zijn leeggemaakt",
        "count_open_incidents": "{n} open melding|{n} open meldingen",
        "count_warnings": "{n} waarschuwing|{n} waarschuwingen",
        "count_signs_removed": "{n} attentiebord wordt weggehaald"
        "|{n} attentieborden worden weggehaald",
        "count_signs_taken_down": "het attentiebord zou worden weggehaald"
        "|de {n} attentieborden zouden worden weggehaald",
    }
)

# --- sign-up (issue 14): private conversation, regie card, admission, /vergeet ---------------
TEXTS.update(
    {
        "button_yes": "Ja",
        "button_no": "Nee",
        "button_agree": "Akkoord",
        "button_no_match": "Verder zonder buurt",
        "button_share_location": "📍 Deel mijn locatie",
        "signup_ask_address_or_location": "Wat is uw adres (straat en huisnummer)? U kunt ook uw locatie delen met de knop hieronder: dan zoekt de bot uw buurt op de kaart. Uw locatie wordt niet bewaard.",
        "signup_location_outside": "Die plek ligt in geen van de buurten van dit netwerk. Typ uw straat en huisnummer, dan kijkt de regiegroep mee.",
        "signup_location_unasked": "Een locatie is nu niet nodig. Beantwoord de vraag hierboven.",
        "button_share_phone": "📱 Deel mijn nummer",
        "button_admit": "Toelaten",
        "button_other": "Andere buurt",
        "button_decline": "Afwijzen",
        "button_back": "↩️ Terug",
        "signup_ask_age": "👋 Fijn dat u wilt meedoen met buurtpreventie {network}!\n"
        "Eerst een paar vragen; stoppen kan altijd met /stop.\n\n"
        "Bent u 18 jaar of ouder, en woont of werkt u in {network}?",
        "signup_age_again": "Antwoord met {yes} of {no}.",
        "signup_said_no": "Dank u voor uw belangstelling. De buurtpreventiegroepen zijn er voor volwassenen "
        "die in de buurt wonen of werken, dus aanmelden kan helaas niet. Er is niets van u bewaard.",
        "signup_ask_name": "Wat is uw naam (voor- en achternaam)?",
        "signup_name_invalid": "Schrijf uw naam in {low} tot {high} tekens, met letters.",
        "signup_ask_address": "Wat zijn uw straat en huisnummer? Bijvoorbeeld: Grotestraat 12 of Hoogstraat 3a.",
        "signup_address_invalid": "Schrijf eerst de straat en dan het huisnummer, bijvoorbeeld: Grotestraat 12.",
        "signup_choose": "{address} ligt in meer dan één buurt. Welke is de uwe?",
        "signup_choose_again": "Kies uw buurt met een van de knoppen.",
        "signup_unmatched": "We vinden de straat van {address} niet in de straatlijsten van de buurten. "
        "Typ uw adres nog eens, of kies ‘Verder zonder buurt’: dan kiest de regiegroep uw buurt.",
        "signup_unmatched_hint": "We vinden de straat van {address} niet in de straatlijsten van de buurten. "
        "Bedoelt u {hint}? Typ uw adres nog eens, of kies ‘Verder zonder buurt’: dan kiest de regiegroep uw buurt.",
        "signup_ask_phone": "Wat is uw mobiele nummer? Druk op de knop om uw nummer te delen, "
        "of typ het (bijvoorbeeld 06 12345678).",
        "signup_phone_invalid": "Dat is geen geldig telefoonnummer. Typ een Nederlands nummer "
        "(06 12345678) of een internationaal nummer met + (+32 470 12 34 56).",
        "signup_contact_not_own": "Dat is niet uw eigen nummer. Deel uw eigen nummer met de knop, of typ het.",
        "signup_contact_unasked": "Uw telefoonnummer komt straks; beantwoord eerst deze vraag.",
        "signup_ask_rules": "Tot slot de huisregels van de groepen:\n"
        "• U bent 18 of ouder en woont of werkt in de buurt van de groep.\n"
        "• Werk volgens SAAR: <b>S</b>ignaleer · <b>A</b>larmeer 112 · <b>A</b>pp de groep · "
        "<b>R</b>eageer alleen als het veilig is.\n"
        "• Laat in de groep weten dat 112 gebeld is, zodat niet iedereen opnieuw belt.\n"
        "• Geen vloeken, schelden of discrimineren; speel geen eigen rechter.\n"
        "• Deel een foto van een verdachte alleen als die echt nodig is voor het signalement; "
        "beschrijf liever wat u zag.\n"
        "• De groep is alleen voor meldingen, niet voor onderling contact.\n"
        "Wie zich niet aan de regels houdt, kan uit de groep worden verwijderd.\n\nGaat u akkoord?",
        "signup_rules_again": "Druk op {agree} om uw aanmelding te versturen, of stop met /stop.",
        "signup_submitted": "✅ Dank u! Uw aanmelding #{id} ligt nu bij de regiegroep. "
        "U hoort het hier zodra er een besluit is.",
        "signup_stopped": "Aanmelden gestopt. Wat u had ingevuld, is gewist.",
        "signup_nothing_to_stop": "Er loopt geen aanmelding. Aanmelden kan met /aanmelden.",
        "signup_expired": "⌛ Uw aanmelding is gestopt omdat er 30 minuten geen antwoord kwam; "
        "wat u had ingevuld, is gewist. Begin opnieuw met /aanmelden.",
        "signup_resume": "U bent al bezig met aanmelden; hier is de vraag nog een keer.",
        "signup_refuse_open": "ℹ️ U hebt al een aanmelding: #{id}, {state}. "
        "Een tweede aanmelding kan pas als deze is afgerond.",
        "signup_state_pending": "in behandeling bij de regiegroep",
        "signup_state_admitted": "toegelaten tot {place}; de uitnodiging staat hierboven",
        "signup_waiting": "ℹ️ Uw aanmelding #{id} is {state}.",
        "signup_stop_waiting": "ℹ️ Uw aanmelding #{id} is {state}. Intrekken en uw gegevens wissen kan met /vergeet.",
        "signup_private_only": "ℹ️ Aanmelden gaat in een privégesprek met de bot: {link}",
        "signup_idle": "Wilt u zich aanmelden voor de buurtpreventiegroep in uw buurt? Stuur /aanmelden.",
        "signup_card": "📝 <b>Aanmelding #{id}</b>\nNaam: {name}\nAdres: {address}\n"
        "Telefoon: {phone}\nBuurt: {place}",
        "signup_card_unmatched": "geen match: kies ‘Andere buurt’",
        "signup_card_pick_kern": "{card}\n\n<b>Andere buurt</b>: kies eerst de kern.",
        "signup_card_pick_hood": "{card}\n\n<b>Andere buurt</b>: kies de buurt.",
        "signup_card_admitted": "{card}\n✅ <b>Toegelaten</b> tot {place} door {by}",
        "signup_card_declined": "{card}\n❌ <b>Afgewezen</b> door {by}",
        "signup_card_joined": "{card}\n✅ <b>Toegelaten</b> tot {place} door {by}\n👥 Via de uitnodiging lid geworden.",
        "signup_card_erased": "📝 <b>Aanmelding #{id}</b>\n🗑️ De bewoner heeft de gegevens laten wissen (/vergeet).",
        "signup_answer_admitted": "Toegelaten.",
        "signup_answer_declined": "Afgewezen.",
        "signup_answer_already": "Deze aanmelding is al behandeld door {by}.",
        "signup_answer_gone": "Deze aanmelding bestaat niet meer.",
        "signup_answer_no_chat": "{place} heeft nog geen groep. Kies een andere buurt.",
        "signup_answer_no_link": "De bot kon geen uitnodiging maken voor {place}. "
        "Geef de bot daar het recht om gebruikers uit te nodigen en probeer het opnieuw.",
        "signup_invite_name": "Aanmelding #{id}",
        "signup_admitted": "🎉 U bent toegelaten tot de buurtpreventiegroep {place}!\n"
        "Vraag toegang met deze link; hij is 72 uur geldig en alleen voor u: {link}\n"
        "De bot keurt uw verzoek dan meteen goed.",
        "signup_declined": "De regiegroep kan uw aanmelding #{id} helaas niet plaatsen.",
        "signup_contact_line": "Vragen? Neem contact op met de gemeente: {contact}",
        "signup_joined": "👋 Welkom in {place}! Uw aanmelding is afgerond.",
        "signup_regie_stranger": "⚠️ Aanmelding #{id}: iemand anders dan de aangemelde bewoner gebruikte "
        "de uitnodiging voor {place}. Dat verzoek is geweigerd.",
        "forget_done": "🗑️ Gewist: {what}. Alleen een telling zonder naam blijft bewaard.",
        "forget_nothing": "Er was niets van u bewaard.",
        "forget_what_signup": "aanmelding #{id} met uw naam, adres en telefoonnummer",
        "forget_what_messages": "{messages} met uw gegevens in de verzendwachtrij",
    }
)

# issue 12 (trust): /niet112, answers, /buren outside the network
TEXTS.update(
    {
        "flag_withdrawn": "↩️ Eerdere 112-melding ingetrokken om {time} door {name} ({place})",
        "unflag_notice": "↩️ <b>112 is nog niet gebeld</b> bij melding #{number}: de melding "
        "dat 112 gebeld was is om {time} ingetrokken door {name} ({place}). Bel 112 bij gevaar "
        "en meld het dan hier.",
        "refuse_unflag": "⛔ Alleen een beheerder van een groep met deze melding, of de "
        "regiegroep, kan een 112-melding intrekken.",
        "unflag_nothing": "ℹ️ Bij melding #{number} is 112 nog niet als gebeld gemeld: er is "
        "niets in te trekken.",
        "buren_outside": "ℹ️ /buren werkt alleen in de groepen van het netwerk.",
    }
)

# --- huisregels en moderatie (issue 13) ------------------------------------------------------
TEXTS.update(
    {
        "rules_show": "📜 {rules}",
        "rules_missing": "📜 <b>Huisregels (SAAR)</b>: <b>S</b>ignaleer · <b>A</b>larmeer 112 · "
        "<b>A</b>pp de groep · <b>R</b>eageer alleen als het veilig is.",
        "welcome_burst": "👋 Welkom in de buurtpreventiegroep {place}! Hier melden we verdachte "
        "situaties volgens SAAR: <b>S</b>ignaleer · <b>A</b>larmeer 112 · <b>A</b>pp de groep · "
        "<b>R</b>eageer alleen als het veilig is. Laat weten dat 112 al gebeld is, en houd de groep "
        "voor meldingen. Alle huisregels: /regels",
        "warn_blocklist": "⚠️ <b>Waarschuwing {count} van {max}</b>: let op uw woorden, "
        "niet vloeken, schelden of discrimineren (huisregel). Huisregels: /regels",
        "warn_manual": "⚠️ <b>Waarschuwing {count} van {max}</b> van een beheerder: {reason}. "
        "Huisregels: /regels",
        "warn_manual_plain": "⚠️ <b>Waarschuwing {count} van {max}</b> van een beheerder. "
        "Huisregels: /regels",
        "unwarn_done": "✅ De laatste waarschuwing is ingetrokken; er tellen er nu {count} van {max}.",
        "unwarn_none": "ℹ️ Dit lid heeft geen waarschuwingen die nog tellen.",
        "warnings_list": "📋 <b>Waarschuwingen die tellen: {count} van {max}</b> "
        "(van de laatste {days})\n{lines}",
        "warnings_line": "• {date}: {what}",
        "warnings_what_blocklist": "taalgebruik (geblokkeerd woord)",
        "warnings_what_manual": "door een beheerder",
        "warnings_none": "📋 Dit lid heeft geen waarschuwingen die tellen (van de laatste {days}).",
        "refuse_mod_not_co_admin": "⛔ Alleen beheerders van deze groep kunnen dit.",
        "refuse_mod_no_reply": "ℹ️ Gebruik dit commando als antwoord op een bericht van het lid.",
        "refuse_mod_no_reply_warn": "ℹ️ Gebruik /waarschuw als antwoord op een bericht van het lid.",
        "refuse_mod_no_reply_unwarn": "ℹ️ Gebruik /vergeef als antwoord op een bericht van het lid.",
        "refuse_mod_no_reply_warnings": "ℹ️ Gebruik /waarschuwingen als antwoord op een bericht van het lid.",
        "refuse_mod_not_neighbourhood": "⛔ Waarschuwingen horen bij een buurtgroep van het netwerk.",
        "refuse_mod_exempt_co_admin": "ℹ️ Beheerders krijgen geen waarschuwingen.",
        "refuse_mod_exempt_bot": "ℹ️ Bots krijgen geen waarschuwingen.",
        "refuse_mod_exempt_anonymous_admin": "ℹ️ Een bericht namens de groep (een anonieme beheerder) krijgt geen waarschuwing.",
        "refuse_mod_exempt_channel": "ℹ️ Een bericht namens een kanaal krijgt geen waarschuwing: de afzender is onbekend.",
        "refuse_mod_exempt_unknown": "ℹ️ Van dit bericht is de afzender onbekend; er komt geen waarschuwing.",
        "removal_card": "🚪 <b>Verwijderen uit {place}?</b>\n{name} heeft {warnings} "
        "(grens: {max}). Alleen een beheerder van {place} die leden mag verwijderen, beslist.",
        "button_remove": "🚪 Verwijderen",
        "button_keep": "✋ Niet verwijderen",
        "removal_card_removed": "{card}\n🚪 <b>Verwijderd</b> door {by}. Terugkomen kan alleen via een nieuwe aanmelding.",
        "removal_card_banned": "{card}\n🚪 <b>Verwijderd</b> door {by}. Dit is een basisgroep: daar kan de bot een verwijdering niet ongedaan maken. Mag het lid terug, dan voegt een beheerder het weer toe.",
        "removal_card_kept": "{card}\n✋ <b>Niet verwijderd</b>: besluit van {by}.",
        "removal_card_gone": "{card}\nℹ️ <b>Niet nodig</b>: het lid had de groep al verlaten (gezien door {by}).",
        "removal_card_failed": "{card}\n⛔ <b>Niet verwijderd</b>: {reason}",
        "removal_card_withdrawn": "{card}\n↩️ <b>Vervallen</b>: {by} trok een waarschuwing in.",
        "removal_failed_admin": "het lid is inmiddels beheerder",
        "removal_failed_rights": "de bot mag in deze groep geen leden verwijderen",
        "removal_answer_denied": "Alleen een beheerder van deze buurtgroep die leden mag verwijderen, kan hierover beslissen.",
        "removal_answer_already": "Hierover is al beslist door {by}.",
        "removal_answer_removed": "Verwijderd.",
        "removal_answer_banned": "Verwijderd. In deze basisgroep kan alleen een beheerder het lid weer toevoegen.",
        "removal_answer_kept": "Het lid blijft in de groep.",
        "removal_answer_gone": "Het lid had de groep al verlaten.",
        "removal_answer_failed": "Niet gelukt: {reason}.",
        "remind_flood": "ℹ️ Even ter herinnering: deze groep is voor meldingen. Veel berichten "
        "achter elkaar maken een echte melding moeilijk te vinden. Huisregels: /regels",
        "remind_chatter": "ℹ️ Even ter herinnering: deze groep is alleen voor meldingen, niet voor "
        "onderlinge gesprekken. Huisregels: /regels",
        "remind_photo": "📷 Ter herinnering: deel een foto van een verdachte alleen als die echt "
        "nodig is voor het signalement, en geen foto's van andere herkenbare mensen. Een beschrijving "
        "(lengte, kleding, kenteken) werkt vaak net zo goed.",
    }
)

# --- rapportage, weekoverzicht en meldingen (issue 15) -----------------------------------
TEXTS.update(
    {
        "report_title": "Rapportage buurtpreventie {network}",
        "report_period": "Periode {since} t/m {until} (datums in {zone})",
        "report_made": "Gemaakt {moment}; inactief betekent: {days} geen activiteit.",
        "report_col_slug": "slug",
        "report_col_name": "buurt",
        "report_col_kern": "kern",
        "report_col_raised": "doorgezet",
        "report_col_received": "ontvangen",
        "report_col_reports_112": "112-meldingen",
        "report_col_median_minutes_to_112": "mediaan min. tot 112",
        "report_col_duplicates_prevented": "dubbele 112-oproepen voorkomen",
        "report_col_warnings": "waarschuwingen",
        "report_col_signups": "aanmeldingen",
        "report_col_admitted": "toegelaten",
        "report_col_last_activity": "laatste activiteit",
        "report_col_inactive": "inactief",
        "report_col_signs": "borden",
        "report_col_vests_eur": "hesjes (€)",
        "report_regie": "Regiegroep",
        "report_total": "Totaal",
        "report_yes": "ja",
        "report_no": "nee",
        "report_never": "nooit",
        "map_title": "Buurtpreventie in {network}: waar zijn groepen?",
        "map_heading": "Kaart",
        "map_state_active": "actieve groep",
        "map_state_quiet": "groep, maar stil (langer dan {days} dagen)",
        "map_state_none": "nog geen groep",
        "map_col_buurt": "buurt",
        "map_col_hood": "groep",
        "map_col_state": "stand",
        "map_col_incidents": "meldingen",
        "map_col_chat": "chat",
        "map_public_note": "Is er nog geen groep in uw buurt? Meld u aan bij de bot of bij de gemeente: bij genoeg aanmeldingen start er een.",
        "report_table": "Per buurt",
        "report_chart_months": "Meldingen per maand",
        "report_chart_hoods": "Per buurt: doorgezet, ontvangen en 112-meldingen",
        "report_chart_hoods_top": "De {count} drukste van {total} buurten; alle buurten staan in de tabel.",
        "report_legend_raised": "doorgezet",
        "report_legend_received": "ontvangen",
        "report_legend_112": "112-meldingen",
        "report_inactive_heading": "Inactieve buurten",
        "report_inactive_line": "{name} ({kern}): laatste activiteit {last}; {signs}",
        "report_inactive_none": "Geen enkele buurt is inactief.",
        "report_notes": "Doorgezet: meldingen die een beheerder naar de regiegroep stuurde (ingetrokken vals alarm telt niet). "
        "Ontvangen: meldingen waarvan het bericht de groep bereikte. 112-meldingen en de mediaan: de eerste melding per incident, "
        "geteld waar die gedaan werd, in minuten na het bericht. Dubbele oproepen voorkomen: mensen die hoorden dat 112 al gebeld was. "
        "Activiteit: een melding doorgezet of ontvangen, een 112-melding, een aanmelding of een bericht dat de bot zag.",
        "report_bad_date": "{option} moet een datum zijn zoals 2026-01-31 (niet {value}).",
        "digest": "📊 <b>Weekoverzicht {network}</b> · {since} – {until}\n"
        "Meldingen: {incidents} · 112-meldingen: {reports} · dubbele oproepen voorkomen: {duplicates} · nieuwe aanmeldingen: {signups}",
        "digest_busiest": "Meeste meldingen doorgezet: {names}.",
        "digest_quiet": "🔕 Al {days} of langer stil: {names}.",
        "digest_quiet_none": "Geen buurt is {days} stil geweest.",
        "quiet_notice": "🔕 {place} is al {days} stil (laatste activiteit: {last}). "
        "Een inactieve groep verliest de steun van de gemeente; {signs}.",
        "removed_notice": "⚠️ De bot is verwijderd uit de groep van {place} (chat-id {chat_id}). "
        "Meldingen komen daar niet meer aan: voeg de bot opnieuw toe als beheerder.",
        "digest_posted": "Weekoverzicht klaargezet voor de coördinatorengroep; de draaiende bot verstuurt het.",
        "digest_no_coordinators": "Het netwerkbestand heeft geen [coordinators]-groep om het weekoverzicht naar te sturen.",
    }
)

# --- issue 16: start-up checks (posted once to the regiegroep; `relaybot check` prints them) ---
TEXTS.update(
    {
        "preflight_header": "⚠️ <b>relaybot kan niet alles doen wat het moet doen.</b> "
        "Graag oplossen (de bot controleert het bij elke start opnieuw):",
        "preflight_privacy": "Groepsprivacy staat aan: de bot ziet gewone berichten niet, dus ook "
        'geen "112 gebeld". Oplossen: open @BotFather, stuur /setprivacy, kies de bot en kies '
        "Disable. Verwijder daarna de bot uit elke groep en voeg hem opnieuw toe: pas dan geldt "
        "de nieuwe instelling. (Of maak de bot beheerder in elke groep.)",
        "preflight_missing": "{place} (chat id {chat_id}): de bot zit niet in deze groep. "
        "Voeg de bot toe en maak hem beheerder.",
        "preflight_not_admin": "{place} (chat id {chat_id}): de bot is geen beheerder. Maak hem "
        "beheerder met de rechten berichten verwijderen, vastzetten, uitnodigen via link en "
        "leden beperken.",
        "preflight_rights": "{place} (chat id {chat_id}): de bot mist het recht {rights}. Geef "
        "het hem in de groepsinstellingen onder Beheerders.",
        "preflight_ok": "Alles in orde: de bot leest alle berichten en heeft overal de rechten "
        "die hij gebruikt.",
        "place_regie": "Regiegroep",
        "place_coordinators": "Coördinatorengroep",
        "right_delete": "berichten verwijderen",
        "right_pin": "berichten vastzetten",
        "right_invite": "gebruikers uitnodigen via link",
        "right_restrict": "leden beperken",
    }
)

# --- issue 16: outcome notices (one per chat that held the incident) ---
TEXTS.update(
    {
        "outcome_resolved": "✅ <b>#{number} afgehandeld.</b>",
        "outcome_resolved_note": "✅ <b>#{number} afgehandeld:</b> {note}",
        "outcome_expired": "⌛ <b>#{number} verlopen</b>: geen nieuws na {hours}.",
        "outcome_retracted": "🗑️ <b>#{number} ingetrokken</b>: loos alarm, de melding is "
        "verwijderd.",
    }
)

TEXTS.update(
    {
        # delivery (issue 11): a confirmation edited once its alerts are settled
        "settled_received": "✓ {count} ontvangen",
        "settled_missed": "✗ {place}: {reason}",
        "reason_removed": "bot verwijderd",
        "reason_unreachable": "niet bereikbaar",
        # a standby took over from a bot that stopped answering (PostgreSQL, issue 29)
        "taken_over_one": "🔁 De bot is overgenomen door {host} om {time}; 1 melding ingehaald.",
        "taken_over_many": "🔁 De bot is overgenomen door {host} om {time}; "
        "{count} meldingen ingehaald.",
    }
)

# --- issue 28: surveillance rounds (/ronde) ---
TEXTS.update(
    {
        "round_card_open": "🚶 <b>Ronde gestart door {name}, {time}</b>",
        "round_card_planned": "📅 <b>Ronde gepland: {moment}</b>",
        "round_card_meeting": "📍 Verzamelen: {meeting}",
        "round_card_note": "📝 {note}",
        "round_card_walkers": "Lopen mee: {names}",
        "round_card_ended": "✅ <b>Ronde gelopen</b> · {start}–{end} · {walkers}",
        "round_card_ended_auto": "✅ <b>Ronde gelopen</b> · {start}–{end} · {walkers} "
        "(vanzelf beëindigd)",
        "round_card_cancelled": "📅 De ronde van {moment} gaat niet door: niemand meldde zich aan.",
        "round_moment": "{day} {date} om {time}",
        "round_nobody": "nog niemand",
        "count_walkers": "{n} loper|{n} lopers",
        "button_round_join": "🚶 Ik loop mee",
        "button_round_done": "🏁 Klaar",
        "round_joined": "U loopt mee.",
        "round_left": "U loopt niet meer mee.",
        "round_over": "Deze ronde is al voorbij.",
        "round_done_thanks": "Dank u! De ronde is beëindigd.",
        "round_done_starter_only": "Alleen {name}, die de ronde startte, kan hem met deze "
        "knop beëindigen. Iedereen kan /ronde klaar sturen.",
        "round_only_in_group": "Een ronde start u in de groep van uw buurt, niet hier.",
        "round_already": "Er loopt al een ronde, gestart door {name} om {time}. Loopt u mee? "
        "Druk dan op 🚶 Ik loop mee.",
        "round_none": "Er loopt nu geen ronde. Start er een met /ronde.",
        "round_plan_usage": "Plan een ronde zo: /ronde plan &lt;dag&gt; &lt;tijd&gt; "
        "[verzamelpunt], bijvoorbeeld /ronde plan zaterdag 21:00 bij de kerk.",
        "round_plan_bad_day": "‘{word}’ is geen dag. Gebruik maandag tot en met zondag, "
        "vandaag of morgen, bijvoorbeeld /ronde plan zaterdag 21:00.",
        "round_plan_bad_time": "‘{word}’ is geen tijd. Schrijf de tijd als 21:00, "
        "bijvoorbeeld /ronde plan zaterdag 21:00.",
        "round_plan_past": "Dat moment is al voorbij. Kies een tijd die nog komt.",
        "round_reminder": "⏰ Over een uur begint de ronde van {time}. Lopen mee: {names}.",
        "round_too_few": "Er hebben zich pas {walkers} aangemeld; loop liefst met minstens "
        "twee. Wie loopt er mee?",
        "weekday_0": "maandag",
        "weekday_1": "dinsdag",
        "weekday_2": "woensdag",
        "weekday_3": "donderdag",
        "weekday_4": "vrijdag",
        "weekday_5": "zaterdag",
        "weekday_6": "zondag",
        "signup_for_hood": "U meldt zich aan voor de buurtgroep <b>{name}</b>.",
        "signup_on_waiting_list": "Voor de {street} is er nog geen buurtgroep. U staat nu op "
        "de wachtlijst (aanmelding #{id}): zodra er een groep is, krijgt u een uitnodiging. "
        "Wilt u van de lijst af? Stuur /vergeet.",
        "signup_state_waiting": "op de wachtlijst voor de {street}",
        "count_residents": "{n} bewoner|{n} bewoners",
        "count_waiting_residents": "{n} wachtende bewoner|{n} wachtende bewoners",
        "count_want": "wil|willen",
        "count_can": "kan|kunnen",
        "waiting_card_start": "🏘️ <b>{residents} van de {street} {want} een buurtgroep.</b>\n"
        "Start een groep voor hen, zet de straat bij een buurt in het netwerkbestand en koppel "
        "de groep (/koppel); dan krijgt u hier één kaartje om hen allemaal toe te laten.",
        "waiting_card_admit": "🏘️ <b>{residents} van de {street}</b> {can} nu naar {place}. "
        "Toelaten stuurt ieder een uitnodiging, zoals bij een gewone aanmelding.",
        "waiting_card_admitted": "{card}\n✅ <b>{count} uitgenodigd</b> voor {place} door {by}",
        "waiting_card_held": "{card}\n✋ Nog niet toegelaten, besloten door {by}; zij blijven "
        "op de wachtlijst.",
        "button_waiting_admit": "✅ Allemaal toelaten",
        "button_waiting_hold": "✋ Nog niet",
        "waiting_answer_done": "Dank u.",
        "waiting_answer_already": "Hierover besliste {by} al.",
        "flyer_title": "Buurtpreventie {name}",
        "flyer_intro": "Samen letten we op onze buurt. In de Telegram-groep van <b>{name}</b> "
        "({kern}) waarschuwen bewoners elkaar bij iets verdachts; de groep is verbonden met de "
        "andere buurtpreventiegroepen van {network}.",
        "flyer_saar_heading": "Zo werkt het: SAAR",
        "flyer_saar_s": "<b>Signaleer</b>: ziet u iets verdachts? Kijk goed en onthoud wat u ziet.",
        "flyer_saar_a1": "<b>Alarmeer</b>: bel 112 bij een verdachte situatie. Geen spoed? "
        "Bel 0900‑8844.",
        "flyer_saar_a2": "<b>App</b>: meld daarna in de groep wat u zag, en dat 112 al gebeld is.",
        "flyer_saar_r": "<b>Reageer</b>: alleen als het veilig kan.",
        "flyer_rules_heading": "De huisregels in het kort",
        "flyer_rule_who": "U bent 18 jaar of ouder en woont of werkt in de buurt.",
        "flyer_rule_alerts": "De groep is alleen voor meldingen: geen gesprekken of verkoop.",
        "flyer_rule_112": "De groep vervangt 112 niet: de politie komt na een melding bij 112.",
        "flyer_rule_words": "Let op uw woorden, speel geen eigen rechter en houd u aan de wet.",
        "flyer_rule_photo": "Beschrijf liever wat u zag; deel een foto van een verdachte alleen als "
        "die echt nodig is voor het signalement.",
        "flyer_join_heading": "Meedoen? Meld u aan",
        "flyer_join_scan": "Scan de QR-code met de camera van uw telefoon. Telegram opent een "
        "gesprek met onze bot, die uw aanmelding voor {name} opneemt: uw naam, adres en "
        "telefoonnummer.",
        "flyer_join_check": "Na een korte controle krijgt u een link om lid te worden van de "
        "groep.",
        "flyer_join_link": "Geen QR-scanner? Ga naar {link}",
        "flyer_contact": "Vragen? {contact}",
        "flyer_footer": "Buurtpreventie {network}",
        "report_rounds_heading": "Rondes per buurt per maand",
        "report_rounds_none": "Geen rondes gelopen in deze periode.",
        "report_vests_idle_line": "{name} ({kern}): hesjes (€ {eur}), maar geen ronde in de "
        "laatste 60 dagen",
        "digest_rounds": "🚶 Rondes gelopen: {names}.",
    }
)

# --- issue 25: sign-up abuse (formal "u" to residents) ---
TEXTS.update(
    {
        "signup_card_phone_shared": "📱 ✅ nummer via Telegram",
        "signup_card_phone_typed": "📱 ⚠️ getypt, niet gecontroleerd",
        "signup_card_same_phone": "⚠️ Zelfde telefoonnummer als aanmelding {ids}",
        "signup_card_same_address": "⚠️ Zelfde adres als aanmelding {ids}",
        "signup_busy": "⏳ Er zijn het afgelopen uur veel aanmeldingen binnengekomen. "
        "Wilt u het over een uur opnieuw proberen met /aanmelden? Excuses voor het wachten.",
        "signup_busy_kept": "⏳ Er zijn het afgelopen uur veel aanmeldingen binnengekomen, "
        "daarom is uw aanmelding nog niet verstuurd. Uw antwoorden blijven 30 minuten bewaard: "
        "drukt u later nog eens op Akkoord. Excuses voor het wachten.",
        "signup_slow_down": "⏳ U stuurt veel berichten kort na elkaar. Ik lees over een "
        "minuut weer mee; stuurt u dan uw antwoord opnieuw.",
    }
)

# --- issue 25: presses on regie cards ---
TEXTS.update(
    {
        "regie_answer_not_member": "Alleen leden van de regiegroep kunnen hierover beslissen.",
        "link_answer_gone": "Dit koppelverzoek bestaat niet.",
    }
)

# --- issue 25: /vergeet while the database file is being read ---
TEXTS.update(
    {
        "forget_pending": "🗑️ Uit de bot gehaald: {what}. Het databasebestand wordt op dit "
        "moment nog gelezen (voor een rapport of een back-up), daarom staan de oude gegevens "
        "er nog in. Zodra dat lezen klaar is, worden ze ook daar overschreven; u krijgt dan "
        "bericht.",
        "forget_confirmed": "🗑️ Gewist: uw gegevens zijn nu ook uit het databasebestand "
        "verdwenen. Alleen een telling zonder naam blijft bewaard.",
    }
)
