#!/usr/bin/env bash
# The bring-up baseline of the benchmark (docs/BENCHMARKS.md): the same full mesh that `pgmesh up`
# makes, done by hand with plain `docker run` and `psql`, no node daemon involved.
#
#   bench/baseline-mesh.sh up N        create the network, N containers and the mesh
#   bench/baseline-mesh.sh down        remove the containers and the network (by label)
#   bench/baseline-mesh.sh floor       one bare container from `docker run` to accepting connections,
#                                      printed as "floor <seconds>", then removed
#   bench/baseline-mesh.sh settings|hba|sql I|subscriptions I N
#                                      print the PostgreSQL settings, the pg_hba file, node I's setup SQL or its
#                                      subscriptions in a mesh of N (no Docker; BaselineScriptTest compares them
#                                      with what pgmesh does)
#
# Environment (all optional):
#   BASELINE_CLUSTER   name prefix and label value (default pgmesh-bench-base)
#   BASELINE_IMAGE     node image (default pgmesh-node:latest); the bench passes the tag pgmesh uses
#   BASELINE_OCTET     third octet of the subnet 172.28.X.0/24 (default 161)
#   BASELINE_MAX_NODES sizes the replication settings like PGMESH_MAX_NODES (default 8)
#   BASELINE_REPL_PASSWORD, BASELINE_WRITER_PASSWORD, BASELINE_READER_PASSWORD, BASELINE_OWNER_PASSWORD
#                      role passwords (default: generated)
#   BASELINE_TLS_DIR   TLS mode (the bench's switch; pgmesh itself has no plain-text mode): a directory holding
#                      node0/, node1/, ... each with the files ClusterPki.issueNode hands a node (ca.crt, crl.pem,
#                      server.crt, server.key, replicator.crt, replicator.key). Each container gets its node's
#                      files as pgmesh's runtime hands them over (/run/secrets/pgmesh-tls-<name>, owned by postgres,
#                      0400, copied in before the container starts) and copies them at start into the daemon's TLS
#                      directory (0600); PostgreSQL then runs with the daemon's TLS settings (ssl = on, ...) and
#                      pg_hba (hostssl only, the replication role by client certificate), and every subscription
#                      connects as the daemon's do (sslmode=verify-full, the node's replicator certificate, no
#                      password). Unset (default): no TLS, exactly as before.
#
# Same image, same container settings as the orchestrator (static address on an own bridge network,
# --init, 256 MiB /dev/shm, ports on 127.0.0.1 only), same PostgreSQL settings as the node daemon
# writes (node-daemon ServerConfig; BaselineScriptTest keeps them equal), same roles, database, table
# (with the system columns and the node's key range), grants, publications, and one subscription per
# ordered pair of nodes with copy_data = false, origin = none. What it leaves out is what only pgmesh
# does: the conflict machinery (version triggers and functions, tombstone, shadow, update-notes and
# conflict-log tables; the publication holds table1 only), the daemon (a JVM per container) and its bookkeeping.
#
# With BASELINE_TLS_DIR it also does TLS as pgmesh does (see above); the bench measures what TLS costs that way.
#
# Unlike the orchestrator, which starts one node and wires it in before starting the next, this
# script starts all containers first, then sets up every node, then creates every subscription,
# one `docker exec psql` per node and phase: what a shell script naturally does.
set -euo pipefail

cluster=${BASELINE_CLUSTER:-pgmesh-bench-base}
image=${BASELINE_IMAGE:-pgmesh-node:latest}
octet=${BASELINE_OCTET:-161}
max_nodes=${BASELINE_MAX_NODES:-8}
net="${cluster}_net"
label="io.pgmesh.bench=${cluster}"
db=lb-test
table=table1
key_range=2147483647
ready_timeout=60

password() { head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20; }
repl_pw=${BASELINE_REPL_PASSWORD:-$(password)}
writer_pw=${BASELINE_WRITER_PASSWORD:-$(password)}
reader_pw=${BASELINE_READER_PASSWORD:-$(password)}
owner_pw=${BASELINE_OWNER_PASSWORD:-$(password)}

