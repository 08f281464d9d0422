#!/usr/bin/env bash
# Runs everything CI runs: format check, build (warnings are errors), every test project, with a Cosmos DB server
# (the npm @vercel/cosmosdb-server, pinned in package.json) started on 127.0.0.1 for the Cosmos tests.
# Ends with one line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
results=$(mktemp -d)
cosmos_pid=""

cleanup() {
  if [ -n "$cosmos_pid" ] && kill -0 "$cosmos_pid" 2>/dev/null; then
    kill "$cosmos_pid" 2>/dev/null || true
    wait "$cosmos_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

step "tools"
command -v dotnet >/dev/null || { echo "the .NET SDK is required (see global.json)"; exit 1; }
command -v node >/dev/null || { echo "Node.js is required for the Cosmos DB test server"; exit 1; }
if [ ! -d node_modules/@vercel/cosmosdb-server ] || [ ! -d node_modules/stripe ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# The browser test drives Debian's Chromium with Playwright; Playwright never downloads a browser here.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing chromium (Debian package)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    echo "Debian's chromium is required for the browser test: sudo apt-get install chromium"; exit 1
  fi
fi

step "restore (locked)"
dotnet restore Serverless.sln --locked-mode

step "dependency audit"
# NuGet audit also runs in every restore (NuGetAudit, warnings are errors); this lists the whole graph explicitly.
if audit=$(dotnet list Serverless.sln package --vulnerable --include-transitive 2>&1); then
  if grep -q "has the following vulnerable packages" <<<"$audit"; then
    echo "$audit"; echo "vulnerable packages found"; exit 1
  fi
  echo "no known vulnerable packages"
else
  echo "$audit" | tail -5
  echo "warning: the vulnerability audit could not run (no vulnerability data from the package source)"
fi

step "format"
dotnet format Serverless.sln --verify-no-changes --no-restore

step "build"
dotnet build Serverless.sln --no-restore -c Release -nologo -clp:ErrorsOnly

step "cosmos server"
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})')
node tests/tools/cosmos-server.js "$port" > "$results/cosmos-server.log" 2>&1 &
cosmos_pid=$!
for _ in $(seq 1 100); do
  grep -q "listening" "$results/cosmos-server.log" 2>/dev/null && break
  kill -0 "$cosmos_pid" 2>/dev/null || { cat "$results/cosmos-server.log"; exit 1; }
  sleep 0.1
done
grep -q "listening" "$results/cosmos-server.log" || { echo "the Cosmos server did not start"; cat "$results/cosmos-server.log"; exit 1; }
export COSMOS_ENDPOINT="https://127.0.0.1:$port/"
echo "Cosmos server at $COSMOS_ENDPOINT"

step "tests"
passed=0; failed=0; skipped=0; status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  log="$results/$name.log"
  rc=0
  dotnet test "$project" --no-build -c Release --nologo > "$log" 2>&1 || rc=$?
  summary=$(grep -E "^(Passed|Failed)!" "$log" | tail -1 || true)
  if [ -z "$summary" ]; then
    echo "$name: no test summary (the run failed before tests ran)"; tail -40 "$log"
    failed=$((failed + 1)); status=1; continue
  fi
  echo "$name: $summary"
  p=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$summary")
  f=$(sed -E 's/.*Failed: *([0-9]+),.*/\1/' <<<"$summary")
  s=$(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$summary")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  if [ "$f" != "0" ]; then grep -E "^\s+Failed |Error Message" -A6 "$log" | head -120; fi
  if [ "$rc" != "0" ]; then
    status=1
    if [ "$f" = "0" ]; then
      # e.g. a fixture that failed to clean up: no test failed, but the run did.
      echo "$name: the test run exited with $rc although no test failed:"; grep -E "Failure|rror" "$log" | head -20
      failed=$((failed + 1))
    fi
  fi
done

# --- step: tests with the machine's clock years away (self-contained; its failures add to the counts below) ---
step "tests with the machine's clock years after and before the tests' clocks"
# No test may depend on today's date: everything time-dependent follows the injected TimeProvider (the tests' manual
# clocks start in November 2026). These suites run again with the machine's clock moved by libfaketime to 2031 and to
# 2021, so a component that reads the machine's clock (a cache, a limiter, a token check) fails here. A relative
# offset keeps child processes (node) on the same shifted clock; FAKETIME_DONT_FAKE_MONOTONIC=1 must not be used
# (the test host then times out connecting). The Cosmos variants (same code on another store) and EndToEnd (real
# processes, slow) are left out to keep this short; FarClockTests also runs the app on far clocks in every run.
if ! command -v faketime >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "installing faketime (Debian package)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime) >/dev/null 2>&1 || true
fi
if command -v faketime >/dev/null; then
  clock_dlls=()
  for name in Shared.Domain.Tests Shared.Infrastructure.Tests Functions.Workers.Tests Functions.Api.Tests; do
    clock_dlls+=("tests/$name/bin/Release/net10.0/$name.dll")
  done
  for target in 2031-06-01 2021-01-01; do
    offset=$(( $(date -ud "$target" +%s) - $(date -u +%s) ))
    if [ "$offset" -ge 0 ]; then offset="+$offset"; fi
    log="$results/clock-$target.log"
    rc=0
    env -u COSMOS_ENDPOINT faketime -f "$offset" dotnet vstest "${clock_dlls[@]}" --Parallel > "$log" 2>&1 || rc=$?
    summaries=$(grep -E "^(Passed|Failed)!" "$log" || true)
    reported=$(grep -cE "^(Passed|Failed)!" "$log" || true)
    if [ "$reported" != "${#clock_dlls[@]}" ]; then
      echo "clock at $target: not every suite reported (the run failed before tests ran)"; tail -40 "$log"
      failed=$((failed + 1)); status=1; continue
    fi
    p=0; f=0
    while read -r summary; do
      p=$((p + $(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$summary")))
      f=$((f + $(sed -E 's/.*Failed: *([0-9]+),.*/\1/' <<<"$summary")))
    done <<<"$summaries"
    echo "clock at $target: $p passed, $f failed (reruns: their failures count below, their passes do not)"
    failed=$((failed + f))
    if [ "$f" != "0" ]; then grep -E "^\s+Failed |Error Message" -A6 "$log" | head -120; fi
    if [ "$rc" != "0" ]; then
      status=1
      if [ "$f" = "0" ]; then echo "clock at $target: the run exited with $rc although no test failed"; failed=$((failed + 1)); fi
    fi
  done
else
  echo "skipped: faketime is not installed and this user cannot install it (sudo apt-get install faketime)"
fi
# --- end of step ---

echo
echo "$skipped skipped"
if [ "$skipped" != "0" ]; then
  # Every test runs here (the Cosmos server above serves every Cosmos test): a skipped test is lost coverage.
  echo "tests were skipped although ./test.sh provides everything they need"; status=1
fi
echo "$passed passed, $failed failed"
exit $status
