"""The schema, as numbered migrations. Each runs in one transaction and is recorded (SQLite:
user_version; PostgreSQL: the table schema_migrations)."""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: incidents, their copies and follow-ups, the outbox, run-time chat facts
    (
        """CREATE TABLE incidents (
            number INTEGER PRIMARY KEY AUTOINCREMENT,
            source_slug TEXT,
            source_chat_id INTEGER NOT NULL,
            origin_message_id INTEGER NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            media TEXT,
            note TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'open',
            relayed INTEGER NOT NULL DEFAULT 1,
            created_at REAL NOT NULL,
            flag_at REAL,
            flag_by TEXT,
            flag_place TEXT,
            flag_chat_id INTEGER,
            closing_note TEXT NOT NULL DEFAULT '',
            closed_by TEXT NOT NULL DEFAULT '',
            closed_at REAL
        )""",
        "CREATE INDEX incidents_by_state ON incidents (state, created_at)",
        """CREATE TABLE followups (
            id INTEGER PRIMARY KEY,
            incident INTEGER NOT NULL REFERENCES incidents (number),
            chat_id INTEGER NOT NULL,
            message_id INTEGER NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            media TEXT,
            place TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL
        )""",
        "CREATE INDEX followups_by_incident ON followups (incident)",
        """CREATE TABLE copies (
            chat_id INTEGER NOT NULL,
            message_id INTEGER NOT NULL,
            incident INTEGER NOT NULL REFERENCES incidents (number),
            role TEXT NOT NULL,
            followup INTEGER REFERENCES followups (id),
            PRIMARY KEY (chat_id, message_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX copies_by_incident ON copies (incident, chat_id)",
        # a member's message that replies to a copy: ids only, so that a later /regie or
        # /update on it knows its incident (Telegram does not nest reply_to_message)
        """CREATE TABLE replies (
            chat_id INTEGER NOT NULL,
            message_id INTEGER NOT NULL,
            incident INTEGER NOT NULL REFERENCES incidents (number),
            PRIMARY KEY (chat_id, message_id)
        ) WITHOUT ROWID""",
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            priority INTEGER NOT NULL,
            action TEXT NOT NULL,
            incident INTEGER REFERENCES incidents (number),
            followup INTEGER REFERENCES followups (id),
            payload TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            not_before REAL NOT NULL DEFAULT 0,
            created_at REAL NOT NULL,
            done_at REAL,
            message_id INTEGER,
            error TEXT
        )""",
        "CREATE INDEX outbox_due ON outbox (priority, id) WHERE status = 'pending'",
        "CREATE INDEX outbox_by_incident ON outbox (incident, chat_id)",
        "CREATE TABLE handled (key TEXT PRIMARY KEY, at REAL NOT NULL) WITHOUT ROWID",
        """CREATE TABLE chat_links (
            slug TEXT PRIMARY KEY,
            chat_id INTEGER NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            decided_by TEXT NOT NULL DEFAULT '',
            at REAL NOT NULL
        )""",
        """CREATE TABLE chat_moves (
            old_chat_id INTEGER PRIMARY KEY,
            new_chat_id INTEGER NOT NULL,
            at REAL NOT NULL
        )""",
        """CREATE TABLE chat_notes (
            chat_id INTEGER NOT NULL,
            note TEXT NOT NULL,
            at REAL NOT NULL,
            PRIMARY KEY (chat_id, note)
        ) WITHOUT ROWID""",
        """CREATE TABLE counters (
            day TEXT NOT NULL,
            place TEXT NOT NULL,
            metric TEXT NOT NULL,
            n INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (day, place, metric)
        ) WITHOUT ROWID""",
    ),
    # 2: /koppel requests waiting for a contact person's decision in the regie chat
    (
        """CREATE TABLE link_requests (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            slug TEXT NOT NULL,
            asked_by TEXT NOT NULL DEFAULT '',
            asked_at REAL NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            card_message_id INTEGER,
            decided_by TEXT NOT NULL DEFAULT '',
            decided_at REAL
        )""",
        "CREATE INDEX link_requests_by_chat ON link_requests (chat_id, state)",
    ),
    # 3 (trust): retention (when an incident's text and names were erased), the history of 112
    # reports that were withdrawn (/niet112)
    (
        "ALTER TABLE incidents ADD COLUMN erased_at REAL",
        # the last withdrawn report, shown on every copy until the next report
        "ALTER TABLE incidents ADD COLUMN withdrawn_at REAL",
        "ALTER TABLE incidents ADD COLUMN withdrawn_by TEXT",
        "ALTER TABLE incidents ADD COLUMN withdrawn_place TEXT",
        """CREATE INDEX incidents_to_erase ON incidents (state, closed_at)
            WHERE erased_at IS NULL""",
        """CREATE TABLE flag_withdrawals (
            id INTEGER PRIMARY KEY,
            incident INTEGER NOT NULL REFERENCES incidents (number),
            reported_at REAL NOT NULL,
            reported_by TEXT NOT NULL DEFAULT '',
            reported_place TEXT NOT NULL DEFAULT '',
            reported_chat_id INTEGER,
            withdrawn_at REAL NOT NULL,
            withdrawn_by TEXT NOT NULL DEFAULT '',
            withdrawn_chat_id INTEGER
        )""",
        "CREATE INDEX flag_withdrawals_by_incident ON flag_withdrawals (incident, id)",
        # who was told "112 is al gebeld" about an incident: one answer and one count each
        """CREATE TABLE flag_duplicates (
            incident INTEGER NOT NULL REFERENCES incidents (number),
            user_id INTEGER NOT NULL,
            at REAL NOT NULL,
            PRIMARY KEY (incident, user_id)
        ) WITHOUT ROWID""",
    ),
    # 4: moderation (issue 13): warnings (who, where, when, what kind; never the message),
    # reminders given (once a day / a month), and removal questions with their cards
    (
        """CREATE TABLE warnings (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            member_id INTEGER NOT NULL,
            at REAL NOT NULL,
            kind TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            given_by INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX warnings_by_member ON warnings (chat_id, member_id, at)",
        "CREATE INDEX warnings_by_time ON warnings (at)",
        """CREATE TABLE reminders (
            chat_id INTEGER NOT NULL,
            member_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            at REAL NOT NULL,
            PRIMARY KEY (chat_id, member_id, kind)
        ) WITHOUT ROWID""",
        """CREATE TABLE removal_cards (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            member_id INTEGER NOT NULL,
            member_name TEXT NOT NULL DEFAULT '',
            warnings INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'pending',
            decided_by TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL,
            decided_at REAL
        )""",
        "CREATE INDEX removal_cards_by_member ON removal_cards (chat_id, member_id, state)",
    ),
    # 5: sign-ups (issue 14): the private conversation, the regie card, the admission. Personal
    # data lives in `answers` only, and is erased with the row; counters keep the numbers.
    (
        """CREATE TABLE signups (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'asking',
            step TEXT NOT NULL DEFAULT 'age',
            answers TEXT NOT NULL DEFAULT '{}',
            started_at REAL NOT NULL,
            expires_at REAL,
            submitted_at REAL,
            slug TEXT,
            card_message_id INTEGER,
            decided_by TEXT NOT NULL DEFAULT '',
            decided_at REAL,
            invite_chat_id INTEGER,
            invite_link TEXT,
            invite_expires_at REAL
        )""",
        "CREATE UNIQUE INDEX signups_open ON signups (user_id)"
        " WHERE status IN ('asking', 'pending', 'admitted')",
        "CREATE INDEX signups_by_invite ON signups (invite_chat_id, invite_link)",
        "CREATE INDEX signups_by_status ON signups (status, expires_at)",
    ),
    # 6 (issue 15): when each neighbourhood last showed life, for reports and quiet notices,
    # and which weekly digests went out
    (
        """CREATE TABLE activity (
            slug TEXT PRIMARY KEY,
            watched_since REAL NOT NULL,
            last_at REAL,
            quiet_notice_for REAL
        ) WITHOUT ROWID""",
        """CREATE TABLE digests (
            due_at REAL PRIMARY KEY,
            made_at REAL NOT NULL
        ) WITHOUT ROWID""",
    ),
    # 7 (delivery): a row being sent is marked 'sending' before its call. The worker reads
    # waiting rows in order of urgency from the first index and stops as soon as it has what
    # it hands out; the second finds a chat's next row in one seek.
    (
        "DROP INDEX outbox_due",
        "CREATE INDEX outbox_due ON outbox (status, priority, id)",
        "CREATE INDEX outbox_by_chat ON outbox (status, chat_id, priority, id)",
    ),
    # 8 (delivery): updates are stored before Telegram is told they arrived, and removed
    # once handled (their text never stays)
    (
        """CREATE TABLE inbox (
            update_id INTEGER PRIMARY KEY,
            body TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            received_at REAL NOT NULL
        )""",
        # the newest update ever stored: polling resumes after it
        """CREATE TABLE inbox_offset (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            last_update_id INTEGER NOT NULL
        )""",
    ),
    # 9 (ingest): a getUpdates answer is stored by one INSERT; this keeps the newest update
    # id in the same statement, so the write stays one trip to the database thread
    (
        """CREATE TRIGGER inbox_newest AFTER INSERT ON inbox BEGIN
            INSERT INTO inbox_offset (id, last_update_id) VALUES (1, NEW.update_id)
            ON CONFLICT (id) DO UPDATE
            SET last_update_id = MAX(last_update_id, excluded.last_update_id);
        END""",
    ),
    # 10 (never stuck): an update whose handling failed for good is set aside here, out of
    # the way of the updates behind it, and kept for inspection
    (
        """CREATE TABLE inbox_set_aside (
            update_id INTEGER PRIMARY KEY,
            body TEXT NOT NULL,
            kind TEXT NOT NULL,
            error TEXT NOT NULL,
            set_aside_at REAL NOT NULL
        )""",
    ),
    # 11 (issue 25): alerts get a priority of their own, above answers (they shared one, and
    # an alert waited behind every answer queued before it), and cards one below everything
    # (1 -> 2 and 2 -> 3 make room; see relaybot.domain.intents.Priority)
    (
        "UPDATE outbox SET priority = priority + 1 WHERE priority >= 1",
        "UPDATE outbox SET priority = 1 WHERE action = 'alert'",
        "UPDATE outbox SET priority = 4 WHERE action = 'say' AND (payload LIKE '%\"signup_card\"%'"
        " OR payload LIKE '%\"link_request\"%' OR payload LIKE '%\"removal_card\"%')",
    ),
    # 12: reserved for the third wave's issue 26, which fills it in
    (),
    # 13 (issue 28): surveillance rounds. A round keeps its chat, times, note and number of
    # walkers; who started it and who walk (round_walkers) only while it is planned or walks
    (
        """CREATE TABLE rounds (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            planned_at REAL,
            meeting TEXT NOT NULL DEFAULT '',
            started_at REAL,
            ended_at REAL,
            walkers INTEGER NOT NULL DEFAULT 0,
            note TEXT NOT NULL DEFAULT '',
            starter_id INTEGER,
            starter_name TEXT NOT NULL DEFAULT '',
            reminded INTEGER NOT NULL DEFAULT 0,
            card_message_id INTEGER,
            created_at REAL NOT NULL
        )""",
        "CREATE INDEX rounds_by_chat ON rounds (chat_id, ended_at)",
        "CREATE INDEX rounds_by_start ON rounds (started_at)",
        """CREATE TABLE round_walkers (
            round_id INTEGER NOT NULL REFERENCES rounds (id),
            user_id INTEGER NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            joined_at REAL NOT NULL,
            PRIMARY KEY (round_id, user_id)
        )""",
    ),
    # 14 (issue 28): the waiting list: a sign-up that matched no neighbourhood waits for a
    # group for its street (area); the cards the regiegroep got about an area
    (
        """CREATE TABLE waiting (
            signup_id INTEGER PRIMARY KEY REFERENCES signups (id) ON DELETE CASCADE,
            area TEXT NOT NULL,
            area_name TEXT NOT NULL,
            since REAL NOT NULL
        )""",
        "CREATE INDEX waiting_by_area ON waiting (area)",
        # a resident on the waiting list has an open sign-up: no second one beside it
        "DROP INDEX signups_open",
        "CREATE UNIQUE INDEX signups_open ON signups (user_id)"
        " WHERE status IN ('asking', 'pending', 'admitted', 'waiting')",
        """CREATE TABLE waiting_cards (
            id INTEGER PRIMARY KEY,
            area TEXT NOT NULL,
            slug TEXT NOT NULL DEFAULT '',
            residents INTEGER NOT NULL,
            made_at REAL NOT NULL,
            decided_by TEXT NOT NULL DEFAULT '',
            decided_at REAL,
            UNIQUE (area, slug)
        )""",
    ),
)

# The PostgreSQL form of a migration that PostgreSQL cannot run as written for SQLite (every
# other one is translated by `postgres.ddl`: types, row ids, WITHOUT ROWID).
POSTGRES: dict[int, tuple[str, ...]] = {
    # 9: a trigger runs a function there
    9: (
        """CREATE FUNCTION inbox_newest() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO inbox_offset (id, last_update_id) VALUES (1, NEW.update_id)
            ON CONFLICT (id) DO UPDATE
            SET last_update_id = GREATEST(inbox_offset.last_update_id, excluded.last_update_id);
            RETURN NULL;
        END $$""",
        """CREATE TRIGGER inbox_newest AFTER INSERT ON inbox
            FOR EACH ROW EXECUTE FUNCTION inbox_newest()""",
    ),
}
