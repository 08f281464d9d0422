#!/usr/bin/env bash
# Benchmark (not a test): the marketplace on the embedded store (SQLite), against the same app's trivial endpoint.
# 1. Seeds N items (default 10,000) in one tenant through the real API (POST /api/v1/marketplace/items as a creator;
#    the tenant auto-publishes, so they are listed at once).
# 2. Search pages (query words with a prefix, category, kind, price filters and sort varied per request; pages of 20):
#    p50/p99 and requests/s next to GET /api/health/live in the same run, and "search p99 / trivial p99" (aim: <= 3x),
#    first at saturation (32 connections, as fast as answered: p99 is mostly queueing, so the ratio is about the ratio
#    of CPU per request), then under light load (4 connections), where requests rarely wait behind each other.
# 3. Installs on one hot item at a time from 64 concurrent users (each installs each item twice), install calls/s and
#    p50/p99, then the stored counts are checked: every item all 64 users finished has install_count exactly 64, no item
#    has more, every item's counter equals its install rows, and GET item says 64. Exits non-zero on any mismatch.
# Tokens: users come from identify (real users, real user tokens). The creator role is granted the way the API tests do
# it (JwtAccessTokens.IssueAsync with Role.Creator): a token for the identified creator, signed here with the bench's
# own signing key, because granting the role over HTTP needs a stored admin, which only an email sign-in can make.
# Usage: bench/marketplace.sh [duration_seconds] [items] [search_connections]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
duration=${1:-10}
items=${2:-10000}
connections=${3:-32}
installers=64 # fixed: bench/marketplace.lua assigns request k to user k % 64
port=${BENCH_PORT:-7191}
key="bench-signing-key-0123456789abcdef0123456789abcdef"
work=$(mktemp -d)

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)"
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
fi
command -v sqlite3 >/dev/null || (apt-get update -qq && apt-get install -y -qq sqlite3) >/dev/null

dotnet build Functions.Api -c Release -nologo -clp:ErrorsOnly >/dev/null
cat > "$work/tenants.json" <<JSON
{ "tenants": [ { "id": "bench", "name": "Bench", "upgrade_url": "https://bench.example/upgrade?token={link_token}",
  "marketplace": { "auto_publish": true },
  "plans": [ { "id": "free", "name": "Free", "hits_limit": null, "reset_period": "month", "price_monthly_cents": 0,
               "price_yearly_cents": 0, "currency": "USD", "features": [], "default": true } ] } ] }
JSON

ASPNETCORE_ENVIRONMENT=Benchmark Logging__LogLevel__Default=Warning Telemetry__Exporter=None \
Store__Provider=Sqlite Sqlite__Path="$work/bench.db" Tenants__File="$work/tenants.json" \
Secrets__jwt_signing_key="$key" Tokens__LifetimeSeconds=7200 \
RateLimits__NewInstallations__PermitsPerWindow=10000000 RateLimits__Requests__PerTenantPerSecond=100000000 RateLimits__Requests__PerCallerPerMinute=100000000 Http__Port=$port \
  Functions.Api/bin/Release/net10.0/Functions.Api --contentRoot "$root/Functions.Api/bin/Release/net10.0" > "$work/api.log" 2>&1 &
api=$!
trap 'kill $api 2>/dev/null || true; wait $api 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break; sleep 0.2; done

identify() { # extension id -> the identify answer's JSON
  curl -fsS "http://127.0.0.1:$port/api/v1/users/identify" -H "X-Tenant-ID: bench" -H "Content-Type: application/json" \
    -d "{\"extension_id\":\"$1\"}"
}
field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

creator_id=$(identify bench-creator | field user_id)
creator_token=$(python3 - "$key" "$creator_id" <<'PY'
# An HS256 access token exactly as JwtAccessTokens signs one (iss, aud, sub, tid, role array; kid from the key).
import base64, hashlib, hmac, json, sys, time
key, sub = sys.argv[1].encode(), sys.argv[2]
enc = lambda d: base64.urlsafe_b64encode(json.dumps(d, separators=(",", ":")).encode()).rstrip(b"=").decode()
now = int(time.time())
head = enc({"alg": "HS256", "kid": "k" + hashlib.sha256(key).hexdigest()[:12], "typ": "JWT"})
body = enc({"iss": "serverless-backend", "aud": "serverless-api", "iat": now, "nbf": now, "exp": now + 7200,
            "sub": sub, "tid": "bench", "role": ["user", "creator"]})
sig = base64.urlsafe_b64encode(hmac.new(key, f"{head}.{body}".encode(), hashlib.sha256).digest()).rstrip(b"=").decode()
print(f"{head}.{body}.{sig}")
PY
)
search_token=$(identify bench-searcher | field access_token)
for i in $(seq 1 "$installers"); do identify "bench-installer-$i" | field access_token; done > "$work/tokens"

