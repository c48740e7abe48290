#!/usr/bin/env bash
# Makes sure a Docker engine answers `docker info`.
# On Debian/Ubuntu as root it installs Debian's docker.io and starts dockerd when needed;
# elsewhere it prints exactly what the user must do. Safe to run again.
set -euo pipefail

log() { printf '[engine] %s\n' "$*" >&2; }

engine_answers() { docker info >/dev/null 2>&1; }

await_engine() {
  local deadline=$((SECONDS + ${1:-60}))
  until engine_answers; do
    if (( SECONDS >= deadline )); then return 1; fi
    sleep 0.5
  done
}

if command -v docker >/dev/null 2>&1 && engine_answers; then
  log "engine answers: $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo unknown)"
  exit 0
fi

is_debian_like=false
if [[ -r /etc/os-release ]] && grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; then
  is_debian_like=true
fi

if [[ $(id -u) -ne 0 || $is_debian_like != true ]]; then
  cat >&2 <<'MSG'
[engine] No Docker engine answers `docker info`, and this script only installs one on Debian/Ubuntu as root.
[engine] Do one of:
[engine]   - Debian/Ubuntu:  sudo apt-get install -y docker.io && sudo systemctl start docker
[engine]   - other systems:  install Docker Engine (https://docs.docker.com/engine/install/) and start it
[engine]   - no root:        ask an administrator to add you to the 'docker' group, then log in again
[engine] then run this command again.
MSG
  exit 3
fi

if ! command -v dockerd >/dev/null 2>&1; then
  log "installing Debian's docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q docker.io >/dev/null
fi

log "starting dockerd"
if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
  systemctl start docker || true
fi
if ! engine_answers; then
  mkdir -p /var/log
  nohup dockerd >/var/log/pgmesh-dockerd.log 2>&1 &
fi
if ! await_engine 90; then
  log "dockerd did not answer within 90 s; last lines of /var/log/pgmesh-dockerd.log:"
  tail -n 20 /var/log/pgmesh-dockerd.log >&2 || true
  exit 3
fi
log "engine answers: $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo unknown)"
