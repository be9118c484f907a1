#!/bin/sh
# azd postprovision hook (and a step of the deploy workflow): brings the Azure SQL schema up to date with the pipeline's
# own migrations and makes the app's managed identity a database user (db_datareader, db_datawriter, db_ddladmin) with
# `pipeline migrate --app-user`, signed in as whoever runs this (an Entra administrator of the server: a member of the
# SQL_ADMINISTRATOR group). Safe to repeat. The server admits only Azure services, so this opens the firewall to this
# machine's public address for the duration and closes it again on exit.
# Values come from the environment (the deploy workflow) or else the azd environment.
set -eu
value() { eval "v=\${$1:-}"; if [ -n "$v" ]; then echo "$v"; else azd env get-value "$1" 2>/dev/null || true; fi; }
group="$(value AZURE_RESOURCE_GROUP)"
server="$(value AZURE_SQL_SERVER)"
database="$(value AZURE_SQL_DATABASE)"
app_user="$(value APP_IDENTITY_NAME)"
app_user_object_id="$(value APP_IDENTITY_PRINCIPAL_ID)"
if [ -z "$(value SQL_ADMINISTRATOR_OBJECT_ID)" ]; then
  echo "The app's own identity administers the SQL server (no SQL_ADMINISTRATOR_OBJECT_ID): no person can sign in, and the app"
  echo "creates the schema itself before its first use of SQL. Nothing to do."
  exit 0
fi
: "${group:?}" "${server:?}" "${database:?}" "${app_user:?}" "${app_user_object_id:?}"

root="$(cd "$(dirname "$0")/../.." && pwd)"
server_name="${server%%.*}"
rule="deploy-$(date +%s)"
address="$(curl -fsS https://api.ipify.org)"
az sql server firewall-rule create --resource-group "$group" --server "$server_name" --name "$rule" \
  --start-ip-address "$address" --end-ip-address "$address" --output none
trap 'az sql server firewall-rule delete --resource-group "$group" --server "$server_name" --name "$rule" --output none || true' EXIT

# A paused serverless database resumes on the first connection (up to a minute); a new firewall rule takes a moment too.
attempt=1
until Pipeline__Store__Provider=sqlserver \
  Pipeline__Store__ConnectionString="Server=tcp:${server},1433;Database=${database};Authentication=Active Directory Default;Encrypt=True;Connect Timeout=90" \
  dotnet run --project "$root/src/Pipeline.Cli" --configuration Release -- migrate --app-user "$app_user" --app-user-object-id "$app_user_object_id"; do
  if [ "$attempt" -ge 4 ]; then
    echo "could not prepare the database after $attempt attempts (are you a member of the SQL administrator group?)" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 20
done
