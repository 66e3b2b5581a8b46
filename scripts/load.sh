#!/usr/bin/env bash
# Load test: a release build of devicepool on a programme-sized database (seed-bench: 50,000
# students, 20,000 devices), on SQLite and on PostgreSQL, driven by wrk. Each backend gets, in
# one session: a bare /healthz run (the ceiling), authenticated GET /me, device lists, a
# student's "my kit" (API and page), password and link sign-ins, request creation, and a
# mixed run (hand-overs among them) with a matching run every five seconds; then the mixed run
# again at half its peak rate, for p99. Memory is the server's resident set at idle and at its
# highest under load.
#
#   bash scripts/load.sh                 # both backends, 10 s a run
#   DURATION=30s BACKENDS=sqlite bash scripts/load.sh
#   LOAD_PG_URL=postgres://user:pw@host:5432/postgres bash scripts/load.sh
#
# Prints a Markdown table per backend (also written to target/load/results.md).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
BACKENDS=${BACKENDS:-"sqlite postgres"}
LOAD_PG_URL=${LOAD_PG_URL:-postgres://devicepool:devicepool-ci@127.0.0.1:5432/postgres}
PASSWORD="load test password 1"
WORK=target/load
mkdir -p "$WORK"
RESULTS="$WORK/results.md"
: > "$RESULTS"

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -q wrk >/dev/null
  else
    echo "wrk is missing: sudo apt-get install wrk" >&2
    exit 1
  fi
fi
command -v jq >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -q jq >/dev/null; }

cargo build --release --quiet
BIN=target/release/devicepool

