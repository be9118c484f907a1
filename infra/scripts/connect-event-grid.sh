#!/bin/sh
# azd postdeploy hook, phase 2 of the deployment: the function's code is now deployed and its host has created the
# blobs_extension key, so provision again with the Event Grid subscription that feeds the blob trigger. Running
# `azd provision` (not a bare `az deployment`) reuses exactly the environment's other parameters.
set -eu
if [ "$(azd env get-value DEPLOY_EVENT_SUBSCRIPTION 2>/dev/null || true)" = "true" ]; then
  echo "Event Grid subscription already enabled for this environment; provisioning keeps it up to date."
fi
azd env set DEPLOY_EVENT_SUBSCRIPTION true
azd provision --no-prompt
