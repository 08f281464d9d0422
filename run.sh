#!/usr/bin/env bash
# Runs both function apps on embedded defaults: the SQLite store under ./.data, the demo tenant (Lekhak plans),
# local secrets. No cloud account needed. Ctrl+C stops both.
#   ./run.sh              only the .NET SDK: SQLite store, releases exported to a local folder
#   ./run.sh --emulators  Node too: the npm Cosmos DB server (or the emulator at COSMOS_ENDPOINT) and Azurite, both
#                         started here on 127.0.0.1 and stopped on exit (README, "Local emulators")
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
api_port=${API_PORT:-7071}
workers_port=${WORKERS_PORT:-7072}
emulators=0
case "${1:-}" in
  "") ;;
  --emulators) emulators=1 ;;
  *) echo "usage: $0 [--emulators]" >&2; exit 2 ;;
esac

mkdir -p .data
# A local signing key, made once per checkout and kept out of git (.data is ignored).
if [ ! -s .data/dev-jwt-signing-key ]; then
  head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > .data/dev-jwt-signing-key
fi
# The demo tenant's webhook secret: the local payment sandbox signs its events with it, the webhook verifies them.
if [ ! -s .data/dev-stripe-webhook-secret ]; then
  printf 'whsec_local_%s' "$(head -c 24 /dev/urandom | base64 | tr -d '\n/+=')" > .data/dev-stripe-webhook-secret
fi

dotnet build Serverless.sln -c Release -nologo -clp:ErrorsOnly

export ASPNETCORE_ENVIRONMENT=Development
export Store__Provider=Sqlite
export Sqlite__Path="$root/.data/serverless.db"
# Both apps read and write the same release folder (the default is relative to each app's own content root).
export DataSharing__Export__Folder="$root/.data/data-sharing-releases-LOCAL-FOLDER"
export Tenants__File="$root/config/tenants.demo.json"
export Secrets__Provider=Configuration
export Secrets__jwt_signing_key="$(cat .data/dev-jwt-signing-key)"
export Secrets__stripe_webhook_secret_demo="$(cat .data/dev-stripe-webhook-secret)"
export Payments__Provider=Sandbox
export Payments__Sandbox__BaseUrl="http://127.0.0.1:$api_port"

pids=()
emulator_pids=()
emulator_dir=""
stop() {
  kill "${pids[@]}" "${emulator_pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ -n "$emulator_dir" ]; then rm -rf "$emulator_dir"; fi
}
trap stop EXIT INT TERM

