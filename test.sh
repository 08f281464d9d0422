#!/usr/bin/env bash
# Runs everything CI runs: format check, build (warnings are errors), the Bicep templates compiled and linted with the
# pinned Bicep CLI, both apps published exactly as deploy.sh publishes them (and the packages checked and started),
# every test project, with a Cosmos DB server (the npm @vercel/cosmosdb-server, pinned in package.json) started on
# 127.0.0.1 for the Cosmos tests.
# Ends with one line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
results=$(mktemp -d)
cosmos_pid=""
azurite_pid=""

app_pid=""

cleanup() {
  for pid in "$cosmos_pid" "$azurite_pid" "$app_pid"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$results"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

step "tools"
command -v dotnet >/dev/null || { echo "the .NET SDK is required (see global.json)"; exit 1; }
command -v node >/dev/null || { echo "Node.js is required for the Cosmos DB test server"; exit 1; }
for tool in jq zip unzip curl; do command -v "$tool" >/dev/null || { echo "'$tool' is required (Debian package $tool)"; exit 1; }; done
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

step "bicep (infra/: build, lint, parameters files)"
# tests/tools/bicep/bicep.sh restores the pinned CLI (locked) on first use. Diagnostics are read as SARIF; any error or
# warning fails the run (infra/bicepconfig.json makes every linter warning an error and turns on
# use-recent-api-versions). The parameters files read the variables deploy.sh exports; these are placeholders.
bicep=tests/tools/bicep/bicep.sh
"$bicep" --version
export DEPLOYER_OBJECT_ID=00000000-0000-0000-0000-000000000000 DEPLOYER_PRINCIPAL_TYPE=ServicePrincipal VAULT_NAME_SEED=test-sh-placeholder
mkdir -p "$results/bicep"
sarif="$results/bicep/diagnostics.sarif"
bicep_rc=0
templates=$(find infra -name '*.bicep' | wc -l) params_files=$(find infra -name '*.bicepparam' | wc -l)
"$bicep" build --pattern 'infra/**/*.bicep' --outdir "$results/bicep" --diagnostics-format sarif >> "$sarif" 2>&1 || bicep_rc=1
"$bicep" build-params --pattern 'infra/**/*.bicepparam' --outdir "$results/bicep" --diagnostics-format sarif >> "$sarif" 2>&1 || bicep_rc=1
"$bicep" lint --pattern 'infra/**/*.bicep*' --diagnostics-format sarif >> "$sarif" 2>&1 || bicep_rc=1
# The API versions are the newest stable ones the pinned Bicep knows, which use-recent-api-versions accepts whatever
# the date: linting once more as if it were 2031 (the rule's own test-today setting) shows this run does not depend
# on today's date.
jq '.analyzers.core.rules["use-recent-api-versions"]["test-today"] = "2031-01-01"' \
  <(sed -E 's#^[[:space:]]*//.*$##' infra/bicepconfig.json) > "$results/bicep/bicepconfig.later.json"
"$bicep" lint infra/main.bicep --config "$results/bicep/bicepconfig.later.json" --diagnostics-format sarif >> "$sarif" 2>&1 || bicep_rc=1
# One SARIF document per file and command; every result is a diagnostic. Anything else means the CLI itself failed.
if ! jq -s 'length' "$sarif" >/dev/null 2>&1; then
  cat "$sarif"; echo "bicep printed something that is not SARIF"; exit 1
fi
# SARIF leaves "level" out for warnings (its default); errors say "error", infos "note".
jq -r -s '[.[].runs[].results[] | .level //= "warning"] | unique_by(.ruleId, .level, .message.text, (.locations[0].physicalLocation | tostring))[]
  | "\(.level): \(.ruleId) \(.locations[0].physicalLocation.artifactLocation.uri // "")(\(.locations[0].physicalLocation.region.startLine // "")): \(.message.text)"' \
  "$sarif"
bicep_counts=$(jq -r -s '[.[].runs[].results[] | .level //= "warning"] | unique_by(.ruleId, .level, .message.text, (.locations[0].physicalLocation | tostring))
  | "\(map(select(.level == "error")) | length) \(map(select(.level == "warning")) | length) \(map(select(.level == "note")) | length)"' \
  "$sarif")
read -r bicep_errors bicep_warnings bicep_notes <<<"$bicep_counts"
echo "bicep: $templates templates built and linted, $params_files parameters files built and linted: $bicep_errors errors, $bicep_warnings warnings, $bicep_notes infos"
if [ "$bicep_rc" != 0 ] || [ "$bicep_errors" != 0 ] || [ "$bicep_warnings" != 0 ]; then
  echo "bicep reported errors or warnings (or failed)"; exit 1
fi
unset DEPLOYER_OBJECT_ID DEPLOYER_PRINCIPAL_TYPE VAULT_NAME_SEED

step "publish (./deploy.sh --publish-only, self-contained linux-x64) and check the packages"
status_before=$(git status --porcelain)
publish_started=$(date +%s)
TENANTS_FILE=config/tenants.demo.json ./deploy.sh --publish-only "$results/dist"
echo "published both apps in $(( $(date +%s) - publish_started )) s"
if [ "$(git status --porcelain)" != "$status_before" ]; then
  echo "publishing changed the working tree (lock files?):"; diff <(echo "$status_before") <(git status --porcelain) || true; exit 1
fi
# What the Functions host needs from each zip (checked on the zip, which is what gets uploaded): host.json at the root;
# the executable host.json names, with its run bit; exactly one top-level folder per function of the repo, each
# with a function.json, and no other folder but config/ (the tenants file).
check_package() {
  local project=$1 zip="$results/dist/$1.zip" entries exe mode expected actual
  entries=$(unzip -Z1 "$zip")
  grep -qx 'host.json' <<<"$entries" || { echo "$zip: no host.json at the root"; return 1; }
  exe=$(unzip -p "$zip" host.json | jq -r '.customHandler.description.defaultExecutablePath')
  mode=$(zipinfo "$zip" "$exe" 2>/dev/null | awk '{print $1}')
  [[ $mode == -rwx* ]] || { echo "$zip: $exe (host.json's defaultExecutablePath) is missing or not executable ('$mode')"; return 1; }
  expected=$(cd "$project/functions" && ls -d -- */ | sed 's#/$##' | sort)
  actual=$(grep -E '^[^/]+/function\.json$' <<<"$entries" | cut -d/ -f1 | sort)
  [ "$expected" = "$actual" ] || { echo "$zip: function folders differ from $project/functions:"; diff <(echo "$expected") <(echo "$actual"); return 1; }
  actual=$(grep / <<<"$entries" | cut -d/ -f1 | sort -u | grep -vxF -e config -f <(echo "$expected") || true)
  [ -z "$actual" ] || { echo "$zip: folders the host would not read: $actual"; return 1; }
  grep -qx 'config/tenants.json' <<<"$entries" || { echo "$zip: no config/tenants.json"; return 1; }
  echo "$project.zip: $(du -h "$zip" | cut -f1), $(wc -l <<<"$entries") entries, host.json, $exe ($mode), $(wc -l <<<"$expected") function folders = $project/functions"
}
# Each package, unzipped as the host sees it, starts under the port variable the Functions host sets and answers its
# health check: the self-contained runtime and native libraries are all there (local store and secrets; the Azure
# providers need Azure).
start_package() {
  local project=$1 dir="$results/run/$1" port exe
  mkdir -p "$dir" && unzip -q "$results/dist/$project.zip" -d "$dir/pkg"
  exe=$(jq -r '.customHandler.description.defaultExecutablePath' "$dir/pkg/host.json")
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})')
  (cd "$dir/pkg" && exec env FUNCTIONS_CUSTOMHANDLER_PORT="$port" ASPNETCORE_ENVIRONMENT=Development \
    Store__Provider=Sqlite Sqlite__Path="$dir/store.db" Tenants__File=config/tenants.json \
    Secrets__Provider=Configuration Secrets__jwt_signing_key=test-sh-package-start-signing-key-0123456789 \
    Payments__Provider=Sandbox "./$exe") > "$dir/log" 2>&1 &
  app_pid=$!
  local ok=""
  for _ in $(seq 1 150); do
    if curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; then ok=1; break; fi
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.2
  done
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
  [ -n "$ok" ] || { echo "$project from its package did not answer /api/health:"; tail -20 "$dir/log"; return 1; }
  echo "$project: started from the unzipped package, /api/health answered 200"
}
for project in Functions.Api Functions.Workers; do
  check_package "$project"
  start_package "$project"
