#!/bin/bash
# pgmesh node supervisor: the node image's entrypoint (docker/node/Dockerfile).
#
# Runs the node daemon and restarts it when it exits unexpectedly, so a crashed daemon does not
# take the container (and its running PostgreSQL) down with it. A restarted daemon adopts the
# PostgreSQL that still runs ("PostgreSQL already runs").
#
# - SIGTERM (docker stop) and SIGINT stop the daemon with SIGTERM (a background job of a script starts
#   with SIGINT ignored, and the JVM keeps it ignored); the daemon stops the PostgreSQL it started
#   (pg_ctl stop -m fast), and a PostgreSQL the daemon adopted is stopped here the same way. Exit 0.
# - Exit status 2 is an invalid configuration: restarting cannot help, the container exits with 2.
# - A daemon that keeps dying within RAPID_SECONDS of its start is restarted with a growing delay
#   (1, 2, 4, 8 s); after MAX_RAPID such failures in a row the container exits with its status.
# - Orphans (a PostgreSQL whose daemon died) are reaped by PID 1: docker-init when the container runs
#   with --init (the orchestrator sets it), else this shell, which reaps every child it gets.
set -u

PG_BIN=${PGMESH_PG_BIN:-/usr/lib/postgresql/17/bin}
PG_DATA=${PGMESH_PG_DATA:-/var/lib/postgresql/17/main}
DAEMON=(java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx96m -jar /opt/pgmesh/node-daemon.jar)
EXIT_INVALID_CONFIG=2
RAPID_SECONDS=${PGMESH_SUPERVISOR_RAPID_SECONDS:-10}
MAX_RAPID=${PGMESH_SUPERVISOR_MAX_RAPID:-5}

log() {
    echo "[supervisor] $*" >&2
}

stopping=0
interrupted=0
daemon=0

on_signal() {
    stopping=1
    interrupted=1
    if [ "$daemon" -gt 0 ]; then
        log "received SIG$1: stopping the node daemon (pid $daemon)"
        kill -s TERM "$daemon" 2>/dev/null
    else
        log "received SIG$1"
    fi
}
trap 'on_signal TERM' TERM
trap 'on_signal INT' INT

# A PostgreSQL the current daemon adopted from a dead one is not stopped by the daemon's shutdown.
stop_postgres() {
    if "$PG_BIN/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1; then
        log "stopping PostgreSQL (pg_ctl stop -m fast)"
        "$PG_BIN/pg_ctl" stop -m fast -t 20 -D "$PG_DATA" >&2
    fi
}

finish() {
    stop_postgres
    log "$1"
    exit "$2"
}

rapid=0
restarts=0
while :; do
    started=$SECONDS
    "${DAEMON[@]}" &
    daemon=$!
    if [ "$stopping" = 1 ]; then
        kill -s TERM "$daemon" 2>/dev/null  # the signal came before $daemon was known
    fi
    # wait returns early when a trapped signal arrives: wait again until the daemon itself exits
    while :; do
        interrupted=0
        wait "$daemon"
        status=$?
        [ "$interrupted" = 1 ] && kill -0 "$daemon" 2>/dev/null || break
    done
    daemon=0
    uptime=$((SECONDS - started))

    if [ "$stopping" = 1 ]; then
        finish "stopped: node daemon exited with status $status" 0
    fi
    if [ "$status" = "$EXIT_INVALID_CONFIG" ]; then
        finish "node daemon exited with status $status (invalid configuration): not restarting it" "$status"
    fi
    if [ "$uptime" -lt "$RAPID_SECONDS" ]; then
        rapid=$((rapid + 1))
    else
        rapid=0
    fi
    if [ "$rapid" -ge "$MAX_RAPID" ]; then
        finish "node daemon exited with status $status $rapid times in a row within ${RAPID_SECONDS} s of its start: giving up" "$status"
    fi
    delay=1
    for ((i = 1; i < rapid && delay < 8; i++)); do
        delay=$((delay * 2))
    done
    restarts=$((restarts + 1))
    log "node daemon exited unexpectedly with status $status after ${uptime} s; restarting it in ${delay} s (restart #${restarts})"
    sleep "$delay" &
    wait $! || true
    if [ "$stopping" = 1 ]; then
        finish "stopped while waiting to restart the node daemon" 0
    fi
done
