# The base image is pinned by version; bump it (and re-run the tests) for security updates.
FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    RELAYBOT_DATABASE=/app/data/relaybot.sqlite3 \
    RELAYBOT_NETWORK_FILE=/app/config/network.toml

RUN useradd --create-home --uid 10001 relaybot
WORKDIR /app
# Exactly the locked versions, each checked against its hash (python3 .ci/lock.py makes the
# lock); then relaybot itself without resolving anything again.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY relaybot ./relaybot
RUN pip install --no-cache-dir --no-deps . && rm -rf /root/.cache
# No config/ in the image: the defaults (rules, blocklist, patterns) ship inside the package,
# and your config folder (network.toml and any rules*.md, blocklist.txt, patterns.toml of your
# own) is mounted over /app/config (see compose.yaml); .dockerignore keeps it and .env out.
# The database folder is the bot's alone (the bot creates its files 0600)
RUN mkdir -p /app/data && chown relaybot:relaybot /app/data && chmod 0700 /app/data

USER relaybot
VOLUME ["/app/data"]
# the webhook server (RELAYBOT_WEBHOOK_PORT), used only when RELAYBOT_WEBHOOK_URL is set
EXPOSE 8443

# Healthy while the bot's outbox worker is alive and touching its heartbeat file. `relaybot
# health` has an exit code per state; Docker wants 0 or 1 (2 is reserved), hence the `|| exit 1`.
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s --retries=3 \
    CMD ["sh", "-c", "relaybot health || exit 1"]
CMD ["relaybot", "run"]
