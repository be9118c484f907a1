#!/usr/bin/env bash
# Compiles every Bicep file under infra/ with the real Bicep CLI, so a syntax or type error in the infrastructure fails
# the build here rather than at deployment. The CLI comes from the NuGet package Azure.Bicep.CommandLine.linux-x64 (the
# only registry this machine and CI reach), fetched by a throwaway project with <PackageDownload> and `dotnet restore`.
# Warnings count as failures, as TreatWarningsAsErrors does for C#: a Bicep warning is usually a misspelt property
# (BCP037) or an unavailable API version (BCP081) that would fail or be ignored at deployment.
# Prints one line per file ("bicep ok: infra/main.bicep" / "bicep FAILED: ...") and a closing count; exits non-zero when
# any file fails to compile or the CLI cannot be obtained.
#   usage: bash eng/bicep.sh [file.bicep ...]    (default: every infra/**/*.bicep)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
version="0.49.2"
package="azure.bicep.commandline.linux-x64"

packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
bicep="$packages/$package/$version/tools/bicep"
if [ ! -x "$bicep" ]; then
  fetch="$(mktemp -d)"
  cat >"$fetch/fetch-bicep.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <!-- Outside the repository, so Directory.Build.props and central package management do not apply. -->
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$version]" />
  </ItemGroup>
</Project>
PROJ
  if ! dotnet restore "$fetch/fetch-bicep.csproj" -nologo -v quiet >"$fetch/restore.log" 2>&1; then
    cat "$fetch/restore.log"; echo "could not fetch the Bicep CLI $version"; rm -rf "$fetch"; exit 2
  fi
  rm -rf "$fetch"
  bicep="$(find "$packages/$package/$version/tools" -type f -name bicep 2>/dev/null | head -n 1)"
  [ -n "$bicep" ] || { echo "the Bicep CLI package $version has no tools/**/bicep binary"; exit 2; }
  chmod +x "$bicep"
fi

if [ "$#" -gt 0 ]; then files=("$@"); else mapfile -t files < <(find infra -name '*.bicep' | sort); fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
ok=0; failed=0
for f in "${files[@]}"; do
  if log="$("$bicep" build "$f" --outdir "$out" 2>&1)" && ! grep -qE ': (Error|Warning) ' <<<"$log"; then
    ok=$((ok + 1)); echo "bicep ok: $f"
  else
    failed=$((failed + 1)); echo "bicep FAILED: $f"; echo "$log" | sed 's/^/    /'
  fi
done
echo "bicep: $ok compiled, $failed failed"
[ "$failed" -eq 0 ] && [ "$ok" -gt 0 ]
