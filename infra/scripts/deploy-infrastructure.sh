#!/usr/bin/env bash
# Deploys infra/main.bicep with the Azure CLI, for the deploy workflow and for platform engineers not using azd.
#   usage: bash infra/scripts/deploy-infrastructure.sh <deployEventSubscription: false|true>
# Parameters come from the same environment variables azd uses (docs/deploy.md): AZURE_ENV_NAME and AZURE_LOCATION
# (required); SQL_ADMINISTRATOR_NAME, SQL_ADMINISTRATOR_OBJECT_ID, SMTP_HOST, SMTP_USERNAME, MAIL_FROM,
# DEPLOYER_PRINCIPAL_ID, SUBMISSIONS_RETENTION_DAYS, LOCK_DATA_ACCOUNT, OPERATIONS_EMAIL (optional). Both phases
# pass the same values, so phase 2 changes nothing but the Event Grid part.
# Writes functionAppName and resourceGroup to $GITHUB_OUTPUT, and the outputs infra/scripts/prepare-database.sh reads to
# $GITHUB_ENV, when run in GitHub Actions.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
phase2="${1:?say false (phase 1) or true (phase 2: Event Grid subscription)}"
: "${AZURE_ENV_NAME:?set AZURE_ENV_NAME (e.g. nhs-ne-prod)}"
: "${AZURE_LOCATION:?set AZURE_LOCATION (e.g. uksouth)}"

parameters=(
  "environmentName=$AZURE_ENV_NAME"
  "location=$AZURE_LOCATION"
  "deployEventSubscription=$phase2"
  "deployerPrincipalId=${DEPLOYER_PRINCIPAL_ID:-}"
  "sqlAdministratorName=${SQL_ADMINISTRATOR_NAME:-}"
  "sqlAdministratorObjectId=${SQL_ADMINISTRATOR_OBJECT_ID:-}"
  "smtpHost=${SMTP_HOST:-}"
  "smtpUserName=${SMTP_USERNAME:-}"
  "mailFrom=${MAIL_FROM:-}"
  "submissionsRetentionDays=${SUBMISSIONS_RETENTION_DAYS:-2557}"
  "lockDataAccount=${LOCK_DATA_ACCOUNT:-true}"
  "operationsEmail=${OPERATIONS_EMAIL:-}"
)

# Phase 2 reads the host's blobs_extension key, which appears only once the deployed host has started: wait for it,
# then retry a few times (Event Grid validates the webhook against the starting host).
attempts=1
if [ "$phase2" = "true" ]; then
  attempts=3
  app="$(az functionapp list --resource-group "rg-$AZURE_ENV_NAME" --query "[0].name" --output tsv)"
  sh "$root/infra/scripts/wait-for-blobs-extension-key.sh" "rg-$AZURE_ENV_NAME" "$app"
fi
for attempt in $(seq 1 "$attempts"); do
  if outputs="$(az deployment sub create \
      --name "pipeline-$AZURE_ENV_NAME-$([ "$phase2" = "true" ] && echo events || echo base)" \
      --location "$AZURE_LOCATION" \
      --template-file "$root/infra/main.bicep" \
      --parameters "${parameters[@]}" \
      --query properties.outputs --output json)"; then
    break
  fi
  [ "$attempt" -eq "$attempts" ] && { echo "deployment failed after $attempts attempt(s)"; exit 1; }
  echo "attempt $attempt failed; the host may still be starting. Retrying in 30 s."
  sleep 30
done

app="$(jq -r '.AZURE_FUNCTION_APP_NAME.value' <<<"$outputs")"
group="$(jq -r '.AZURE_RESOURCE_GROUP.value' <<<"$outputs")"
echo "function app: $app (resource group $group)"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  { echo "functionAppName=$app"; echo "resourceGroup=$group"; } >>"$GITHUB_OUTPUT"
fi
if [ -n "${GITHUB_ENV:-}" ]; then
  for output in AZURE_RESOURCE_GROUP AZURE_SQL_SERVER AZURE_SQL_DATABASE APP_IDENTITY_NAME APP_IDENTITY_PRINCIPAL_ID; do
    echo "$output=$(jq -r ".$output.value" <<<"$outputs")" >>"$GITHUB_ENV"
  done
fi
