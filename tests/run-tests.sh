#!/usr/bin/env bash
# Runs the whole NUnit suite against the freshly built binaries and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
dotnet test Fmp4Streamer.Tests -c Release --nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# CI shows only the tail of the output: repeat each failed test's name and first message line there.
awk '/^ +Failed [^ ]/ { name = $0; sub(/^ +Failed /, "", name); getline; getline; print "FAILED: " name " -- " $0 }' "$log" \
  | sed -E 's/ +/ /g' | head -40
line=$(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+' "$log" | tail -1)
if [ -n "$line" ]; then
  failed=$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$line")
  passed=$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$line")
  echo "$passed passed, $failed failed"
else
  echo "0 passed, 1 failed"
  [ "$rc" = 0 ] && rc=1
fi
rm -f "$log"
exit "$rc"