# What the node daemon writes at start (ServerConfig.renderSettings / renderHba), sized like it:
# one walsender, slot and apply worker per possible peer, plus 4 spare; 8 more worker processes.
per_peer=$((max_nodes + 4))
conf_dir=/etc/postgresql/17/main
pg_settings="# Written by the pgmesh node daemon at every start; edits are overwritten.
listen_addresses = '*'
port = 5432
wal_level = logical
track_commit_timestamp = on
max_connections = 200
max_locks_per_transaction = 256
password_encryption = 'scram-sha-256'
standard_conforming_strings = on
max_wal_senders = ${per_peer}
max_replication_slots = ${per_peer}
max_logical_replication_workers = ${per_peer}
max_worker_processes = $((per_peer + 8))
max_slot_wal_keep_size = 4096MB
wal_receiver_timeout = '10s'
hba_file = '${conf_dir}/pgmesh_hba.conf'
"
pg_hba="# Written by the pgmesh node daemon at every start; edits are overwritten.
# TYPE  DATABASE  USER      ADDRESS     METHOD
local   all       postgres              peer
host    all       all       0.0.0.0/0   scram-sha-256
host    all       all       ::/0        scram-sha-256
"
# TLS mode: what ServerConfig.renderTlsSettings(tls_dir) and renderHba("replicator") write (BaselineScriptTest
# keeps them equal); tls_dir is the daemon's (DaemonSettings.tlsDir()).
tls_src=${BASELINE_TLS_DIR:-}
tls_dir=/var/lib/postgresql/pgmesh/tls
tls_files="ca.crt crl.pem server.crt server.key replicator.crt replicator.key"
postgres_ids=100:102 # uid:gid of the image's postgres user (NodeImage.POSTGRES_UID/GID; the Dockerfile checks them)
if [[ -n $tls_src ]]; then
  pg_settings+="# TLS with the node's certificate from the cluster's CA; reloaded (no restart) when rotated
ssl = on
ssl_cert_file = '${tls_dir}/server.crt'
ssl_key_file = '${tls_dir}/server.key'
ssl_ca_file = '${tls_dir}/ca.crt'
ssl_crl_file = '${tls_dir}/crl.pem'
ssl_min_protocol_version = 'TLSv1.2'
"
  pg_hba="# Written by the pgmesh node daemon at every start; edits are overwritten.
# TYPE   DATABASE  USER      ADDRESS     METHOD
local    all       postgres              peer
hostssl  all       \"replicator\"  0.0.0.0/0   cert
hostssl  all       \"replicator\"  ::/0        cert
hostssl  all       all       0.0.0.0/0   scram-sha-256
hostssl  all       all       ::/0        scram-sha-256
"
fi
# The container's command instead of the daemon: write the same files, then run PostgreSQL itself.
# In TLS mode it first installs the delivered files as the daemon does (postgres-owned, 0600).
start_pg='mkdir -p '"$conf_dir"'/conf.d
if [ -n "$PG_TLS_DIR" ]; then
  mkdir -p "$PG_TLS_DIR" && chmod 0700 "$PG_TLS_DIR"
  for f in '"$tls_files"'; do
    cp "/run/secrets/pgmesh-tls-$f" "$PG_TLS_DIR/$f" && chmod 0600 "$PG_TLS_DIR/$f"
  done
fi
printf "%s" "$PG_HBA" > '"$conf_dir"'/pgmesh_hba.conf
printf "%s" "$PG_SETTINGS" > '"$conf_dir"'/conf.d/pgmesh.conf
exec /usr/lib/postgresql/17/bin/postgres -D /var/lib/postgresql/17/main -c config_file='"$conf_dir"'/postgresql.conf'

log() { echo "[baseline] $*" >&2; }

# "[baseline] phase NAME SECONDS" on stderr after each phase of `up` (the bench reads them).
phase_start=$EPOCHREALTIME
phase() {
  local now=$EPOCHREALTIME
  awk -v n="$1" -v s="$phase_start" -v e="$now" 'BEGIN { printf "[baseline] phase %s %.3f\n", n, e - s }' >&2
  phase_start=$now
}

