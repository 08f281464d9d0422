#!/usr/bin/env bash
# How long one password hash takes on this machine at the production cost (or at the iterations given as $1).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/PasswordHash/PasswordHash.csproj -- "$@"
