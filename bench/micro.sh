#!/usr/bin/env bash
# Builds the BenchmarkDotNet micro-benchmarks in Release and runs them (short job); arguments go to BenchmarkDotNet,
# for example: bash bench/micro.sh --filter '*Csv540*'
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet build bench/Pipeline.Bench.Micro -c Release -nologo -v quiet >/dev/null
cd artifacts/bin/Pipeline.Bench.Micro/release
exec dotnet Pipeline.Bench.Micro.dll "${@:---filter=*}"
