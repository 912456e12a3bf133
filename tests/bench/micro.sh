#!/usr/bin/env bash
# In-process per-frame costs on the 1080p benchmark stream (tests/bench/Microbench).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/common.sh
dotnet run -c Release --project tests/bench/Microbench -- "$src" 2>/dev/null | grep -v '^<'
