# syntax=docker/dockerfile:1
# stockd runs its TypeScript sources directly (Node 24 strips types): no build step, only the
# production dependencies (lmdb and msgpackr ship prebuilt native binaries for linux-x64/arm64).

FROM node:24-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-slim
# Listening on every address needs API keys: set STOCKD_API_KEYS, or mount a file of them and
# point STOCKD_API_KEYS_FILE at it (docker-compose.yml mounts deploy/api-keys as a secret).
# Without either the container refuses to start, unless STOCKD_AUTH=off says that a proxy in
# front of it authenticates every request.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    STOCKD_DATA_DIR=/data
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY migrations ./migrations
# The Kafka contract, served at /asyncapi.
COPY docs/asyncapi.yaml ./docs/asyncapi.yaml
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# SIGTERM drains in-flight requests and closes the log cleanly (exit 0).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "src/main.ts", "serve"]
