#!/usr/bin/env bash
# Builds the benchmarks in Release and runs them (all, or the names given), printing one table.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet build bench/Pipeline.Bench -c Release -nologo -v quiet >/dev/null
exec dotnet artifacts/bin/Pipeline.Bench/release/Pipeline.Bench.dll "$@"