store_line="$root/.data/serverless.db (SQLite, embedded)"
health_tries=150
if [ "$emulators" = 1 ]; then
  command -v node >/dev/null || { echo "--emulators needs Node.js (the Cosmos server and Azurite are npm packages)" >&2; exit 1; }
  if [ ! -x node_modules/.bin/azurite-blob ] || [ ! -d node_modules/@vercel/cosmosdb-server ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
  # Logs and the embedded job queue for this run only: both emulators below keep their data in memory, so a queue kept
  # across runs would hold jobs about documents that no longer exist.
  emulator_dir=$(mktemp -d "${TMPDIR:-/tmp}/run-emulators.XXXXXX")
  wait_for() { # <pid> <log> <text>: the emulator's own "ready" line, or its exit
    for _ in $(seq 1 150); do
      grep -q "$3" "$2" 2>/dev/null && return 0
      kill -0 "$1" 2>/dev/null || { cat "$2"; echo "$2: the emulator exited" >&2; exit 1; }
      sleep 0.2
    done
    cat "$2"; echo "$2: not ready after 30 s" >&2; exit 1
  }

  # No key is written in this repository: a key of our own, fresh each run, for what this script starts (the npm Cosmos
  # server does not check keys; Azurite gets it as its only account, which also switches its published default
  # account off); an emulator started elsewhere brings its key in COSMOS_KEY.
  run_key=$(head -c 64 /dev/urandom | base64 | tr -d '\n')
  if [ -n "${COSMOS_ENDPOINT:-}" ]; then
    [ -n "${COSMOS_KEY:-}" ] || { echo "COSMOS_ENDPOINT needs COSMOS_KEY (the key the emulator at that address was started with)" >&2; exit 1; }
    cosmos_endpoint=$COSMOS_ENDPOINT
    cosmos_key=$COSMOS_KEY
    cosmos_line="$cosmos_endpoint (COSMOS_ENDPOINT; not started here)"
  else
    cosmos_key=$run_key
    cosmos_port=${COSMOS_PORT:-8081}
    node tests/tools/cosmos-server.js "$cosmos_port" > "$emulator_dir/cosmos-server.log" 2>&1 &
    emulator_pids+=($!)
    wait_for "$!" "$emulator_dir/cosmos-server.log" "listening"
    cosmos_endpoint="https://127.0.0.1:$cosmos_port/"
    cosmos_line="$cosmos_endpoint (npm @vercel/cosmosdb-server, in memory: gone when this script stops)"
  fi

  blob_port=${AZURITE_BLOB_PORT:-10000}
  blob_account=releases
  # --disableTelemetry: Azurite would otherwise report usage to Microsoft (and its telemetry client kept the process
  # alive after SIGTERM).
  AZURITE_ACCOUNTS="$blob_account:$run_key" node_modules/.bin/azurite-blob --disableTelemetry --inMemoryPersistence --blobHost 127.0.0.1 --blobPort "$blob_port" --skipApiVersionCheck --loose \
    > "$emulator_dir/azurite.log" 2>&1 &
  emulator_pids+=($!)
  wait_for "$!" "$emulator_dir/azurite.log" "successfully listens"

  export Store__Provider=Cosmos
  export Cosmos__Endpoint="$cosmos_endpoint"
  export Cosmos__Key="$cosmos_key"
  export Cosmos__ConnectionMode=Gateway
  export Cosmos__AcceptEmulatorCertificate=true
  export Cosmos__CreateIfMissing=true
  # The Cosmos SDK may ask the Azure VM metadata address for telemetry; there is none here.
  export COSMOS_DISABLE_IMDS_ACCESS=true
  export Sqlite__Path="$emulator_dir/queue.db"
  export DataSharing__Export__Provider=AzureBlob
  export DataSharing__Export__ConnectionString="DefaultEndpointsProtocol=http;AccountName=$blob_account;AccountKey=$run_key;BlobEndpoint=http://127.0.0.1:$blob_port/$blob_account;"
  store_line="Cosmos DB $cosmos_line
             Blob  http://127.0.0.1:$blob_port/$blob_account (Azurite, in memory: data-sharing releases, containers dp-<tenant>)
             Jobs  $emulator_dir/queue.db (embedded queue, this run only)"
  health_tries=600 # creating the database and containers on first start takes longer than opening SQLite
fi

Http__Port=$api_port Functions.Api/bin/Release/net10.0/Functions.Api --contentRoot "$root/Functions.Api/bin/Release/net10.0" &
pids+=($!)
Http__Port=$workers_port Functions.Workers/bin/Release/net10.0/Functions.Workers --contentRoot "$root/Functions.Workers/bin/Release/net10.0" &
pids+=($!)

for _ in $(seq 1 "$health_tries"); do
  if curl -fs "http://127.0.0.1:$api_port/api/health" >/dev/null 2>&1 && curl -fs "http://127.0.0.1:$workers_port/api/health" >/dev/null 2>&1; then
    break
  fi
  sleep 0.2
done

cat <<TXT

  API        http://127.0.0.1:$api_port/api/v1   (tenant "demo": send X-Tenant-ID: demo)
  API docs   http://127.0.0.1:$api_port/api/docs
  OpenAPI    http://127.0.0.1:$api_port/api/openapi/v1.json
  Pricing    the upgrade_url identify answers (…/api/v1/tenants/demo/pricing?token=<signed link token>)
  Sign-in    LOCAL STAND-IN issuer for Google (Development only): POST http://127.0.0.1:$api_port/api/dev/oidc/token {"email":…}
             gives an id_token; identify with it on two extension_ids → one user (README, "Trying it")
  Payments   local payment sandbox (no real payment; Pay sends signed Stripe-shaped events to the webhook)
  Health     http://127.0.0.1:$api_port/api/health
  Workers    http://127.0.0.1:$workers_port/api/health   (local trigger loop: embedded queue + timer schedules)
  AI         OFFLINE PROVIDER (labelled placeholder output; set Ai__Provider=OpenAI and Secrets__ai_api_key for real)
  Store      $store_line

  Try:  curl -s -X POST http://127.0.0.1:$api_port/api/v1/users/identify \\
          -H 'X-Tenant-ID: demo' -H 'Content-Type: application/json' \\
          -d '{"extension_id":"my-first-install","email":"me@example.com","action_type":"text_rewrite"}'
  Then: curl -s -i -X POST http://127.0.0.1:$api_port/api/v1/features/requests -H 'X-Tenant-ID: demo' \\
          -H 'Authorization: Bearer <access_token>' -H 'Content-Type: application/json' \\
          -d '{"request_text":"Add a dark mode toggle"}'      (202; poll the Location)

TXT
wait -n "${pids[@]}"
