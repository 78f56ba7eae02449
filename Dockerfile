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
# The network file can be baked in (this copy) or mounted over /app/config/network.toml.
COPY config ./config
# The database folder is the bot's alone (the bot creates its files 0600)
RUN mkdir -p /app/data && chown relaybot:relaybot /app/data && chmod 0700 /app/data

USER relaybot
VOLUME ["/app/data"]

# Healthy while the bot's outbox worker is alive and touching its heartbeat file.
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s --retries=3 CMD ["relaybot", "health"]
CMD ["relaybot", "run"]
