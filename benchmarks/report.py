"""The results table and RESULTS.md."""

from __future__ import annotations

import datetime
from typing import Any

from benchmarks.common import percentile

INGEST_TARGET = 0.8
FANOUT_TARGET = 1.10
DUE_TARGET_MS = 5.0
FLAG_TARGET_MS = 250.0
RSS_TARGET_MB = 150.0


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    ing, fan, flag = r["ingest"], r["fanout"], r["flag"]
    rss = max(m["rss_peak_mb"] for m in r["memory"])
    per_1000 = r["memory"][0]["db_bytes_per_1000"]
    return [
        (
            "ingest: relaybot / bare PTB (updates/s)",
            f"{ing['relay_median']:.0f} / {ing['bare_median']:.0f}; "
            f"median per-round ratio {ing['ratio_median']:.2f} (middle half of "
            f"{len(ing['ratios'])} rounds: {percentile(ing['ratios'], 25):.2f}–"
            f"{percentile(ing['ratios'], 75):.2f})",
            f"≥ {INGEST_TARGET}",
            _mark(ing["ratio_median"] >= INGEST_TARGET),
        ),
        (
            f"fan-out: 1 alert to {fan['runs'][0]['targets']} chats, limits on, "
            f"{fan.get('round_trip', 0) * 1000:.0f} ms round trip, 4 in flight",
            f"{fan['seconds_median']:.2f} s vs bound {fan['bound_median']:.2f} s = "
            f"{fan['ratio_median']:.3f}×, 429s: {fan['429_total']}",
            f"≤ {FANOUT_TARGET}×, 0 × 429",
            _mark(fan["ratio_max"] <= FANOUT_TARGET and fan["429_total"] == 0 and fan["complete"]),
        ),
        (
            f"outbox read per dispatch, {r['due']['rows']:,} rows waiting",
            f"median {r['due']['median_ms']:.2f} ms, p95 {r['due']['p95_ms']:.2f} ms",
            f"< {DUE_TARGET_MS:.0f} ms",
            _mark(r["due"]["p95_ms"] < DUE_TARGET_MS),
        ),
        (
            f"112 propagation, 7 chats ({flag['incidents']} incidents)",
            f"median {flag['median_ms']:.0f} ms, p95 {flag['p95_ms']:.0f} ms",
            f"p95 < {FLAG_TARGET_MS:.0f} ms",
            _mark(flag["p95_ms"] < FLAG_TARGET_MS),
        ),
        *_flood_rows(r),
        (
            "peak RSS, 2,000 hoods, 100,000 copies",
            f"{rss:.1f} MB",
            f"< {RSS_TARGET_MB:.0f} MB",
            _mark(rss < RSS_TARGET_MB),
        ),
        (
            "database size per 1,000 incidents (10 copies each)",
            f"{per_1000 / 1024 / 1024:.2f} MiB",
            "—",
            "(reported)",
        ),
    ]


def _flood_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    flood = r.get("flood")
    if not flood:  # results from before this measurement existed
        return []
    return [
        (
            f"112 propagation while {flood['chatter']:,} chatter messages and "
            f"{flood['commands']} commands arrive ({flood['incidents']} incidents)",
            f"median {flood['median_ms']:.0f} ms, p95 {flood['p95_ms']:.0f} ms, "
            f"429s: {flood['429']}",
            f"p95 < {FLAG_TARGET_MS:.0f} ms",
            _mark(flood["p95_ms"] < FLAG_TARGET_MS and flood["429"] == 0),
        )
    ]


