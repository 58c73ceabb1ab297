#!/usr/bin/env bash
# Installs what building and testing dpbridge needs on Debian 12, only what is missing.
# Usage: scripts/setup.sh [extra Debian packages…]
set -euo pipefail

# python3-prometheus-client: the CLI tests parse GET /metrics with its parser.
# python3-jsonschema, python3-yaml: scripts/contract-test.sh validates against the OpenAPI document.
# prometheus: its promtool checks contrib/prometheus/alerts.yml (scripts/dashboards-test.sh); on a
#   systemd host the package also enables a Prometheus server on :9090 (`systemctl disable --now prometheus`).
# chromium: scripts/status-page-test.sh loads the status page in a headless browser.
# haproxy: scripts/ha-test.sh puts it in front of two instances (issue 18).
# libpq-dev: the PostgreSQL client the `Postgres` module wraps (issue 18); postgresql: the
#   server scripts/with-postgres.sh starts for the tests, a throw-away cluster each time (on a
#   systemd host the package also starts a cluster of its own on :5432: `systemctl disable --now postgresql`).
packages=(pkg-config libsqlite3-dev libcurl4-openssl-dev libsystemd-dev libpq-dev postgresql python3
    python3-prometheus-client python3-jsonschema python3-yaml curl sqlite3 prometheus chromium haproxy "$@")
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq || true
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (install Swift 6.2 or later)"; exit 1; }
