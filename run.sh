#!/usr/bin/env bash
# Runs both function apps on embedded defaults: the SQLite store under ./.data, the demo tenant (Lekhak plans),
# local secrets. No cloud account needed. Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
api_port=${API_PORT:-7071}
workers_port=${WORKERS_PORT:-7072}

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
export Tenants__File="$root/config/tenants.demo.json"
export Secrets__Provider=Configuration
export Secrets__jwt_signing_key="$(cat .data/dev-jwt-signing-key)"
export Secrets__stripe_webhook_secret_demo="$(cat .data/dev-stripe-webhook-secret)"
export Payments__Provider=Sandbox
export Payments__Sandbox__BaseUrl="http://127.0.0.1:$api_port"

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

Http__Port=$api_port Functions.Api/bin/Release/net10.0/Functions.Api --contentRoot "$root/Functions.Api/bin/Release/net10.0" &
pids+=($!)
Http__Port=$workers_port Functions.Workers/bin/Release/net10.0/Functions.Workers --contentRoot "$root/Functions.Workers/bin/Release/net10.0" &
pids+=($!)

for _ in $(seq 1 150); do
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
  Store      $root/.data/serverless.db (SQLite, embedded)

  Try:  curl -s -X POST http://127.0.0.1:$api_port/api/v1/users/identify \\
          -H 'X-Tenant-ID: demo' -H 'Content-Type: application/json' \\
          -d '{"extension_id":"my-first-install","email":"me@example.com","action_type":"text_rewrite"}'
  Then: curl -s -i -X POST http://127.0.0.1:$api_port/api/v1/features/requests -H 'X-Tenant-ID: demo' \\
          -H 'Authorization: Bearer <access_token>' -H 'Content-Type: application/json' \\
          -d '{"request_text":"Add a dark mode toggle"}'      (202; poll the Location)

TXT
wait -n "${pids[@]}"
