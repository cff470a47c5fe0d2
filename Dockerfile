# The gateway's image. The first stage installs the production dependencies and bundles the
# sources with esbuild (`npm run build`, a runtime dependency: the demo page is bundled with it
# too); the second runs the bundle as the unprivileged `node` user. The bundle starts with about
# 100 MB less memory than the sources under tsx (`npm start`, for development).
#
#   docker build -t payments-gateway .
#   docker run -p 4000:4000 -p 4001-4006:4001-4006 -e SANDBOX_PORT=4001 payments-gateway
#
# Configuration is the environment (README "Configuration"); docker-compose.yml adds Redis.

FROM node:20-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim
# A container's interfaces are its own: what reaches it is what `docker run -p` publishes. Without
# this, a sandbox-mode gateway would listen on the container's loopback only (README "HOST").
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=dependencies --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json package-lock.json tsconfig.json ./
COPY --chown=node:node src ./src
COPY --from=dependencies --chown=node:node /app/dist ./dist
USER node
# 4000: GraphQL (HTTP, SSE, graphql-ws), webhooks, /health, /metrics. 4001-4006: the provider
# sandboxes (Intergiro, Pei, Intershop, Dintero API, Dintero checkout, Payway), whose pages a
# browser must reach: built in when SANDBOX=1 and SANDBOX_PORT=4001, or as their own service
# with `node --enable-source-maps dist/sandboxes-main.mjs` (docker-compose.yml).
EXPOSE 4000 4001 4002 4003 4004 4005 4006
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# What `npm run start:built` runs, as one node process: SIGTERM from `docker stop` reaches the
# gateway itself, which drains and exits 0 (npm would sit in between). src/ stays beside dist/
# for the demo page's sources (sandbox mode).
CMD ["node", "--enable-source-maps", "dist/main.mjs"]
