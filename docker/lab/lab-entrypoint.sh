#!/usr/bin/env bash
# Entrypoint of a pgmesh lab host: prepares the container for an inner Docker engine, starts the lab
# registry on the registry host, then becomes dockerd. Runs under the engine's init (--init).
#
# Environment (set by io.pgmesh.orchestrator.lab.Lab):
#   LAB_INSECURE_REGISTRIES  CIDR(s), comma separated, of registries spoken to over plain HTTP (the lab subnet)
#   LAB_ADDRESS_POOL         base of the inner engines' default address pools, e.g. 10.209.0.0/16
#   LAB_ADDRESS_POOL_SIZE    prefix length of each pool subnet, e.g. 24
#   LAB_REGISTRY             1 on the host that runs the registry (:5000, storage /var/lib/docker-registry)
#   LAB_CERT_DIR             read-only directory with ca.pem, server-cert.pem, server-key.pem
set -euo pipefail

log() { printf '[lab-host %s] %s\n' "$(hostname)" "$*"; }

: "${LAB_INSECURE_REGISTRIES:?}" "${LAB_ADDRESS_POOL:?}" "${LAB_ADDRESS_POOL_SIZE:=24}" "${LAB_CERT_DIR:=/etc/pgmesh-lab/certs}"

# /sys and the cgroup hierarchies are mounted read-only in a container that is not --privileged
# (which this engine cannot grant): the inner engine must write them.
mount -o remount,rw /sys 2>/dev/null || log "warning: cannot remount /sys read-write"
while read -r _ target fstype _; do
  case "$fstype" in
    # the superblock of a cgroup v1 hierarchy is the outer machine's: only this mount can become rw
    cgroup|cgroup2) mount -o remount,rw "$target" 2>/dev/null || mount -o remount,bind,rw "$target" 2>/dev/null \
                      || log "warning: cannot remount $target read-write" ;;
  esac
done < <(awk '$2 ~ "^/sys/fs/cgroup" {print}' /proc/mounts)

# cgroup v2: processes may not sit in a cgroup whose controllers are delegated to children ("no internal
# processes"): move everything into a child cgroup, then enable every controller for the inner engine.
if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
  mkdir -p /sys/fs/cgroup/init
  xargs -rn1 < /sys/fs/cgroup/cgroup.procs > /sys/fs/cgroup/init/cgroup.procs 2>/dev/null || true
  sed -e 's/ / +/g' -e 's/^/+/' < /sys/fs/cgroup/cgroup.controllers \
    > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || log "warning: cannot enable cgroup controllers"
fi

# A restarted host keeps its writable layer: pid files of the engine that died with the container would
# make dockerd and containerd refuse to start.
rm -f /var/run/docker.pid /run/docker.pid /var/run/docker/containerd/containerd.pid \
      /run/docker/containerd/containerd.pid /run/containerd/containerd.pid /var/run/docker.sock

mtu=$(cat /sys/class/net/eth0/mtu 2>/dev/null || echo 1500)
registries=""
IFS=',' read -ra cidrs <<< "$LAB_INSECURE_REGISTRIES"
for c in "${cidrs[@]}"; do registries+="${registries:+, }\"$c\""; done
mkdir -p /etc/docker
cat > /etc/docker/daemon.json <<JSON
{
  "insecure-registries": [${registries}],
  "default-address-pools": [{"base": "${LAB_ADDRESS_POOL}", "size": ${LAB_ADDRESS_POOL_SIZE}}],
  "mtu": ${mtu}
}
JSON

if [[ "${LAB_REGISTRY:-0}" == 1 ]]; then
  mkdir -p /var/lib/docker-registry
  # Debian's /etc/docker/registry/config.yml asks for htpasswd logins: the lab's registry is open, plain HTTP.
  cat > /etc/docker/registry/lab.yml <<'YAML'
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: /var/lib/docker-registry
  delete:
    enabled: true
http:
  addr: :5000
YAML
  log "starting the lab registry on :5000"
  nohup docker-registry serve /etc/docker/registry/lab.yml >/var/log/docker-registry.log 2>&1 &
fi

log "starting dockerd (eth0 mtu ${mtu})"
exec dockerd \
  -H unix:///var/run/docker.sock -H tcp://0.0.0.0:2376 \
  --tlsverify \
  --tlscacert "${LAB_CERT_DIR}/ca.pem" \
  --tlscert "${LAB_CERT_DIR}/server-cert.pem" \
  --tlskey "${LAB_CERT_DIR}/server-key.pem"
