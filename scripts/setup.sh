#!/usr/bin/env bash
# `npm run setup`: everything tokenlane needs to start and to test on this machine.
#   1. npm dependencies (skipped when node_modules already matches package-lock.json);
#   2. redis-server and the PostgreSQL server binaries (Debian packages `redis-server` and
#      `postgresql`, installed with apt-get when missing and we are root; elsewhere we say what
#      to install). Tests start their own throwaway Redis and Postgres from these binaries.
#   3. Chromium (Debian package `chromium`), which the dashboard and demo tests drive headless
#      through playwright-core; without it those tests skip, so elsewhere it is only advised.
#   4. promtool (Debian package `prometheus`), which checks deploy/'s alert rules, the Grafana
#      dashboard's queries and a live /metrics scrape; its tests skip without it, except in CI.
# Idempotent: a second run does nothing and takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }

node_major=$(node -p 'process.versions.node.split(".")[0]')
node_minor=$(node -p 'process.versions.node.split(".")[1]')
if ((node_major < 20 || (node_major == 20 && node_minor < 19))); then
  say "Node.js >= 20.19 is required (found $(node --version))" >&2
  exit 1
fi

have_redis() { command -v redis-server >/dev/null 2>&1; }
have_postgres() {
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null 2>&1
}

have_chromium() { [[ -x ${CHROMIUM_PATH:-/usr/bin/chromium} ]]; }
have_promtool() { [[ -x ${PROMTOOL_PATH:-/usr/bin/promtool} ]]; }

missing=()
have_redis || missing+=(redis-server)
have_postgres || missing+=(postgresql)
required=${#missing[@]}
have_chromium || missing+=(chromium)
have_promtool || missing+=(prometheus)

if ((${#missing[@]} > 0)); then
  if [[ -f /etc/debian_version ]] && command -v apt-get >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then
    say "installing ${missing[*]} with apt-get"
    # A new machine's package lists are empty: update first.
    apt-get update -qq
    # policy-rc.d keeps the packages from starting system-wide servers we do not use.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d.tokenlane
    chmod +x /usr/sbin/policy-rc.d.tokenlane
    had_policy=0
    [[ -e /usr/sbin/policy-rc.d ]] && had_policy=1
    ((had_policy)) || cp /usr/sbin/policy-rc.d.tokenlane /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    ((had_policy)) || rm -f /usr/sbin/policy-rc.d
    rm -f /usr/sbin/policy-rc.d.tokenlane
  elif ((required == 0)); then
    say "${missing[*]} not found: the browser and promtool tests will skip (Debian/Ubuntu: sudo apt-get install ${missing[*]})" >&2
  else
    say "missing: ${missing[*]}" >&2
    say "install them with your package manager, for example:" >&2
    say "  Debian/Ubuntu: sudo apt-get install redis-server postgresql chromium prometheus" >&2
    say "  macOS:         brew install redis postgresql@16" >&2
    say "or run the whole stack with: docker compose up" >&2
    say "(tests can also use your own servers: set REDIS_URL and DATABASE_URL)" >&2
    if [[ -z "${REDIS_URL:-}" || -z "${DATABASE_URL:-}" ]]; then exit 1; fi
  fi
fi
have_redis && say "redis-server: $(redis-server --version | awk '{print $3}')"
have_chromium && say "chromium: $("${CHROMIUM_PATH:-/usr/bin/chromium}" --version 2>/dev/null | awk '{print $2}')"
have_promtool && say "promtool: $("${PROMTOOL_PATH:-/usr/bin/promtool}" --version 2>&1 | awk 'NR==1{print $3}')"
have_postgres && say "postgres: $(ls -d /usr/lib/postgresql/*/ 2>/dev/null | xargs -n1 basename | sort -n | tail -1 || initdb --version)"

# npm dependencies: reinstall only when the lockfile changed since the last install.
stamp=node_modules/.tokenlane-setup
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ -f $stamp && $(cat "$stamp") == "$lock_hash" ]]; then
  say "npm dependencies up to date"
else
  say "installing npm dependencies"
  # `npm install`, not `npm ci`: npm 11 rejects this lockfile in `ci` because it does not list
  # turbo's binaries for other platforms; `install` honours the lockfile all the same.
  npm install --no-audit --no-fund
  echo "$lock_hash" >"$stamp"
fi
say "done. Next: npm start (first run) or npm test"
