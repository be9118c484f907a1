#!/bin/sh
# azd postdeploy hook, phase 2 of the deployment: the function's code is now deployed and its host has created the
# blobs_extension key, so provision again with the Event Grid subscription that feeds the blob trigger. Running
# `azd provision` (not a bare `az deployment`) reuses exactly the environment's other parameters. Later deployments
# skip it: the subscription already exists and each `azd provision` keeps it up to date.
set -eu
if [ "$(azd env get-value DEPLOY_EVENT_SUBSCRIPTION 2>/dev/null || true)" = "true" ]; then
  echo "Event Grid subscription already enabled for this environment."
  exit 0
fi
azd env set DEPLOY_EVENT_SUBSCRIPTION true
azd provision --no-prompt
