#!/usr/bin/env bash
# Deploys the backend to Azure with the az CLI, in this order:
#   1. publish   both apps, self-contained linux-x64, executable at the package root as host.json expects; one zip each
#   2. deployer  the signed-in principal's object id (a user, or a service principal in CI)
#   3. group     the resource group, tagged once with the seed of the Key Vault's name
#   4. infra     infra/<ENVIRONMENT>.bicepparam compiled with the pinned Bicep CLI, deployed as one group deployment
#   5. secrets   jwt-signing-key generated when missing (the apps read it); the rest printed as commands to run
#   6. packages  zips uploaded to the deployment-packages container with Entra ID, apps restarted, triggers synced
#   7. smoke     GET <api>/health until 200
# Step 1 is what test.sh runs (./deploy.sh --publish-only <dir>) and checks. Steps 2-7 need Azure: from the build
# environment (no Azure access) they ran only against a stand-in az CLI (tests/tools/fake-az, DeployScriptTests).
# Read them before running them.
#
# Usage:
#   RESOURCE_GROUP=rg-serverless LOCATION=westeurope ENVIRONMENT=prod TENANTS_FILE=path/to/tenants.json ./deploy.sh
#   TENANTS_FILE=config/tenants.demo.json ./deploy.sh --publish-only <dir>     # step 1 only, into <dir>
#   RESOURCE_GROUP=... ENVIRONMENT=prod ./deploy.sh --packages <dir>          # steps 2-7 with <dir>/<app>.zip from step 1
#
# Sign in first: `az login` (a user), or in CI `az login --service-principal -u <app id> --tenant <tenant> ...`
# (secret, certificate or federated token). The deployer's object id is found with `az ad signed-in-user show` (users)
# or `az ad sp show --id <app id>` (service principals; needs permission to read the directory). Set
# DEPLOYER_OBJECT_ID and DEPLOYER_PRINCIPAL_TYPE (User or ServicePrincipal) to skip that lookup, e.g. for a managed
# identity or a service principal without directory read access. The deployer needs Owner (or Contributor plus Role
# Based Access Control Administrator) on the resource group: the template assigns roles.
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")"
# Paths given on the command line or in TENANTS_FILE are relative to where deploy.sh was started.
from_caller() { case $1 in /*) echo "$1" ;; *) echo "$caller/$1" ;; esac; }
apps=(Functions.Api Functions.Workers)
bicep=tests/tools/bicep/bicep.sh

fail() { echo "deploy.sh: $*" >&2; exit 1; }
need() { for tool in "$@"; do command -v "$tool" >/dev/null || fail "needs '$tool' on PATH"; done; }

# Runs "$@" until it succeeds, up to $1 attempts $2 seconds apart: role assignments take minutes to reach the data
# planes (blob upload, Key Vault), and a restarted app takes a while before it accepts a trigger sync.
retry() {
  local attempts=$1 pause=$2 i
  shift 2
  for i in $(seq 1 "$attempts"); do
    if "$@"; then return 0; fi
    [ "$i" = "$attempts" ] || { echo "   not yet (attempt $i of $attempts); retrying in ${pause}s" >&2; sleep "$pause"; }
  done
  return 1
}

# Step 1. The lock files carry the linux-x64 graph (RuntimeIdentifiers in the projects), so this restores in locked
# mode and leaves the tree unchanged; the runtime packs come from the package feed.
publish() {
  local out=$1 tenants=$2 project exe
  [ -f "$tenants" ] || fail "TENANTS_FILE '$tenants' does not exist"
  rm -rf "$out" && mkdir -p "$out"
  out=$(cd "$out" && pwd)
  for project in "${apps[@]}"; do
    dotnet publish "$project" -c Release -r linux-x64 --self-contained true -p:RestoreLockedMode=true \
      -o "$out/$project" -nologo -clp:ErrorsOnly
    mkdir -p "$out/$project/config" && cp "$tenants" "$out/$project/config/tenants.json"
    exe=$(jq -r '.customHandler.description.defaultExecutablePath' "$out/$project/host.json")
    [ -x "$out/$project/$exe" ] || fail "$out/$project/$exe (host.json's defaultExecutablePath) is missing or not executable"
    # zip keeps the Unix mode bits, so the executable keeps its run bit when the host mounts the package.
    (cd "$out/$project" && zip -qr "$out/$project.zip" .)
    echo "   $out/$project.zip ($(du -h "$out/$project.zip" | cut -f1))"
  done
}

packages=""
case "${1:-}" in
  --publish-only)
    [ $# -eq 2 ] || fail "usage: TENANTS_FILE=<file> ./deploy.sh --publish-only <dir>"
    need dotnet zip jq
    tenants=$(from_caller "${TENANTS_FILE:?set TENANTS_FILE (the tenants file the package carries as config/tenants.json)}")
    echo "== 1. publish (into $2)"
    publish "$(from_caller "$2")" "$tenants"
    exit 0 ;;
  --packages)
    [ $# -eq 2 ] || fail "usage: ./deploy.sh --packages <dir> (the output of --publish-only)"
    packages=$(from_caller "$2") ;;
  "") ;;
  *) fail "unknown arguments: $* (see the usage at the top of deploy.sh)" ;;
esac

rg=${RESOURCE_GROUP:?set RESOURCE_GROUP}
location=${LOCATION:-westeurope}
environment=${ENVIRONMENT:-dev}
params=infra/$environment.bicepparam
[ -f "$params" ] || fail "no parameters file $params for ENVIRONMENT=$environment (dev or prod)"
pause=${DEPLOY_RETRY_PAUSE_SECONDS:-15}
need az jq curl

if [ -z "$packages" ]; then
  tenants=$(from_caller "${TENANTS_FILE:?set TENANTS_FILE (the production tenants file: plans, Stripe price ids, origins)}")
  need dotnet zip
  echo "== 1. publish"
  publish dist "$tenants"
  packages=dist
else
  echo "== 1. publish: using the packages in $packages"
  for project in "${apps[@]}"; do [ -f "$packages/$project.zip" ] || fail "$packages/$project.zip is missing"; done
fi

echo "== 2. deployer"
if [ -z "${DEPLOYER_OBJECT_ID:-}" ]; then
  account=$(az account show --output json) || fail "not signed in: run az login (or az login --service-principal) first"
  case $(jq -r .user.type <<<"$account") in
    user)
      DEPLOYER_OBJECT_ID=$(az ad signed-in-user show --query id --output tsv)
      DEPLOYER_PRINCIPAL_TYPE=User ;;
    servicePrincipal)
      app_id=$(jq -r .user.name <<<"$account")
      [[ $app_id =~ ^[0-9a-fA-F-]{36}$ ]] || fail "signed in as '$app_id' (a managed identity?): set DEPLOYER_OBJECT_ID and DEPLOYER_PRINCIPAL_TYPE=ServicePrincipal"
      DEPLOYER_OBJECT_ID=$(az ad sp show --id "$app_id" --query id --output tsv) \
        || fail "cannot read service principal $app_id from the directory: set DEPLOYER_OBJECT_ID (its object id)"
      DEPLOYER_PRINCIPAL_TYPE=ServicePrincipal ;;
    *) fail "unknown account type in az account show: set DEPLOYER_OBJECT_ID and DEPLOYER_PRINCIPAL_TYPE" ;;
  esac
fi
DEPLOYER_PRINCIPAL_TYPE=${DEPLOYER_PRINCIPAL_TYPE:?set DEPLOYER_PRINCIPAL_TYPE (User or ServicePrincipal) with DEPLOYER_OBJECT_ID}
case $DEPLOYER_PRINCIPAL_TYPE in User|ServicePrincipal|Group) ;; *) fail "DEPLOYER_PRINCIPAL_TYPE must be User, ServicePrincipal or Group" ;; esac
echo "   $DEPLOYER_PRINCIPAL_TYPE $DEPLOYER_OBJECT_ID"

echo "== 3. resource group ($rg)"
# The Key Vault's name includes a random seed kept in a tag on the group: redeploying into the group reuses the vault;
# a group deleted and created again gets a new seed, so its vault does not collide with the old one, which stays
# soft-deleted (purge-protected in prod) for its retention period.
seed_tag=serverless-vault-seed
if [ "$(az group exists --name "$rg")" = true ]; then
  VAULT_NAME_SEED=$(az group show --name "$rg" --output json | jq -r --arg t "$seed_tag" '.tags[$t] // empty')
else
  az group create --name "$rg" --location "$location" --output none
  VAULT_NAME_SEED=""
fi
if [ -z "$VAULT_NAME_SEED" ]; then
  VAULT_NAME_SEED=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
  az tag update --resource-id "$(az group show --name "$rg" --query id --output tsv)" --operation Merge \
    --tags "$seed_tag=$VAULT_NAME_SEED" --output none
  echo "   tagged $seed_tag=$VAULT_NAME_SEED"
fi

echo "== 4. infrastructure ($params)"
compiled=$(mktemp -d)
trap 'rm -rf "$compiled"' EXIT
# The pinned Bicep CLI (the one test.sh compiles and lints with) turns the parameters file into the ARM template and
# parameters that are deployed; the .bicepparam files read the three variables exported here.
export DEPLOYER_OBJECT_ID DEPLOYER_PRINCIPAL_TYPE VAULT_NAME_SEED
"$bicep" build-params "$params" --stdout > "$compiled/build.json"
jq -r .templateJson "$compiled/build.json" > "$compiled/main.json"
jq -r .parametersJson "$compiled/build.json" > "$compiled/parameters.json"
outputs=$(az deployment group create --resource-group "$rg" --name "serverless-$environment-$(date -u +%Y%m%d%H%M%S)" \
  --template-file "$compiled/main.json" --parameters "@$compiled/parameters.json" \
  --query properties.outputs --output json)
out() { jq -r ".$1.value" <<<"$outputs"; }
api_url=$(out apiUrl)
vault=$(out keyVaultName)
storage=$(out storageAccountName)
container=$(out packageContainerName)

echo "== 5. secrets (Key Vault $vault): set the ones still missing"
jwt_key() {
  az keyvault secret show --vault-name "$vault" --name jwt-signing-key --output none 2>/dev/null && return 0
  # From a file, not --value: a command line is visible to every process on the machine.
  (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$compiled/jwt-signing-key")
  az keyvault secret set --vault-name "$vault" --name jwt-signing-key --file "$compiled/jwt-signing-key" --encoding utf-8 \
    --output none && echo "   jwt-signing-key generated"
}
retry 20 "$pause" jwt_key || fail "could not read or set jwt-signing-key in $vault (is the Key Vault Secrets Officer role there yet?)"
cat <<TXT
   Still to set by hand (values come from Stripe and your AI provider):
     az keyvault secret set --vault-name $vault --name ai-api-key --value <key>
     for each tenant T: stripe-secret-key-T (sk_...), stripe-webhook-secret-T (whsec_... of the endpoint below)
   Stripe webhook endpoint per tenant: $(out stripeWebhookUrlTemplate)
TXT

echo "== 6. packages (run from $storage/$container with the apps' identities)"
upload() {
  az storage blob upload --auth-mode login --account-name "$storage" --container-name "$container" \
    --name "$1" --file "$2" --overwrite --only-show-errors --output none
}
sync_triggers() { az rest --method post --url "$1/syncfunctiontriggers?api-version=2025-03-01" --output none; }
for pair in "Functions.Api:api" "Functions.Workers:workers"; do
  project=${pair%%:*} key=${pair##*:}
  app=$(out "${key}AppName") app_id=$(out "${key}AppId") blob=$(out "${key}PackageBlob")
  retry 20 "$pause" upload "$blob" "$packages/$project.zip" || fail "could not upload $packages/$project.zip to $container/$blob"
  # The app reads WEBSITE_RUN_FROM_PACKAGE when it starts: a new package under the same name needs a restart, and a
  # package URL needs an explicit trigger sync so the platform (and the scale controller) sees its function.json files.
  az functionapp restart --resource-group "$rg" --name "$app" --output none
  retry 10 "$pause" sync_triggers "$app_id" || fail "could not sync the triggers of $app"
  echo "   $app: $container/$blob, restarted, triggers synced"
done

echo "== 7. smoke test"
for _ in $(seq 1 30); do
  if curl -fsS "$api_url/health" >/dev/null; then echo "   $api_url/health: ok"; exit 0; fi
  sleep "$pause"
done
echo "   $api_url/health did not answer 200 after 30 tries ${pause}s apart; check Application Insights" >&2
exit 1
