# PolicyBot: the same install steps as ./setup.sh, in an image.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
COPY prompts ./prompts
COPY seeds ./seeds
RUN python -m pip install --no-cache-dir .
ENV POLICYBOT_HOME=/data POLICYBOT_SEEDS=/app/seeds POLICYBOT_ROOT=/app POLICYBOT_PROMPTS=/app/prompts
VOLUME /data
RUN policybot ingest /app/seeds
EXPOSE 8000
# API, web page, WeChat/WeCom callbacks and Telegram webhook in one process; configure with POLICYBOT_* variables.
CMD ["policybot", "serve", "--host", "0.0.0.0", "--port", "8000"]