echo "seeding $items items through POST /api/v1/marketplace/items (curl, 16 in parallel)"
python3 - "$port" "$creator_token" "$items" > "$work/seed.curl" <<'PY'
# One block per item, separated by "next" (without it curl applies every header to every URL).
# Deterministic items: 2-4 title words and 8-20 description words from one vocabulary (some with accents, which
# search folds), 1-2 of the default categories, one of four kinds, 40 % free, the rest one of six prices.
import json, random, sys
port, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
vocabulary = ("grammar rewrite summary translate résumé café naïve über façade crème jalapeño smörgåsbord piñata déjà "
              "email invoice budget recipe fitness workout language tutor python javascript debugger refactor lesson quiz "
              "story poem lyrics podcast meeting notes calendar planner travel itinerary garden cooking finance tax legal "
              "contract marketing seo slogan brand logo image caption video script chess puzzle music guitar piano study "
              "flashcards history science math physics chemistry biology health sleep mindful journal habit focus timer "
              "shopping fashion interior pet dog cat").split()
filler = "a the for with and your helper tool quick smart daily pro assistant".split()
categories = ["productivity", "writing", "coding", "education", "entertainment", "business", "lifestyle", "other"]
rng = random.Random(14)
for i in range(n):
    title = " ".join(rng.choice(vocabulary).capitalize() for _ in range(rng.randint(2, 4))) + f" {i}"
    description = " ".join(rng.choice(vocabulary + filler) for _ in range(rng.randint(8, 20)))
    item = {"title": title, "description": description, "kind": rng.choice(["feature", "gpt", "prompt", "bundle"]),
            "categories": rng.sample(categories, rng.randint(1, 2)),
            "price_cents": 0 if rng.random() < 0.4 else rng.choice([99, 199, 499, 999, 1999, 4999]), "currency": "USD"}
    data = json.dumps(item, ensure_ascii=False).replace("\\", "\\\\").replace('"', '\\"')
    print(("next\n" if i else "") + f'url = "http://127.0.0.1:{port}/api/v1/marketplace/items"\nheader = "X-Tenant-ID: bench"\n'
          f'header = "Authorization: Bearer {token}"\nheader = "Content-Type: application/json"\n'
          f'data-binary = "{data}"\noutput = "/dev/null"\nwrite-out = "%{{http_code}}\\n"')
PY
seed_start=$(date +%s.%N)
curl -s --no-progress-meter --parallel --parallel-max 16 -K "$work/seed.curl" > "$work/seed.codes"
seed_end=$(date +%s.%N)
created=$(grep -c '^201$' "$work/seed.codes" || true)
listed=$(sqlite3 -cmd ".timeout 10000" "$work/bench.db" "SELECT COUNT(*) FROM marketplace_items WHERE tenant_id = 'bench' AND status = 'published' AND deleted_at_ms IS NULL;")
printf 'seeded: %s of %s answered 201 in %.1f s (%.0f items/s); published in the store: %s\n' \
  "$created" "$items" "$(bc -l <<<"$seed_end-$seed_start")" "$(bc -l <<<"$created/($seed_end-$seed_start)")" "$listed"
if [ "$created" != "$items" ] || [ "$listed" != "$items" ]; then
  echo "MISMATCH: every item must be created and listed"; sort "$work/seed.codes" | uniq -c; exit 1
fi
# The hot items: the free ones (paid ones install only after a purchase), in creation order; the install phase works
# through them one at a time.
sqlite3 -cmd ".timeout 10000" "$work/bench.db" "SELECT id FROM marketplace_items WHERE tenant_id = 'bench' AND price_cents = 0 ORDER BY created_at_ms, id;" > "$work/items"

run() { # mode, threads, connections, seconds -> the script's BENCH line
  BENCH_MODE=$1 BENCH_SEARCH_TOKEN=$search_token BENCH_TOKENS="$work/tokens" BENCH_ITEMS="$work/items" \
    wrk -t"$2" -c"$3" -d"$4s" -s bench/marketplace.lua "http://127.0.0.1:$port" | grep '^BENCH '
}
get() { sed -nE "s/.* $1=([0-9.]+).*/\1/p" <<<"$2"; }
ms() { printf '%.2f' "$(bc -l <<<"$1/1000")"; }

echo "warming up"
run trivial 2 "$connections" 3 >/dev/null
run search 2 "$connections" 10 >/dev/null # long enough for the JIT's tiering to settle (perf: ~14 % of CPU in clrjit 30 s after start at ~100 req/s)

echo "measuring ${duration}s each, $connections connections, 2 wrk threads (wrk shares the 2 cores with the app)"
trivial=$(run trivial 2 "$connections" "$duration")
search=$(run search 2 "$connections" "$duration")
t_p50=$(get p50_us "$trivial"); t_p99=$(get p99_us "$trivial"); s_p50=$(get p50_us "$search"); s_p99=$(get p99_us "$search")
s_ok=$(get ok "$search")

# Light load: 4 connections, as fast as answered (the app is busy but requests rarely queue behind each other).
light=4
echo "light load: $light connections each, ${duration}s each"
trivial_light=$(run trivial 1 "$light" "$duration")
search_light=$(run search 1 "$light" "$duration")