run_node() { # name address index
  if [[ -z $tls_src ]]; then
    docker run -d --name "$1" --hostname "${1##*-}" --label "$label" --network "$net" --ip "$2" \
      --init --shm-size 256m -p 127.0.0.1::5432 \
      -e PG_SETTINGS="$pg_settings" -e PG_HBA="$pg_hba" \
      --entrypoint /bin/bash "$image" -c "$start_pg" >/dev/null
    return
  fi
  # TLS: create, hand over node I's files as pgmesh's runtime does (NodeContainers.copyFiles), then start
  docker create --name "$1" --hostname "${1##*-}" --label "$label" --network "$net" --ip "$2" \
    --init --shm-size 256m -p 127.0.0.1::5432 \
    -e PG_SETTINGS="$pg_settings" -e PG_HBA="$pg_hba" -e PG_TLS_DIR="$tls_dir" \
    --entrypoint /bin/bash "$image" -c "$start_pg" >/dev/null
  tls_archive "$3" | docker cp - "$1:/"
  docker start "$1" >/dev/null
}

tls_archive() { # index: a tar of node I's files as run/secrets/pgmesh-tls-<name>, postgres's, 0400, on stdout
  local src="$tls_src/node$1" f stage
  for f in $tls_files; do
    [[ -r $src/$f ]] || { log "BASELINE_TLS_DIR: $src/$f is missing"; return 1; }
  done
  stage=$(mktemp -d)
  mkdir -p "$stage/run/secrets"
  for f in $tls_files; do cp "$src/$f" "$stage/run/secrets/pgmesh-tls-$f"; done
  (cd "$stage" && tar -cf - --numeric-owner --owner="${postgres_ids%%:*}" --group="${postgres_ids##*:}" --mode=0400 \
    $(for f in $tls_files; do echo "run/secrets/pgmesh-tls-$f"; done))
  rm -rf "$stage"
}

