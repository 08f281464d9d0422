#!/usr/bin/env bash
# Benchmark (not a test): a campaign to N customers (default 100,000) through the embedded queue with an in-app-like
# sender; prints recipients/s end to end, the hold and settle figures and the wallet consistency check.
# Usage: bench/campaigns.sh [customers] [receivers] [batch_size]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/Campaigns/Campaigns.csproj -- "$@"
