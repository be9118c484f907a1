#!/bin/sh
# Waits until the function app's host has created its blobs_extension system key, which the Event Grid subscription's
# webhook URL carries (infra/app/event-grid.bicep). The host creates it on its first start after the code deployment,
# which can take minutes on Flex Consumption; phase 2 must not run before, or the deployment fails (or, worse, a caller
# records phase 2 as done).
#   usage: sh infra/scripts/wait-for-blobs-extension-key.sh <resource group> <function app name> [attempts, default 40]
# (PIPELINE_KEY_WAIT_ATTEMPTS and PIPELINE_KEY_WAIT_SECONDS override the attempts and the 15 s pause; the tests use them.)
set -eu
group="${1:?resource group}"; app="${2:?function app name}"; attempts="${3:-${PIPELINE_KEY_WAIT_ATTEMPTS:-40}}"
attempt=1
while :; do
  key="$(az functionapp keys list --resource-group "$group" --name "$app" --query "systemKeys.blobs_extension" --output tsv 2>/dev/null || true)"
  if [ -n "$key" ]; then
    echo "blobs_extension key present on $app (attempt $attempt)."
    exit 0
  fi
  if [ "$attempt" -ge "$attempts" ]; then
    echo "no blobs_extension key on $app after $attempts attempts: is the code deployed and the host running? (az functionapp function list -g $group -n $app)" >&2
    exit 1
  fi
  echo "waiting for $app's host to create its blobs_extension key ($attempt/$attempts) ..."
  attempt=$((attempt + 1))
  sleep "${PIPELINE_KEY_WAIT_SECONDS:-15}"
done