def _flood_section(r: dict[str, Any], host_cores: str = "?") -> list[str]:
    flood = r.get("flood")
    if not flood:
        return []
    lines = [
        "## 3b. 112 propagation under a flood",
        "",
        "As section 3 (seven chats hold each incident, limits on; the bot in a process of its "
        f"own), but around each press {flood['chatter']:,} ordinary messages and "
        f"{flood['commands']} commands (`/help`, `/meldingen`, `/buren`) from the residents and "
        "co-admins of all seven chats arrive, posted at a steady pace over "
        f"{flood.get('flood_seconds', 2):g} s with the press half-way; two incidents per "
        "fresh emulator and bot. Answers that are not alerts may use at most half of a group's "
        "budget and of the overall one, and all sends in flight but one, so the 112 edits and "
        "notices find room and a free slot at once; while one of them waits no new answer "
        "starts, so the slots the answers give back go to them.",
        "",
        f"median {flood['median_ms']:.1f} ms, p95 {flood['p95_ms']:.1f} ms, max "
        f"{flood['max_ms']:.1f} ms over {flood['incidents']} incidents; 429s: {flood['429']}. "
        "All (ms): " + ", ".join(f"{x:.0f}" for x in flood["ms"]),
        "",
    ]
    if flood.get("control_median_ms") is not None:
        lines += [
            f"Measured {flood.get('measured', '')}. Control, measured right before on the same "
            "machine: section 3 without a flood "
            f"gave median {flood['control_median_ms']:.0f} ms, p95 "
            f"{flood['control_p95_ms']:.0f} ms (load average {flood['load_before']:.1f} on "
            f"{host_cores} cores when it started).",
            "",
        ]
    return lines


