#!/usr/bin/env bash
# The project's test command (README: "Run the tests"). Installs what the tests need (the pinned npm tools that
# provide real Azurite and MailDev servers), builds, runs every test project and prints one closing line:
#   N passed, N failed, N skipped
# computed from the TRX results of the real runs. Exits non-zero when anything failed or did not build.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"

echo "== installing test tools (tools/package.json: Azurite, MailDev)"
if command -v npm >/dev/null 2>&1; then
  # npm ci starts from scratch every time; skip it when the installed tree came from this exact lock file.
  stamp="tools/node_modules/.installed-from-lock"
  lock_sum="$(sha256sum tools/package-lock.json | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_sum" ]; then
    (cd tools && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci in tools/ failed"; exit 2; }
    echo "$lock_sum" > "$stamp"
  else
    echo "tools/node_modules is up to date with tools/package-lock.json"
  fi
else
  echo "npm is not installed: Blob (Azurite) and SMTP (MailDev) tests will report as skipped."
fi

echo "== browser for the report's rendering test (Debian chromium)"
if [ -x /usr/bin/chromium ]; then
  echo "chromium is installed"
elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    && echo "installed chromium" || echo "could not install chromium: the browser test will report as skipped"
else
  echo "chromium is not installed (apt-get install chromium): the browser test will report as skipped"
fi

if [ -z "${PIPELINE_TEST_SQLSERVER:-}" ]; then
  echo "== PIPELINE_TEST_SQLSERVER is not set: the SQL Server store tests will report as skipped (SQLite runs them always)"
fi

projects=(tests/*/*.Tests.csproj)
build_failed=0
for p in "${projects[@]}"; do
  name="$(basename "$p" .csproj)"
  echo "== $name"
  if ! log="$(dotnet build "$p" -nologo -v quiet 2>&1)"; then
    echo "$log" | grep -E "error" | sort -u
    echo "BUILD FAILED: $p"; build_failed=1; continue
  fi
  dotnet test "$p" --no-build --nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" 2>&1 \
    | grep -vE "^\s*$|^Test run for|^A total of|^Results File|^No test is available|^Additionally, path to test adapters" || true
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx")"
  get() { echo "$counters" | sed -E "s/.* $1=\"([0-9]+)\".*/\1/"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get total) - $(get executed)))
done
if [ "$build_failed" -ne 0 ]; then failed=$((failed + 1)); echo "a test project did not build (counted as one failure)"; fi
# ---- Bicep (infra/): each .bicep file compiled by eng/bicep.sh is one check (warnings fail it). Self-contained block.
echo "== Bicep (infra/, eng/bicep.sh)"
bicep_log="$(bash eng/bicep.sh 2>&1)"
echo "$bicep_log" | sed 's/^/  /'
bicep_ok="$(grep -c '^bicep ok: ' <<<"$bicep_log" || true)"
bicep_failed="$(grep -c '^bicep FAILED: ' <<<"$bicep_log" || true)"
if [ "$bicep_ok" -eq 0 ] && [ "$bicep_failed" -eq 0 ]; then
  bicep_failed=1; echo "  no Bicep file was compiled (counted as one failure)"
fi
passed=$((passed + bicep_ok)); failed=$((failed + bicep_failed))
# ---- end of the Bicep block

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
