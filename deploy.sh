#!/usr/bin/env bash
# Deploys the backend to Azure with the az CLI: infrastructure (infra/main.bicep), then both function apps
# (self-contained linux-x64, executable at the package root as host.json expects), then a smoke test.
# NOT exercised in the build environment (no Azure access there): read it before running it.
#
# Usage: RESOURCE_GROUP=rg-serverless LOCATION=westeurope ENVIRONMENT=dev TENANTS_FILE=config/tenants.json ./deploy.sh
set -euo pipefail
cd "$(dirname "$0")"
rg=${RESOURCE_GROUP:?set RESOURCE_GROUP}
location=${LOCATION:-westeurope}
environment=${ENVIRONMENT:-dev}
tenants=${TENANTS_FILE:?set TENANTS_FILE (the production tenants file: plans, Stripe price ids, origins)}
for tool in az dotnet zip jq curl; do
  command -v "$tool" >/dev/null || { echo "deploy.sh needs '$tool' on PATH" >&2; exit 1; }
done

echo "== infrastructure ($rg, $location, $environment)"
az group create --name "$rg" --location "$location" --output none
deployer=$(az ad signed-in-user show --query id --output tsv)
outputs=$(az deployment group create --resource-group "$rg" --template-file infra/main.bicep \
  --parameters environment="$environment" deployerPrincipalId="$deployer" \
  --query properties.outputs --output json)
api_app=$(jq -r .apiAppName.value <<<"$outputs")
workers_app=$(jq -r .workersAppName.value <<<"$outputs")
api_url=$(jq -r .apiUrl.value <<<"$outputs")
vault=$(jq -r .keyVaultName.value <<<"$outputs")

echo "== build and publish"
rm -rf dist && mkdir -p dist
for project in Functions.Api Functions.Workers; do
  # Lock files pin the portable graph; publishing for a runtime adds runtime packs, so it restores without them.
  dotnet publish "$project" -c Release -r linux-x64 --self-contained true -p:RestorePackagesWithLockFile=false -o "dist/$project" -nologo
  mkdir -p "dist/$project/config" && cp "$tenants" "dist/$project/config/tenants.json"
  test -x "dist/$project/$project" || { echo "dist/$project/$project (the executable host.json names) is missing" >&2; exit 1; }
  (cd "dist/$project" && zip -qr "../$project.zip" .)
done
git checkout -- '*packages.lock.json' 2>/dev/null || true

echo "== deploy"
az functionapp deployment source config-zip --resource-group "$rg" --name "$api_app" --src dist/Functions.Api.zip --output none
az functionapp deployment source config-zip --resource-group "$rg" --name "$workers_app" --src dist/Functions.Workers.zip --output none

echo "== secrets (Key Vault $vault): set the ones still missing"
if ! az keyvault secret show --vault-name "$vault" --name jwt-signing-key --output none 2>/dev/null; then
  az keyvault secret set --vault-name "$vault" --name jwt-signing-key --value "$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')" --output none
  echo "   jwt-signing-key generated"
fi
cat <<TXT
   Still to set by hand (values come from Stripe and your AI provider):
     az keyvault secret set --vault-name $vault --name ai-api-key --value <key>
     for each tenant T: stripe-secret-key-T (sk_...), stripe-webhook-secret-T (whsec_... of the endpoint below)
   Stripe webhook endpoint per tenant: $(jq -r .stripeWebhookUrlTemplate.value <<<"$outputs")
TXT

echo "== smoke test"
for _ in $(seq 1 30); do
  if curl -fsS "$api_url/health" >/dev/null; then echo "   $api_url/health: ok"; exit 0; fi
  sleep 10
done
echo "   $api_url/health did not answer 200 within 5 minutes; check Application Insights" >&2
exit 1