def table(r: dict[str, Any]) -> str:
    header = ("measurement", "result (median)", "target", "")
    lines = [header, *rows(r)]
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    out = []
    for index, line in enumerate(lines):
        out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def _md_table(header: list[str], body: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def render(r: dict[str, Any], host: dict[str, str], began: datetime.datetime, command: str) -> str:
    ing, fan, flag, mem, br = (
        r["ingest"],
        r["fanout"],
        r["flag"],
        r["memory"],
        r["ingest_breakdown"],
    )
    plan = r["plan"]
    parts = [
        "# relaybot benchmarks",
        "",
        f"- date: {began.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- command: `{command}` (from the repository root, venv Python)",
        f"- machine: {host['cpu']}, {host['cores']} cores, {host['ram']} RAM, "
        f"Python {host['python']}, {host['os']}",
        "- wall time per part: " + ", ".join(f"{k} {v:.0f} s" for k, v in r["timings"].items()),
        *(
            [
                f"- CPU this process got while spinning for 0.5 s, before and after the run: "
                f"{r['cpu_share_before']:.0%} / {r['cpu_share_after']:.0%} (below 100%: the "
                "host's other tenants take part of the CPU, and every figure below is slower)"
            ]
            if "cpu_share_before" in r
            else []
        ),
        *(
            [
                f"- a fixed loop of 2 million additions, before and after the run: "
                f"{r['loop_ms_before']:.0f} ms / {r['loop_ms_after']:.0f} ms (the host's speed "
                "of the moment: this shared one changes by up to 2x within minutes)"
            ]
            if "loop_ms_before" in r
            else []
        ),
        "",
        "## Summary",
        "",
        _md_table(
            ["measurement", "result (median)", "target", "status"],
            [list(row) for row in rows(r)],
        ),
        "",
        "## 1. Ingest",
        "",
        f"Bursts of {ing['updates']} ordinary group messages (no commands, no tags; about one "
        "in eight a reply to an earlier message, about one in ten a question that mentions 112) "
        f"from {ing.get('crowd', 1)} residents in each of the example network's groups (so that "
        "nobody crosses the flood limit of 10 a minute: that would be a flood, answered with a "
        "reminder, not ordinary chatter), queued at once in the emulator; each bot long-polls "
        "them in batches of 100 from a child process of its own. Time from the last one queued "
        "to the last one processed. The two bots take turns: in each of "
        f"{ing.get('sessions', plan['ingest_runs'])} sessions both are started (with an "
        "emulator each), warmed up and measured "
        f"{ing.get('rounds', 1)} times in turn, alternating which goes first; only one works at "
        "a time. A round's two turns are a second or two apart, so a machine that is slower "
        "for a while (this shared one varies by up to 2x over seconds) slows both figures of a "
        "round alike; the result is the median of the per-round ratios. The bot is measured "
        "once its start-up checks are done.",
        "",
        _md_table(
            ["round", "relaybot (updates/s)", "bare PTB (updates/s)", "ratio"],
            [
                [str(i + 1), f"{a:.0f}", f"{b:.0f}", f"{c:.2f}"]
                for i, (a, b, c) in enumerate(
                    zip(ing["relay_per_s"], ing["bare_per_s"], ing["ratios"], strict=True)
                )
            ],
        ),
        "",
        f"CPU share of the bot process during the measurement: relaybot "
        f"{ing['relay_busy']:.0%}, bare {ing['bare_busy']:.0%} (the bot's own process; "
        "near 100% when the bot sets the pace and the host gives it a whole CPU).",
        "",
        "Where relaybot's time per update goes (in-process, same updates, µs per update): "
        f"decoding the JSON into PTB objects {br['decode_us']:.0f} (the bare app pays this "
        f"too), matching against all registered handlers {br['match_us']:.0f}, running the "
        f"matching handlers {br['handle_us']:.0f}. By kind of message (median µs per "
        f"handler call): bind_context {br.get('handle_bind_context_us', 0):.0f}, plain "
        f"chatter {br.get('handle_plain_us', 0):.0f}, reply to a message "
        f"{br.get('handle_reply_us', 0):.0f} ({br.get('share_reply', 0):.0%} of updates), "
        f"chatter the 112 patterns classify as an intent "
        f"{br.get('handle_112-intent_us', 0):.0f} ({br.get('share_112-intent', 0):.0%}); "
        f"pattern classification alone {br['classify_us']:.0f} µs per message. Database "
        f"round trips account for about {br['mean_db_us']:.0f} µs per update on average.",
        "",
        "## 2. Fan-out",
        "",
        "A resident's message in the `hub` of `write_big_network(60, hub=True)` tagged "
        "`/regie` by the co-admin; emulator with Telegram's limits on (30 messages/s overall, "
        "20/min per group); a fresh emulator and bot per run (empty windows); Telegram "
        f"answers each call {fan.get('round_trip', 0) * 1000:.0f} ms after carrying it out; "
        "4 sends in flight. Time from the first alert the emulator carried out to the last; "
        "bound = (messages carried out in that time − 1) / 30 per second. End to end (from "
        "queueing the `/regie`, which adds fetching the update and the co-admin check, each a "
        "round trip) in the last column.",
        "",
        _md_table(
            [
                "run",
                "alerts",
                "messages",
                "time (s)",
                "bound (s)",
                "ratio",
                "429s",
                "end to end (s)",
            ],
            [
                [
                    str(i + 1),
                    f"{x['alerts']}/{x['targets']}",
                    str(x["messages"]),
                    f"{x['seconds']:.3f}",
                    f"{x['bound']:.3f}",
                    f"{x['ratio']:.3f}",
                    str(x["429"]),
                    f"{x.get('end_to_end', x['seconds']):.3f}",
                ]
                for i, x in enumerate(fan["runs"])
            ],
        ),
        "",
        f"Telegram answers each call {fan.get('round_trip', 0) * 1000:.0f} ms after carrying it "
        "out. The same fan-out with each `RELAYBOT_MAX_IN_FLIGHT` setting (median of "
        f"{plan.get('in_flight_runs', 1)} runs): a crash (SIGKILL, power loss) can duplicate at "
        "most as many alerts as are in flight, never more than one in a chat; a stop "
        "(SIGTERM) or a full disk duplicates none.",
        "",
        _md_table(
            ["sends in flight", "time (s)", "ratio to the bound", "429s", "worst-case duplicates"],
            [
                [
                    str(x["in_flight"]),
                    f"{x['seconds_median']:.2f}",
                    f"{x['ratio_median']:.2f}",
                    str(x["429_total"]),
                    str(x["worst_duplicates"]),
                ]
                for x in r.get("fanout_in_flight", [])
            ],
        ),
        "",
        "How a call is counted in the rate window decides this figure. Telegram counts a call "
        "when it receives it, between the send and the answer. Counted from the answer (safe, "
        "the first version), each window of 30 lasted 1.02 s plus a round trip: 1.13× the "
        "bound. Counted from the send, a request slow on its way out meets a 429. The bot "
        "counts from the answer moved back by half the fastest round trip it has seen: the "
        "way back takes at least that long on a route whose two ways are alike, so the window "
        "never ends before Telegram's, however slow a request was on its way out (a unit test "
        "sends calls randomly slow on the way out and checks Telegram's own arrival times). "
        "More slots do not help from 4 on (8 is no faster): the windows set the pace.",
        "",
        "## 3. The outbox read per dispatch",
        "",
        f"{r['due']['rows']:,} rows waiting over {r['due']['chats']:,} chats (one in ten "
        "postponed, a quarter at 112 priority); each dispatch asks for the next row of up to "
        "4 idle chats while 4 others are busy, as the worker does (here through aiosqlite's "
        "thread; the worker makes the same reads inline on the read-only connection, which "
        "saves the two thread hand-offs). Rows are read in order of "
        "urgency through the index `outbox_due (status, priority, id)` and reading stops once "
        f"enough are found. {r['due']['dispatches']} dispatches: median "
        f"{r['due']['median_ms']:.2f} ms, p95 {r['due']['p95_ms']:.2f} ms, "
        f"{r['due']['rows_per_dispatch']:.1f} rows handed out each.",
        "",
        "## 4. 112 propagation",
        "",
        "A network of a source neighbourhood adjacent to five others, plus the regiegroep: "
        "seven chats hold each incident. Each incident is tagged and delivered; one window "
        "(1.1 s) later a co-admin in an adjacent neighbourhood presses “Ik heb 112 gebeld”. "
        "Time from queueing the press to the emulator recording the last of the edits and "
        "notices (every alert copy shows “112 gebeld om”, every chat has its notice). Limits "
        "on; six incidents per fresh stage (each costs a group three of its 20 messages a "
        "minute). No 429 was answered (the run fails otherwise).",
        "",
        f"median {flag['median_ms']:.1f} ms, p95 {flag['p95_ms']:.1f} ms, max "
        f"{flag['max_ms']:.1f} ms over {flag['incidents']} incidents. All (ms): "
        + ", ".join(f"{x:.0f}" for x in flag["ms"]),
        "",
        "Rows the real bot stored per flagged 7-chat incident: "
        + ", ".join(f"{k} {v:.1f}" for k, v in flag["rows_per_incident"].items())
        + ".",
        "",
        *_flood_section(r, host["cores"]),
        "## 6. Memory and database size",
        "",
        "`write_big_network(2000)`; a database migrated by the bot's own code and filled with "
        "10,000 closed incidents × 10 copies (the original and nine alerts, regie included) "
        "and their 9 delivered outbox rows each; the bot alone in a child process against "
        "the emulator in the parent, handling "
        f"{mem[0]['tags']} tags; peak RSS from `getrusage(RUSAGE_SELF).ru_maxrss` in the child.",
        "",
        _md_table(
            ["run", "copies", "RSS after start (MB)", "peak RSS after tags (MB)", "sent"],
            [
                [
                    str(i + 1),
                    f"{m['copies']:,}",
                    f"{m['rss_started_mb']:.1f}",
                    f"{m['rss_peak_mb']:.1f}",
                    str(m["messages_sent"]),
                ]
                for i, m in enumerate(mem)
            ],
        ),
        "",
        f"Database (file + WAL after `wal_checkpoint(TRUNCATE)`): "
        f"{mem[0]['db_bytes'] / 1024 / 1024:.1f} MiB for 10,000 incidents, "
        f"{mem[0]['db_bytes_per_1000'] / 1024 / 1024:.2f} MiB per 1,000 incidents of 10 "
        "copies. The real bot stores more rows per flagged incident than this fill (see "
        "section 3: notices and confirmations are copies too, and every edit and notice "
        "has an outbox row); scaled by rows, a flagged 7-chat incident costs about "
        f"{_scaled(mem[0]['db_bytes_per_1000'], flag['rows_per_incident']) / 1024 / 1024:.2f}"
        " MiB per 1,000.",
        "",
    ]
    return "\n".join(parts) + "\n" + analysis(r)


def _scaled(per_1000: float, real_rows: dict[str, float]) -> float:
    fill = 10 + 9  # copies + outbox rows per incident in the fill
    real = real_rows.get("copies", 0) + real_rows.get("outbox", 0)
    return per_1000 * real / fill


def analysis(r: dict[str, Any]) -> str:
    """Why a target was missed and what would close it; notes on method."""
    ing, br = r["ingest"], r["ingest_breakdown"]
    out = ["## Misses: by how much, why, what would close them", ""]
    if ing["ratio_median"] < INGEST_TARGET:
        out += [
            f"**Ingest: {ing['ratio_median']:.2f} of the bare application against ≥ "
            f"{INGEST_TARGET}** — short by {INGEST_TARGET - ing['ratio_median']:.2f}: "
            f"relaybot takes {1 / ing['ratio_median']:.2f}× the bare application's time per "
            f"update, the target allows {1 / INGEST_TARGET:.2f}×.",
            "",
            "Where the difference is: not in the inbox. With every handler taken out (updates "
            "still fetched, stored in the inbox before they are confirmed, counted as handled "
            "and deleted), relaybot keeps pace with the bare application (the same time beyond "
            "decoding per update, about 90 µs on this machine in its slower phases): the write "
            "of a batch runs on the database thread while python-telegram-bot decodes the same "
            "answer. The difference is the work every group message gets: the house-rules "
            "screen (flood count, blocked words, the chatter patterns), the 112 patterns, a "
            "look-up for a reply, the sign of life for the reports, and python-telegram-bot's "
            "dispatch to the handler, together "
            f"{br['handle_us'] + br['match_us']:.0f} µs per update in process against "
            f"{br['decode_us']:.0f} µs of decoding that both applications pay.",
            "",
            "Counted in instructions (callgrind, the whole bot process, 1,000 chatter "
            "updates, 2026-12-05): relaybot's main thread spends 1.30 million per update "
            "where the bare application spends 1.17 million (0.91); its database thread "
            "spends another 53,000 beside it, mostly SQLite reading the JSON of the stored "
            "batch. The time ratio comes out lower than 0.91: the database thread takes a "
            "share of the two CPUs, and a larger process misses its caches more often.",
            "",
            "What would close it: the three text checks (112 patterns about 29,000 "
            "instructions per message, blocked words 13,000, chatter 16,000, after their "
            "quick first looks) in one pass of a compiled multi-word matcher (none in the "
            "standard library: a dependency); storing a getUpdates answer as one row, so "
            "SQLite does not read its JSON (worth 0.01–0.03 in earlier trials).",
            "",
        ]
    else:
        out += ["None: every target is met.", ""]
    out += [
        "## Notes on method",
        "",
        "- This host is shared and its speed changes by up to 2× within minutes (compare runs "
        "by the loop time in the header). On a slow stretch every latency here grows and the "
        "ingest ratio drops (relaybot's database thread then competes with its main thread "
        "for the CPU the host gives): the same code measured on such a stretch is in the "
        "commit history of this file.",
        "- The emulator's `UpdateQueue._confirm` used to be quadratic in the queue length "
        "(with 2,000 queued updates it capped both apps at ~650 updates/s); it is linear now, "
        "so the bot, not the emulator, sets the pace of the ingest benchmark.",
        "- Ingest runs each bot in its own process so the emulator (the load generator) does "
        "not share its event loop or CPU with the bot; the other measurements use "
        "`relaybot.sandbox.stage.open_stage` in one process, as the end-to-end tests do.",
        "- The bot's own limiter (`relaybot/telegram/ratelimit.py`) enforces 20 messages a "
        "minute per group even when the emulator's limits are off, so benchmarks that need "
        "many incidents spread them over fresh stages.",
        "- The fan-out bound counts the messages actually sent up to the last alert; under a "
        "sliding window the first 30 go at once, so the true minimum for 61 messages is just "
        "over 2.0 s, and the bot's 2% window margin puts it at about 2.04 s.",
        "- Ingest history: first measured at 0.48 of the bare application. The causes found "
        "then (write transactions for chatter that needed none, ~20 separate regex searches "
        "per message, three trips to aiosqlite's thread per read, a costly negative handler "
        "filter) were fixed in the bot; the decisive step was answering 'is this reply to a "
        "copy?' and 'does this chat hold an open incident?' inline on a read-only sqlite3 "
        "connection, and dropping chatter before building any values for it.",
        "",
    ]
    return "\n".join(out)
