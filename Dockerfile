# syntax=docker/dockerfile:1
# One image for both processes; compose picks the command. Built from the monorepo root.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY packages ./packages
COPY services ./services
COPY test/package.json ./test/package.json
COPY bench/package.json ./bench/package.json
RUN npm install --no-audit --no-fund && npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000 3001
# Traces start first, and only when OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/operations.md).
CMD ["node", "--import", "@tokenlane/tracing/register", "services/ingress/dist/main.js"]
