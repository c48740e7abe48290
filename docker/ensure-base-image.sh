#!/usr/bin/env bash
# Makes sure a Debian trixie base image exists and prints its tag on stdout.
# Order: debian:trixie-slim if present or pullable; otherwise the project tag pgmesh-base:trixie,
# built with debootstrap (minbase) and `docker import` when no registry answers. Safe to run again.
set -euo pipefail

PROJECT_TAG=${PGMESH_BASE_IMAGE:-pgmesh-base:trixie}
UPSTREAM_TAG=debian:trixie-slim
MIRROR=${PGMESH_DEBIAN_MIRROR:-http://deb.debian.org/debian}

log() { printf '[base-image] %s\n' "$*" >&2; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

if have_image "$PROJECT_TAG"; then log "using $PROJECT_TAG (present)"; echo "$PROJECT_TAG"; exit 0; fi
if have_image "$UPSTREAM_TAG"; then log "using $UPSTREAM_TAG (present)"; echo "$UPSTREAM_TAG"; exit 0; fi
if timeout 60 docker pull -q "$UPSTREAM_TAG" >/dev/null 2>&1; then
  log "pulled $UPSTREAM_TAG"; echo "$UPSTREAM_TAG"; exit 0
fi

log "no registry answers; building $PROJECT_TAG with debootstrap from $MIRROR"
if ! command -v debootstrap >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
  else
    log "debootstrap is missing: install it (sudo apt-get install -y debootstrap) and run again"; exit 4
  fi
fi
# debootstrap on bookworm needs the trixie script; fall back to sid's, which is the same shape.
rootfs=$(mktemp -d /tmp/pgmesh-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
script_args=()
if [[ ! -e /usr/share/debootstrap/scripts/trixie ]]; then script_args=(/usr/share/debootstrap/scripts/sid); fi
if ! debootstrap --variant=minbase trixie "$rootfs" "$MIRROR" "${script_args[@]}" >/tmp/pgmesh-debootstrap.log 2>&1; then
  log "debootstrap failed; last lines of /tmp/pgmesh-debootstrap.log:"; tail -n 20 /tmp/pgmesh-debootstrap.log >&2; exit 4
fi
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
tar -C "$rootfs" -c . | docker import -c 'CMD ["/bin/bash"]' - "$PROJECT_TAG" >/dev/null
log "imported $PROJECT_TAG"
echo "$PROJECT_TAG"
