#!/bin/sh
# azd postdeploy hook, phase 2 of the deployment: the function's code is now deployed, so wait for its host to create
# the blobs_extension key, then provision again with the Event Grid subscription that feeds the blob trigger. Running
# `azd provision` (not a bare `az deployment`) reuses exactly the environment's other parameters.
# DEPLOY_EVENT_SUBSCRIPTION (the Bicep parameter) is set only once the key exists, and put back if provisioning fails,
# so a failed first attempt is retried by the next `azd deploy` instead of being recorded as done. Later deployments
# skip the wait: EVENT_SUBSCRIPTION_CONNECTED is set after a successful phase 2, and each `azd provision` keeps the
# subscription up to date.
set -eu
if [ "$(azd env get-value EVENT_SUBSCRIPTION_CONNECTED 2>/dev/null || true)" = "true" ]; then
  echo "Event Grid subscription already connected for this environment."
  exit 0
fi
group="$(azd env get-value AZURE_RESOURCE_GROUP)"
app="$(azd env get-value AZURE_FUNCTION_APP_NAME)"
sh "$(dirname "$0")/wait-for-blobs-extension-key.sh" "$group" "$app"

azd env set DEPLOY_EVENT_SUBSCRIPTION true
attempt=1
until azd provision --no-prompt; do
  if [ "$attempt" -ge 3 ]; then
    azd env set DEPLOY_EVENT_SUBSCRIPTION false
    echo "phase 2 (Event Grid subscription) failed $attempt times; run 'azd deploy' again to retry." >&2
    exit 1
  fi
  echo "phase 2 attempt $attempt failed (Event Grid validates the webhook against the starting host); retrying in 30 s."
  attempt=$((attempt + 1))
  sleep "${PIPELINE_RETRY_SECONDS:-30}"
done
azd env set EVENT_SUBSCRIPTION_CONNECTED true
