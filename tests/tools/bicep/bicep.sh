#!/usr/bin/env bash
# Runs the pinned Bicep CLI (NuGet package Azure.Bicep.CommandLine.linux-x64, version in Directory.Packages.props,
# locked in packages.lock.json next to this script). Restores this restore-only project in locked mode when the binary
# is not there yet. Used by test.sh (build and lint) and deploy.sh (the template it deploys).
#   tests/tools/bicep/bicep.sh build infra/main.bicep --stdout
#   tests/tools/bicep/bicep.sh --path      prints the binary's path
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
assets="$here/obj/project.assets.json"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "bicep.sh runs the linux-x64 Bicep CLI; on $(uname -s)-$(uname -m) install Bicep (az bicep install) instead" >&2
  exit 1
fi
command -v jq >/dev/null || { echo "bicep.sh needs 'jq' on PATH" >&2; exit 1; }

resolve() {
  [ -f "$assets" ] || return 1
  local folder path
  folder=$(jq -r '.packageFolders | keys[0]' "$assets")
  path=$(jq -r '.libraries | to_entries[] | select(.key | startswith("Azure.Bicep.CommandLine.linux-x64/")) | .value.path' "$assets")
  [ -n "$path" ] && [ -x "$folder$path/tools/bicep" ] && echo "$folder$path/tools/bicep"
}

exe=""
if [ "$here/packages.lock.json" -nt "$assets" ] || ! exe=$(resolve); then
  dotnet restore "$here/bicep.csproj" --locked-mode --nologo -v quiet >&2
  exe=$(resolve) || { echo "the Bicep CLI is missing after restoring $here/bicep.csproj" >&2; exit 1; }
fi

if [ "${1:-}" = "--path" ]; then
  echo "$exe"
  exit 0
fi
exec "$exe" "$@"