echo "installing: $installers users, each item twice, one hot item at a time, ${duration}s, 64 connections, 1 wrk thread"
install=$(run install 1 "$installers" "$duration")
sleep 2 # let requests in flight when wrk stopped finish
i_ok=$(get ok "$install"); issued=$(get issued "$install")

echo
printf 'trivial (GET /api/health/live):  %8s req/s, p50 %s ms, p99 %s ms\n' "$(get rps "$trivial")" "$(ms "$t_p50")" "$(ms "$t_p99")"
printf 'search page (%s items, 20/page): %8s req/s, p50 %s ms, p99 %s ms\n' "$items" "$(get rps "$search")" "$(ms "$s_p50")" "$(ms "$s_p99")"
printf 'search p99 / trivial p99:         %.1fx (aim: within 3x; at saturation, 32 connections)\n' "$(bc -l <<<"$s_p99/$t_p99")"
printf 'search / trivial requests/s:      %.0f %%\n' "$(bc -l <<<"100*$(get rps "$search")/$(get rps "$trivial")")"
printf 'light load (%s connections), trivial: %8s req/s, p50 %s ms, p99 %s ms\n' "$light" "$(get rps "$trivial_light")" "$(ms "$(get p50_us "$trivial_light")")" "$(ms "$(get p99_us "$trivial_light")")"
printf 'light load (%s connections), search:  %8s req/s, p50 %s ms, p99 %s ms\n' "$light" "$(get rps "$search_light")" "$(ms "$(get p50_us "$search_light")")" "$(ms "$(get p99_us "$search_light")")"
printf 'light load, search p99 / trivial p99: %.1fx\n' "$(bc -l <<<"$(get p99_us "$search_light")/$(get p99_us "$trivial_light")")"
printf 'search answers: %s ok, %s non-200, %s socket errors; %.1f items per page on average, %s empty pages\n' \
  "$s_ok" "$(get non200 "$search")" "$(get socket_errors "$search")" "$(bc -l <<<"$(get returned "$search")/$s_ok")" "$(get empty "$search")"
printf 'install calls (half first installs, half repeats): %s /s, p50 %s ms, p99 %s ms; %s ok, %s non-200, %s socket errors\n' \
  "$(get rps "$install")" "$(ms "$(get p50_us "$install")")" "$(ms "$(get p99_us "$install")")" "$i_ok" "$(get non200 "$install")" "$(get socket_errors "$install")"

# Request k went to item k / 128; at most 64 (one per connection) were in flight when wrk stopped, so every item whose
# 128 requests all lie before issued - 64 was answered in full: all 64 users installed it.
hot=$(wc -l < "$work/items")
full=$(( (issued - installers) / (2 * installers) )); [ "$full" -gt "$hot" ] && full=$hot # past the last one it wraps around
read -r touched exact over drift <<<"$(sqlite3 -cmd ".timeout 10000" -separator ' ' "$work/bench.db" "
  WITH hot AS (SELECT id, ROW_NUMBER() OVER (ORDER BY created_at_ms, id) - 1 AS n, install_count, active_installs,
                      (SELECT COUNT(*) FROM marketplace_installs m WHERE m.tenant_id = i.tenant_id AND m.item_id = i.id) AS rows_
               FROM marketplace_items i WHERE tenant_id = 'bench' AND price_cents = 0)
  SELECT SUM(rows_ > 0), SUM(n < $full AND install_count = $installers AND active_installs = $installers),
         SUM(install_count > $installers), SUM(install_count <> rows_ OR active_installs <> rows_) FROM hot;")"
first=$(head -1 "$work/items")
shown=$(curl -fsS "http://127.0.0.1:$port/api/v1/marketplace/items/$first" -H "X-Tenant-ID: bench" -H "Authorization: Bearer $(head -1 "$work/tokens")" \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["install_count"], d["active_installs"], d["installed"])')
printf 'install counts (%s free items are the hot ones): %s items reached; %s of the %s items all users finished have exactly %s; over %s: %s; counter <> install rows: %s\n' \
  "$hot" "$touched" "$exact" "$full" "$installers" "$installers" "$over" "$drift"
[ "$issued" -gt $((hot * 2 * installers)) ] && echo "(the install loop ran past the last free item and went round again: later calls were all repeats; seed more items)"
printf 'GET the first hot item (as one of its installers): install_count, active_installs, installed = %s\n' "$shown"
if [ "$full" -lt 1 ] || [ "$exact" != "$full" ] || [ "$over" != "0" ] || [ "$drift" != "0" ] || [ "$shown" != "$installers $installers True" ] \
  || [ "$(get over "$install")" != "0" ] || [ "$(get non200 "$install")" != "0" ] || [ "$(get non200 "$search")" != "0" ] \
  || [ "$(get non200 "$search_light")" != "0" ]; then
  echo "MISMATCH: every finished hot item must count exactly $installers installs, none more, counters equal to rows, no call may fail"; exit 1
fi