# One wrk run; prints "requests/s p50 p99 non-2xx" (latencies in ms).
run_wrk() {
  local script=$1 url=$2
  local out
  out=$(wrk --latency -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" -s "$script" "$url" 2>&1)
  echo "$out" >> "$WORK/wrk.log"
  local rps p50 p99 bad
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  bad=$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$out")
  echo "${rps:-0} $(to_ms "${p50:-0ms}") $(to_ms "${p99:-0ms}") ${bad:-0}"
}

to_ms() {
  local v=$1
  case $v in
    *us) awk -v x="${v%us}" 'BEGIN {printf "%.2f", x / 1000}' ;;
    *ms) awk -v x="${v%ms}" 'BEGIN {printf "%.2f", x}' ;;
    *s) awk -v x="${v%s}" 'BEGIN {printf "%.2f", x * 1000}' ;;
    *) echo "$v" ;;
  esac
}

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
# The part of it that is the process's own (heap, stacks), not mapped files.
anon_mb() { awk '/RssAnon/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# The largest resident set of process $1 until the file $2 appears.
watch_rss() {
  local pid=$1 stop=$2 max=0 now
  while [ ! -e "$stop" ]; do
    now=$(rss_mb "$pid" 2>/dev/null || echo 0)
    [ "$now" -gt "$max" ] && max=$now
    sleep 0.2
  done
  echo "$max"
}

# Lua for wrk: one request, with the headers and body from the environment.
lua_request() {
  cat > "$WORK/$1.lua" <<LUA
wrk.method = "${2}"
wrk.headers["Accept"] = "${3}"
${4}
LUA
  echo "$WORK/$1.lua"
}

for backend in $BACKENDS; do
  echo "== $backend" >&2
  case $backend in
    sqlite)
      rm -f "$WORK/load.db" "$WORK/load.db-wal" "$WORK/load.db-shm"
      DB_URL="sqlite://$WORK/load.db"
      ;;
    postgres)
      name="devicepool_load_$$"
      psql "$LOAD_PG_URL" -qAtc "CREATE DATABASE $name" >/dev/null
      DB_URL="${LOAD_PG_URL%/*}/$name"
      ;;
  esac
  export DATABASE_URL=$DB_URL DEVICEPOOL_ENVIRONMENT=development RUST_LOG=warn
  export DEVICEPOOL__EMAIL__TRANSPORT=file DEVICEPOOL__EMAIL__FILE_DIR="$WORK/outbox-$backend"
  export DEVICEPOOL__EMAIL__POLL_INTERVAL_SECONDS=1 DEVICEPOOL__PRIVACY__HOUSEKEEPING_INTERVAL_MINUTES=0
  export DEVICEPOOL__AUTH__ANONYMOUS_REQUESTS_PER_MINUTE=100000000
  export DEVICEPOOL__AUTH__MAX_FAILED_LOGINS_PER_ADDRESS=100000000
  # One account signs in from every connection at once: each attempt counts until it is checked.
  export DEVICEPOOL__AUTH__MAX_FAILED_LOGINS_PER_ACCOUNT=100000000
  export DEVICEPOOL__AUTH__MAX_MAGIC_LINKS_PER_ADDRESS=100
  rm -rf "$DEVICEPOOL__EMAIL__FILE_DIR"
  "$BIN" seed-bench >&2
  DEVICEPOOL_ADMIN_PASSWORD=$PASSWORD "$BIN" create-admin --email load-admin@devicepool.example >&2
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  BASE="http://127.0.0.1:$port"
  PORT=$port "$BIN" serve > "$WORK/server-$backend.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do curl -fs "$BASE/readyz" >/dev/null && break; sleep 0.2; done

  login() { curl -fs "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\": \"load-admin@devicepool.example\", \"password\": \"$PASSWORD\"}" | jq -r .access_token; }
  ADMIN=$(login)
  # A student with kit on loan, signed in twice from mailed links: a bearer token and a page session.
  query="SELECT s.email FROM students s JOIN loans l ON l.student_id = s.id WHERE l.state = 'active' ORDER BY s.id LIMIT 1"
  case $backend in
    sqlite) STUDENT_EMAIL=$(sqlite3 "$WORK/load.db" "$query") ;;
    postgres) STUDENT_EMAIL=$(psql "$DB_URL" -qAtc "$query") ;;
  esac
  link_token() {
    local before after
    before=$(ls "$DEVICEPOOL__EMAIL__FILE_DIR" 2>/dev/null | wc -l)
    curl -fs "$BASE/api/v1/auth/magic-link" -H 'content-type: application/json' -d "{\"email\": \"$STUDENT_EMAIL\"}" >/dev/null
    for _ in $(seq 1 50); do
      after=$(ls "$DEVICEPOOL__EMAIL__FILE_DIR" 2>/dev/null | wc -l)
      [ "$after" -gt "$before" ] && break
      sleep 0.2
    done
    # The newest mail; quoted-printable soft line breaks joined before the token is read.
    tr -d '\r' < "$(ls -t "$DEVICEPOOL__EMAIL__FILE_DIR"/* | head -1)" | sed -e ':a' -e '/=$/{N;s/=\n//;ba' -e '}' \
      | sed 's/=3D/=/g' | grep -o 'token=[A-Za-z0-9_-]*' | head -1 | cut -d= -f2
  }
  STUDENT=$(curl -fs "$BASE/api/v1/auth/magic-link/redeem" -H 'content-type: application/json' \
    -d "{\"token\": \"$(link_token)\"}" | jq -r .access_token)
  SESSION=$(curl -s -o /dev/null -D - "$BASE/sign-in/link" -H 'sec-fetch-site: same-origin' \
    --data-urlencode "token=$(link_token)" | tr -d '\r' | awk -F'[=;]' '/^set-cookie: __Host-session=/ {print $2}')
  [ -n "$ADMIN" ] && [ -n "$STUDENT" ] && [ -n "$SESSION" ] || { echo "sign-in for the load test failed" >&2; exit 1; }
  STUDENT_ID=$(curl -fs "$BASE/api/v1/students?limit=1" -H "authorization: Bearer $ADMIN" | jq -r '.items[0].id')
  SCHOOL_TOKEN=$ADMIN

  # Idle: quiet for longer than the hashing threads keep their memory (10 s, src/auth/password.rs).
  sleep 11
  idle=$(rss_mb "$server")
  idle_anon=$(anon_mb "$server")

  # Hand-overs for the mixed run: a real matching round, HANDOVERS of its proposals confirmed
  # as loans, and those accepted as the students would from their mail (straight in the
  # database: signing in as each student is not what is measured). Each hand-over can be done
  # once, so the mixed run walks through the list. After the idle reading, which the matching
  # round would raise (its heap is kept by the allocator).
  curl -fs "$BASE/api/v1/allocations/run" -H "authorization: Bearer $ADMIN" -H 'content-type: application/json' \
    -d '{"dry_run": false}' | jq -r --argjson n "${HANDOVERS:-3000}" '.proposals[:$n][].id' > "$WORK/proposals"
  while read -r proposal; do
    curl -fs -X POST "$BASE/api/v1/allocations/$proposal/confirm" -H "authorization: Bearer $ADMIN" | jq -r .id
  done < "$WORK/proposals" > "$WORK/loans"
  # One half for the run at full speed, the other for the run at half the rate.
  half=$(( ($(wc -l < "$WORK/loans") + 1) / 2 ))
  head -n "$half" "$WORK/loans" > "$WORK/loans-peak"
  tail -n +"$((half + 1))" "$WORK/loans" > "$WORK/loans-half"
  accept="UPDATE loans SET accepted_at = CURRENT_TIMESTAMP, agreement_version = 'load' WHERE state = 'reserved'"
  case $backend in
    sqlite) sqlite3 "$WORK/load.db" "$accept" ;;
    postgres) psql "$DB_URL" -qAtc "$accept" >/dev/null ;;
  esac
  echo "$(wc -l < "$WORK/loans") loans ready to hand over" >&2

  bearer() { echo "wrk.headers[\"Authorization\"] = \"Bearer $1\""; }
  healthz=$(lua_request healthz GET "application/json" "")
  me=$(lua_request me GET "application/json" "$(bearer "$ADMIN")")
  devices=$(lua_request devices GET "application/json" "$(bearer "$ADMIN")")
  my_loans=$(lua_request my-loans GET "application/json" "$(bearer "$STUDENT")")
  my_kit=$(lua_request my-kit GET "text/html" "wrk.headers[\"Cookie\"] = \"__Host-session=$SESSION\"")
  password=$(lua_request login POST "application/json" "wrk.headers[\"Content-Type\"] = \"application/json\"
wrk.body = '{\"email\": \"load-admin@devicepool.example\", \"password\": \"$PASSWORD\"}'")
  link=$(lua_request link POST "application/json" "wrk.headers[\"Content-Type\"] = \"application/json\"
wrk.body = '{\"email\": \"$STUDENT_EMAIL\"}'")
  request=$(lua_request request POST "application/json" "$(bearer "$SCHOOL_TOKEN")
wrk.headers[\"Content-Type\"] = \"application/json\"
wrk.body = '{\"student_id\": \"$STUDENT_ID\", \"kind\": \"licence\", \"product\": \"figma\"}'")
  # The mixed run: each request picked by weight; DELAY_MS (per connection) sets the rate.
  cat > "$WORK/mixed.lua" <<LUA
local calls = {
  {30, "GET", "/api/v1/me", "Bearer $ADMIN", nil, "application/json"},
  {25, "GET", "/api/v1/devices?limit=50", "Bearer $ADMIN", nil, "application/json"},
  {10, "GET", "/api/v1/devices?kind=laptop&state=available&min_ram_gb=8&limit=50", "Bearer $ADMIN", nil, "application/json"},
  {15, "GET", "/api/v1/me/loans", "Bearer $STUDENT", nil, "application/json"},
  {10, "GET", "/my-kit", nil, nil, "text/html"},
  {8, "GET", "/api/v1/requests?limit=50", "Bearer $ADMIN", nil, "application/json"},
  {2, "POST", "/api/v1/requests", "Bearer $SCHOOL_TOKEN", '{"student_id": "$STUDENT_ID", "kind": "licence", "product": "figma"}', "application/json"},
  {2, "POST", "handover", "Bearer $ADMIN", nil, "application/json"},
}
-- The loans to hand over, each thread its own share (every thread has its own Lua state).
local loans = {}
for id in io.lines(os.getenv("LOANS_FILE")) do loans[#loans + 1] = id end
local counter = 0
function setup(thread)
  thread:set("first", counter)
  counter = counter + 1
end
local next_loan = nil -- 0-based: this thread's first, then every THREADS-th
local function handover_path()
  if next_loan == nil then next_loan = first or 0 else next_loan = next_loan + $THREADS end
  local id = loans[next_loan + 1] or "00000000-0000-0000-0000-000000000000"
  return "/api/v1/loans/" .. id .. "/handover"
end
local total = 0
for _, c in ipairs(calls) do total = total + c[1] end
local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
function delay() return delay_ms end
function request()
  local r = math.random(total)
  for _, c in ipairs(calls) do
    r = r - c[1]
    if r <= 0 then
      local h = {["Accept"] = c[6]}
      if c[4] then h["Authorization"] = c[4] else h["Cookie"] = "__Host-session=$SESSION" end
      if c[5] then h["Content-Type"] = "application/json" end
      local path = c[3] == "handover" and handover_path() or c[3]
      return wrk.format(c[2], path, h, c[5])
    end
  end
end
LUA

  stop="$WORK/stop-$backend"
  rm -f "$stop"
  watch_rss "$server" "$stop" > "$WORK/rss-$backend" &
  watcher=$!
  row() { # name path script [ceiling]
    read -r rps p50 p99 bad < <(run_wrk "$3" "$BASE$2")
    printf '| %s | %s | %.0f | %s | %s | %s | %s | %s / %s |\n' "$backend" "$1" "$rps" \
      "$(awk -v a="$rps" -v b="${CEILING:-$rps}" 'BEGIN {printf "%.0f%%", 100 * a / b}')" "$p50" "$p99" "$bad" \
      "$(rss_mb "$server")" "$(anon_mb "$server")"
    LAST_RPS=$rps
  }
  {
    echo
    echo "| backend | run | requests/s | of /healthz | p50 ms | p99 ms | non-2xx | RSS / anon MB after |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    CEILING=""
    row "GET /healthz (ceiling)" /healthz "$healthz"
    CEILING=$LAST_RPS
    row "GET /api/v1/me" /api/v1/me "$me"
    row "GET /api/v1/devices?limit=50" "/api/v1/devices?limit=50" "$devices"
    row "GET /api/v1/devices, 4 filters, 50" "/api/v1/devices?kind=laptop&state=available&min_ram_gb=8&limit=50" "$devices"
    row "GET /api/v1/me/loans (student)" /api/v1/me/loans "$my_loans"
    row "GET /my-kit (student page)" /my-kit "$my_kit"
    row "POST /api/v1/auth/login (password)" /api/v1/auth/login "$password"
    row "POST /api/v1/auth/magic-link" /api/v1/auth/magic-link "$link"
    row "POST /api/v1/requests (409 once open)" /api/v1/requests "$request"
    # The mixed run at full speed, with a matching run every five seconds beside it.
    ( while [ ! -e "$stop.matching" ]; do
        curl -s -o /dev/null "$BASE/api/v1/allocations/run" -H "authorization: Bearer $ADMIN" \
          -H 'content-type: application/json' -d '{"dry_run": true}'
        sleep 5
      done ) &
    matcher=$!
    export DELAY_MS=0 LOANS_FILE="$WORK/loans-peak"
    row "mixed, matching every 5 s" / "$WORK/mixed.lua"
    peak=$LAST_RPS
    # Half the peak rate: each connection waits so that all together send peak / 2.
    half_delay=$(awk -v c="$CONNECTIONS" -v r="$peak" 'BEGIN {printf "%d", c * 1000 / (r / 2)}')
    export DELAY_MS=$half_delay LOANS_FILE="$WORK/loans-half"
    row "mixed at half the peak rate" / "$WORK/mixed.lua"
    touch "$stop.matching"
    wait "$matcher" 2>/dev/null || true
  } | tee -a "$RESULTS"
  touch "$stop"
  wait "$watcher"
  echo "| $backend | memory (resident) | idle ${idle} MB (anon ${idle_anon}) | under load at most $(cat "$WORK/rss-$backend") MB | | | | |" | tee -a "$RESULTS"
  kill "$server"
  wait "$server" 2>/dev/null || true
  trap - EXIT
  [ "$backend" = postgres ] && psql "$LOAD_PG_URL" -qAtc "DROP DATABASE $name WITH (FORCE)" >/dev/null
done
echo "Written to $RESULTS" >&2
