FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    RELAYBOT_DATABASE=/app/data/relaybot.sqlite3 \
    RELAYBOT_NETWORK_FILE=/app/config/network.toml

RUN useradd --create-home --uid 10001 relaybot
WORKDIR /app
COPY pyproject.toml README.md ./
COPY relaybot ./relaybot
RUN pip install --no-cache-dir . && rm -rf /root/.cache
# The example and the 112 patterns; your own network file is mounted over
# /app/config/network.toml (see compose.yaml); .dockerignore keeps it and .env out.
COPY config ./config
RUN mkdir -p /app/data && chown relaybot:relaybot /app/data

USER relaybot
VOLUME ["/app/data"]
# the webhook server (RELAYBOT_WEBHOOK_PORT), used only when RELAYBOT_WEBHOOK_URL is set
EXPOSE 8443

# Healthy while the bot's outbox worker is alive and touching its heartbeat file. `relaybot
# health` has an exit code per state; Docker wants 0 or 1 (2 is reserved), hence the `|| exit 1`.
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s --retries=3 \
    CMD ["sh", "-c", "relaybot health || exit 1"]
CMD ["relaybot", "run"]
