#!/usr/bin/env bash
# Benchmark (not a test): identify against the framework's ceiling on this machine, on the embedded store.
# Prints requests/s for a trivial endpoint of the same app and for identify, their ratio, identify's p50/p99,
# the store round trips of one identify, and checks the stored counters against the allowed answers.
# Usage: bench/identify.sh [duration_seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
duration=${1:-10}
connections=${2:-32}
users=${BENCH_USERS:-1000}
port=${BENCH_PORT:-7181}
work=$(mktemp -d)

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)"
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
fi
command -v sqlite3 >/dev/null || (apt-get update -qq && apt-get install -y -qq sqlite3) >/dev/null

dotnet build Functions.Api -c Release -nologo -clp:ErrorsOnly >/dev/null
cat > "$work/tenants.json" <<JSON
{ "tenants": [ { "id": "bench", "name": "Bench", "upgrade_url": "https://bench.example/upgrade?token={link_token}",
  "plans": [ { "id": "free", "name": "Free", "hits_limit": 1000, "reset_period": "day", "price_monthly_cents": 0,
               "price_yearly_cents": 0, "currency": "USD", "features": [], "default": true } ] } ] }
JSON

ASPNETCORE_ENVIRONMENT=Benchmark Logging__LogLevel__Default=Warning \
Store__Provider=Sqlite Sqlite__Path="$work/bench.db" Tenants__File="$work/tenants.json" \
Secrets__jwt_signing_key="bench-signing-key-0123456789abcdef0123456789abcdef" \
RateLimits__NewInstallations__PermitsPerWindow=10000000 RateLimits__Requests__PerTenantPerSecond=100000000 RateLimits__Requests__PerCallerPerMinute=100000000 Http__Port=$port \
  Functions.Api/bin/Release/net10.0/Functions.Api --contentRoot "$root/Functions.Api/bin/Release/net10.0" > "$work/api.log" 2>&1 &
api=$!
trap 'kill $api 2>/dev/null || true; wait $api 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break; sleep 0.2; done

echo "creating $users users (one identify each)"
for i in $(seq 1 "$users"); do
  printf 'url = "http://127.0.0.1:%s/api/v1/users/identify"\nheader = "X-Tenant-ID: bench"\nheader = "Content-Type: application/json"\ndata = "{\\"extension_id\\":\\"bench-%s\\"}"\noutput = "/dev/null"\n' "$port" "$i"
done > "$work/warm.curl"
curl -s --no-progress-meter --parallel --parallel-max 16 -K "$work/warm.curl"

echo "warming up"
wrk -t2 -c"$connections" -d3s "http://127.0.0.1:$port/api/health/live" >/dev/null
BENCH_USERS=$users wrk -t2 -c"$connections" -d8s -s bench/identify.lua "http://127.0.0.1:$port" >/dev/null
sleep 2 # let the warm-up's last in-flight requests finish before the counters are reset
sqlite3 -cmd ".timeout 10000" "$work/bench.db" "UPDATE quotas SET used = 0;" # start the measured run with full allowances

echo "measuring ${duration}s each, $connections connections, 2 wrk threads (wrk shares the 2 cores with the app)"
trivial=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$port/api/health/live")
identify=$(BENCH_USERS=$users wrk -t2 -c"$connections" -d"${duration}s" --latency -s bench/identify.lua "http://127.0.0.1:$port")

rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
trivial_rps=$(rps "$trivial"); identify_rps=$(rps "$identify")
p50=$(sed -nE 's/.*p50_us=([0-9]+).*/\1/p' <<<"$identify"); p99=$(sed -nE 's/.*p99_us=([0-9]+).*/\1/p' <<<"$identify")
allowed=$(sed -nE 's/.*allowed=([0-9]+).*/\1/p' <<<"$identify"); denied=$(sed -nE 's/.*denied=([0-9]+).*/\1/p' <<<"$identify")
non200=$(sed -nE 's/.*non200=([0-9]+).*/\1/p' <<<"$identify")
stored=$(sqlite3 -cmd ".timeout 10000" "$work/bench.db" "SELECT COALESCE(SUM(used),0) FROM quotas;")
over=$(sqlite3 -cmd ".timeout 10000" "$work/bench.db" "SELECT COUNT(*) FROM quotas WHERE hits_limit IS NOT NULL AND used > hits_limit;")
trivial_p99=$(awk '/ 99%/ {print $2}' <<<"$trivial")

echo
printf 'trivial endpoint (GET /api/health/live): %s req/s (p99 %s)\n' "$trivial_rps" "$trivial_p99"
printf 'identify (returning users, SQLite):      %s req/s, p50 %.2f ms, p99 %.2f ms\n' "$identify_rps" "$(bc -l <<<"$p50/1000")" "$(bc -l <<<"$p99/1000")"
printf 'identify / trivial:                      %.0f %%\n' "$(bc -l <<<"100*$identify_rps/$trivial_rps")"
printf 'answers: %s allowed, %s denied (quota spent), %s non-200\n' "$allowed" "$denied" "$non200"
printf 'stored counters: %s uses; accounts over their limit: %s\n' "$stored" "$over"
# wrk stops reading when its time is up, so up to one in-flight request per connection is stored but not counted.
inflight=$((stored - allowed))
printf 'stored minus counted allowed: %s (requests in flight when wrk stopped; at most %s)\n' "$inflight" "$connections"
if [ "$inflight" -lt 0 ] || [ "$inflight" -gt "$connections" ] || [ "$over" != "0" ] || [ "$non200" != "0" ]; then
  echo "MISMATCH: stored uses must match allowed answers, no account may exceed its limit, no call may fail"; exit 1
fi

echo
echo "store round trips per identify (from the test suite's counting scope):"
dotnet test tests/Functions.Api.Tests -c Release --no-build --filter "FullyQualifiedName~A_returning_user_costs_one_store_round_trip" \
  --logger "console;verbosity=detailed" 2>/dev/null | grep -E "identify store round trips" | sed 's/^ */  /' || echo "  (run ./test.sh once to build the tests, with a Cosmos server for the Cosmos figure)"
