# syntax=docker/dockerfile:1
#
# joint-approval (并联审批) service image.
#
# One image, three commands (see docker-compose.yml):
#   node dist/db/migrate.js    apply database migrations, then exit
#   node dist/api/main.js      HTTP API on $PORT (default 3000)   <- default CMD
#   node dist/worker/main.js   Temporal worker
#
# Stages:
#   prod-deps  production node_modules only (npm ci --omit=dev)
#   build      full install + `npm run build` (tsc -p tsconfig.build.json -> dist/, vite -> web/dist/)
#   runtime    slim image: prod node_modules + dist/ + the TypeScript sources
#              the worker bundles at start-up, running as the non-root `node` user
#
# npm: the npm bundled with the Node 20 image (10.x) is used on purpose. It
# runs the dependencies' install scripts (it ignores package.json
# "allowScripts", which only newer npm reads), and they are needed: the
# worker's workflow bundler uses @swc/core, and tsx uses esbuild.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NPM_CONFIG_AUDIT=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false
COPY package.json package-lock.json ./

# ---------------------------------------------------------------------------
FROM base AS prod-deps
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev

# ---------------------------------------------------------------------------
FROM base AS build
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci
# .dockerignore keeps node_modules, dist, tests, .git, ... out of the context.
COPY . .
RUN npm run build

# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app

COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/tsconfig.json ./
COPY --from=build /app/dist ./dist
# The web console, built by `npm run build` (vite) and served by the API at `/`.
COPY --from=build /app/web/dist ./web/dist
# The worker bundles workflow code when it starts (Temporal's webpack/swc
# bundler). The compiled worker resolves ../workflows to dist/workflows; the
# TypeScript sources of workflows/ and the domain/ code they import ship too,
# so a workflowsPath pointing at the sources also works in the image.
COPY --from=build /app/workflows ./workflows
COPY --from=build /app/domain ./domain

# Files stay root-owned and read-only for the process; run unprivileged.
USER node

EXPOSE 3000
CMD ["node", "dist/api/main.js"]
