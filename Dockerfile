# The gateway's image. `npm start` runs the TypeScript sources through tsx (a runtime dependency),
# so there is no build step: the first stage installs the production dependencies only, the
# second adds the sources and runs them as the unprivileged `node` user.
#
#   docker build -t payments-gateway .
#   docker run -p 4000:4000 -p 4001-4006:4001-4006 -e SANDBOX_PORT=4001 payments-gateway
#
# Configuration is the environment (README "Configuration"); docker-compose.yml adds Redis.

FROM node:20-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=dependencies --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json package-lock.json tsconfig.json ./
COPY --chown=node:node src ./src
USER node
# 4000: GraphQL (HTTP, SSE, graphql-ws), webhooks, /health, /metrics. 4001-4006: the built-in
# provider sandboxes when SANDBOX=1 and SANDBOX_PORT=4001 (Intergiro, Pei, Intershop, Dintero API,
# Dintero checkout, Payway), whose pages a browser must reach.
EXPOSE 4000 4001 4002 4003 4004 4005 4006
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# What `npm start` runs (tsx src/main.ts), as one node process: SIGTERM from `docker stop` reaches
# the gateway itself, which drains and exits 0 (npm or a tsx wrapper would sit in between).
CMD ["node", "--import", "tsx", "src/main.ts"]
