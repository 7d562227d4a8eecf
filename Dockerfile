# One image for every Cairn service; docker-compose.yml picks the service with `command:`.
FROM node:22-bookworm-slim AS build
WORKDIR /app
# patches/ before the install: its postinstall (patch-package) applies them to node_modules.
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY lib ./lib
COPY subgraphs ./subgraphs
COPY gateway ./gateway
COPY scripts ./scripts
COPY types ./types
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
# A font for the text on generated badge images.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY drizzle ./drizzle
COPY schema ./schema
# JSON-LD contexts and the OB JSON schema are read at run time (tsc does not copy JSON into dist/).
COPY lib/crypto/contexts ./lib/crypto/contexts
COPY lib/crypto/schemas ./lib/crypto/schemas
USER node
EXPOSE 4000 4001 4002 4003 4004
CMD ["node", "dist/gateway/main.js"]