await_ready() { # container
  local port deadline=$((SECONDS + ready_timeout))
  port=$(docker port "$1" 5432/tcp | head -n 1)
  port=${port##*:}
  until if command -v pg_isready >/dev/null; then pg_isready -q -h 127.0.0.1 -p "$port"
        else docker exec "$1" pg_isready -q; fi; do
    if ((SECONDS >= deadline)); then
      log "$1 did not accept connections within ${ready_timeout} s"; docker logs --tail 20 "$1" >&2; return 1
    fi
    sleep 0.02
  done
}

psql_in() { # container; SQL on stdin, one statement at a time (CREATE DATABASE/SUBSCRIPTION need that)
  docker exec -i -e PGOPTIONS='-c client_min_messages=warning' "$1" psql -X -q -v ON_ERROR_STOP=1 -d postgres >/dev/null
}

node_sql() { # index
  local i=$1 first=$(( $1 * key_range + 1 )) last=$(( ($1 + 1) * key_range ))
  cat <<SQL
CREATE ROLE admin LOGIN PASSWORD '${owner_pw}';
CREATE ROLE replicator LOGIN REPLICATION PASSWORD '${repl_pw}';
CREATE ROLE testwriter LOGIN PASSWORD '${writer_pw}';
CREATE ROLE testreader LOGIN PASSWORD '${reader_pw}';
CREATE DATABASE "${db}" OWNER admin;
GRANT CONNECT ON DATABASE "${db}" TO replicator, testwriter, testreader;
\\connect "${db}"
CREATE TABLE public.${table} (
  id bigserial PRIMARY KEY,
  col1 varchar DEFAULT 'default-value'::varchar,
  col2 varchar,
  created_ts timestamptz NOT NULL DEFAULT clock_timestamp(),
  modified_ts timestamptz NOT NULL DEFAULT clock_timestamp(),
  modified_by integer NOT NULL DEFAULT 0,
  prev_modified_ts timestamptz,
  prev_modified_by integer
);
ALTER TABLE public.${table} OWNER TO admin;
ALTER SEQUENCE public.${table}_id_seq MINVALUE ${first} MAXVALUE ${last} START WITH ${first} RESTART WITH ${first};
GRANT SELECT, INSERT, UPDATE, DELETE ON public.${table} TO testwriter;
GRANT USAGE, SELECT ON SEQUENCE public.${table}_id_seq TO testwriter;
GRANT SELECT ON public.${table} TO testreader, replicator;
CREATE PUBLICATION pub_node${i}_${table} FOR TABLE public.${table};
SQL
}

# How a subscription logs in: the replication role's password; in TLS mode what PeerTls.conninfoOptions() gives
# (verify-full, the node's replicator certificate, no password), its quotes doubled inside the SQL literal.
login_options() {
  if [[ -z $tls_src ]]; then
    echo "password=${repl_pw}"
  else
    echo "sslmode=verify-full sslrootcert=''${tls_dir}/ca.crt'' sslcrl=''${tls_dir}/crl.pem''" \
      "sslcert=''${tls_dir}/replicator.crt'' sslkey=''${tls_dir}/replicator.key''"
  fi
}

subscriptions_sql() { # index count
  local i=$1 n=$2 j
  echo "\\connect \"${db}\""
  for ((j = 0; j < n; j++)); do
    ((j == i)) && continue
    echo "CREATE SUBSCRIPTION sub_node${i}_node${j}_${table} CONNECTION 'host=172.28.${octet}.$((10 + j)) port=5432 dbname=${db} user=replicator $(login_options)' PUBLICATION pub_node${j}_${table} WITH (copy_data = false, origin = none);"
  done
}

up() {
  local n=$1 i
  ((n >= 1 && n <= max_nodes)) || { log "node count $n is out of range 1..$max_nodes"; exit 2; }
  docker network create --subnet "172.28.${octet}.0/24" --gateway "172.28.${octet}.1" --label "$label" "$net" >/dev/null
  for ((i = 0; i < n; i++)); do run_node "${cluster}-node${i}" "172.28.${octet}.$((10 + i))" "$i"; done
  phase network+docker-run
  for ((i = 0; i < n; i++)); do await_ready "${cluster}-node${i}"; done
  phase accepting-connections
  for ((i = 0; i < n; i++)); do node_sql "$i" | psql_in "${cluster}-node${i}"; done
  phase roles+database+table+publication
  if ((n > 1)); then
    for ((i = 0; i < n; i++)); do subscriptions_sql "$i" "$n" | psql_in "${cluster}-node${i}"; done
  fi
  phase subscriptions
  log "$n nodes up, $((n * (n - 1))) subscriptions${tls_src:+, TLS}"
}

down() {
  local ids
  ids=$(docker ps -aq --filter "label=$label")
  [[ -z $ids ]] || docker rm -f -v $ids >/dev/null
  ids=$(docker network ls -q --filter "label=$label")
  [[ -z $ids ]] || docker network rm $ids >/dev/null
}

floor() {
  local name="${cluster}-floor" start end
  [[ -z $tls_src ]] || { log "floor has no TLS mode: unset BASELINE_TLS_DIR"; exit 2; }
  start=$(date +%s.%N)
  docker run -d --name "$name" --label "$label" --init --shm-size 256m -p 127.0.0.1::5432 \
    -e PG_SETTINGS="$pg_settings" -e PG_HBA="$pg_hba" --entrypoint /bin/bash "$image" -c "$start_pg" >/dev/null
  await_ready "$name"
  end=$(date +%s.%N)
  docker rm -f -v "$name" >/dev/null
  awk -v s="$start" -v e="$end" 'BEGIN { printf "floor %.3f\n", e - s }'
}

case "${1:-}" in
  up) up "${2:?usage: baseline-mesh.sh up N}" ;;
  down) down ;;
  floor) floor ;;
  settings) printf '%s' "$pg_settings" ;;
  hba) printf '%s' "$pg_hba" ;;
  sql) node_sql "${2:?usage: baseline-mesh.sh sql I}" ;;
  subscriptions) subscriptions_sql "${2:?usage: baseline-mesh.sh subscriptions I N}" \
    "${3:?usage: baseline-mesh.sh subscriptions I N}" ;;
  *) echo "usage: baseline-mesh.sh up N | down | floor | settings | hba | sql I | subscriptions I N" >&2; exit 2 ;;
esac