done

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
# The Cosmos SDK may ask the Azure VM metadata address (169.254.169.254) for telemetry; no test needs it.
export COSMOS_DISABLE_IMDS_ACCESS=true
echo "Cosmos server at $COSMOS_ENDPOINT"

step "azurite"
# Blob Storage for the data-sharing export tests: npm's azurite (package.json pins it), in memory, on a free port.
blob_port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})')
# Its only account is ours, with a key fresh each run (none is written in the repository; this also switches Azurite's
# published default account off).
blob_account=releases
blob_key=$(head -c 64 /dev/urandom | base64 | tr -d '\n')
AZURITE_ACCOUNTS="$blob_account:$blob_key" node_modules/.bin/azurite-blob --disableTelemetry --inMemoryPersistence --blobHost 127.0.0.1 --blobPort "$blob_port" --skipApiVersionCheck --loose > "$results/azurite.log" 2>&1 &
azurite_pid=$!
for _ in $(seq 1 100); do
  grep -q "successfully listens" "$results/azurite.log" 2>/dev/null && break
  kill -0 "$azurite_pid" 2>/dev/null || { cat "$results/azurite.log"; exit 1; }
  sleep 0.1
done
grep -q "successfully listens" "$results/azurite.log" || { echo "Azurite did not start"; cat "$results/azurite.log"; exit 1; }
export AZURITE_BLOB_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=$blob_account;AccountKey=$blob_key;BlobEndpoint=http://127.0.0.1:$blob_port/$blob_account;"
echo "Azurite blob at 127.0.0.1:$blob_port"

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
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime) >/dev/null 2>&1 || echo "installing faketime failed"
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
    env -u COSMOS_ENDPOINT -u AZURITE_BLOB_CONNECTION_STRING faketime -f "$offset" dotnet vstest "${clock_dlls[@]}" --Parallel > "$log" 2>&1 || rc=$?
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
  # Not a skip: without faketime the clock-independence check did not run, so the run must not pass.
  echo "FAILED: faketime is not installed and could not be installed (sudo apt-get install faketime)"
  failed=$((failed + 1)); status=1
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
