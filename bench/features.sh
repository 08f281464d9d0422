#!/usr/bin/env bash
# Benchmark (not a test): feature requests through the embedded queue with the offline AI provider.
# 1. Throughput: N requests are submitted over HTTP while the workers are stopped (they wait in the embedded queue),
#    then the workers start and the time until all are completed gives jobs/s (local trigger loop, 4 concurrent).
# 2. Latency: with the workers idle, one request at a time is submitted and polled every 10 ms until completed;
#    prints p50/p95/max of submit -> completed.
# Usage: bench/features.sh [requests] [latency_samples]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
requests=${1:-2000}
samples=${2:-50}
api_port=${BENCH_PORT:-7281}
workers_port=$((api_port + 1))
work=$(mktemp -d)

dotnet build Serverless.sln -c Release -nologo -clp:ErrorsOnly >/dev/null
cat > "$work/tenants.json" <<JSON
{ "tenants": [ { "id": "bench", "name": "Bench", "upgrade_url": "https://bench.example/upgrade?token={link_token}",
  "plans": [ { "id": "free", "name": "Free", "hits_limit": null, "reset_period": "month", "price_monthly_cents": 0,
               "price_yearly_cents": 0, "currency": "USD", "features": [], "default": true } ] } ] }
JSON

export ASPNETCORE_ENVIRONMENT=Benchmark Logging__LogLevel__Default=Warning
export Store__Provider=Sqlite Sqlite__Path="$work/bench.db" Tenants__File="$work/tenants.json"
export Secrets__jwt_signing_key="bench-signing-key-0123456789abcdef0123456789abcdef"
export Ai__RequestsPerMinutePerTenant=100000000 Ai__CacheTtlMinutes=0
export RateLimits__Requests__PerTenantPerSecond=100000000 RateLimits__Requests__PerCallerPerMinute=100000000
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
start_workers() {
  Http__Port=$workers_port LocalTriggers__IdlePollMilliseconds=20 \
    Functions.Workers/bin/Release/net10.0/Functions.Workers --contentRoot "$root/Functions.Workers/bin/Release/net10.0" > "$work/workers.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$workers_port/api/health" >/dev/null 2>&1 && break; sleep 0.1; done
}
Http__Port=$api_port Functions.Api/bin/Release/net10.0/Functions.Api --contentRoot "$root/Functions.Api/bin/Release/net10.0" > "$work/api.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$api_port/api/health" >/dev/null 2>&1 && break; sleep 0.1; done

python3 - "$api_port" "$requests" "$samples" "$work" <<'PY' &
import json, sys, time, urllib.request, concurrent.futures, statistics, os
port, n, samples, work = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
base = f"http://127.0.0.1:{port}/api/v1"
def call(method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("X-Tenant-ID", "bench"); req.add_header("Content-Type", "application/json")
    if token: req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=30) as r: return json.loads(r.read() or b"{}")
token = call("POST", "/users/identify", {"extension_id": "bench-features"})["access_token"]
with concurrent.futures.ThreadPoolExecutor(16) as pool:
    ids = list(pool.map(lambda i: call("POST", "/features/requests", {"request_text": f"feature {i}"}, token)["id"], range(n)))
open(os.path.join(work, "ids"), "w").write("\n".join(ids))
open(os.path.join(work, "token"), "w").write(token)
PY
wait $!
echo "submitted $requests requests (workers stopped: they wait in the embedded queue)"

start=$(date +%s.%N)
start_workers
python3 - "$api_port" "$work" <<'PY'
import json, sys, time, urllib.request, os
port, work = int(sys.argv[1]), sys.argv[2]
token = open(os.path.join(work, "token")).read()
ids = open(os.path.join(work, "ids")).read().split()
deadline = time.time() + 600
def status(i):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/features/requests/{i}")
    req.add_header("X-Tenant-ID", "bench"); req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=30) as r: return json.loads(r.read())["status"]
# The last submitted request finishes last (FIFO within one queue); then confirm all.
while status(ids[-1]) not in ("completed", "failed") and time.time() < deadline: time.sleep(0.05)
PY
end=$(date +%s.%N)
done_count=$(sqlite3 "$work/bench.db" "SELECT count(*) FROM feature_requests WHERE status = 'completed'" 2>/dev/null || echo "?")
python3 -c "import sys; n=int(sys.argv[1]); s=float(sys.argv[3])-float(sys.argv[2]); print(f'throughput: {n} jobs in {s:.1f} s (incl. ~workers start) = {n/s:.0f} jobs/s; completed in store: {sys.argv[4]}')" "$requests" "$start" "$end" "$done_count"

python3 - "$api_port" "$work" "$samples" <<'PY'
import json, sys, time, urllib.request, os, statistics
port, work, samples = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
token = open(os.path.join(work, "token")).read()
def call(method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1{path}", method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("X-Tenant-ID", "bench"); req.add_header("Content-Type", "application/json"); req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=30) as r: return json.loads(r.read())
lat = []
for i in range(samples):
    t0 = time.perf_counter()
    rid = call("POST", "/features/requests", {"request_text": f"latency {i}"})["id"]
    while call("GET", f"/features/requests/{rid}")["status"] not in ("completed", "failed"): time.sleep(0.01)
    lat.append((time.perf_counter() - t0) * 1000)
lat.sort()
print(f"latency submit -> completed ({samples} sequential, polled every 10 ms): p50 {statistics.median(lat):.0f} ms, p95 {lat[int(len(lat)*0.95)-1]:.0f} ms, max {lat[-1]:.0f} ms")
PY
