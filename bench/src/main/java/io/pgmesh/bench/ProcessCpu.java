package io.pgmesh.bench;

import com.github.dockerjava.api.DockerClient;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a container's CPU goes, by kind of process: a snapshot of every process's user+system time (from /proc,
 * read inside the container), classified by its PostgreSQL process title; the difference of two snapshots is the
 * CPU each kind used in between. A process started in between counts in full; one that ended in between is not
 * counted (the pool keeps its connections open, so the inserts' backends live through a round).
 */
final class ProcessCpu {

    static final String CLIENTS = "client backends (the inserts, with any triggers)";
    static final String WALSENDERS = "walsenders (logical decoding, sending)";
    static final String APPLY = "apply workers (applying peers' changes, with triggers)";
    static final String DAEMON = "node daemon (JVM and its sessions)";
    static final String OTHER = "other PostgreSQL processes (WAL writer, checkpointer, autovacuum, ...)";
    static final List<String> KINDS = List.of(CLIENTS, WALSENDERS, APPLY, DAEMON, OTHER);

    /** 100 clock ticks per second, as on every Linux this runs on (CONFIG_HZ does not change USER_HZ). */
    private static final double TICKS_PER_SECOND = 100;
    private static final java.util.regex.Pattern STAT_LINE = java.util.regex.Pattern.compile("\\d+ \\(");
    private static final String LIST = "for d in /proc/[0-9]*; do s=$(cat $d/stat 2>/dev/null) || continue;"
            + " c=$(tr '\\000\\n' '  ' < $d/cmdline 2>/dev/null); printf '%s|%s\\n' \"$s\" \"$c\"; done";

    /** pid -> (kind, seconds) of one container. */
    record Snapshot(Map<String, Double> seconds, Map<String, String> kinds) {
    }

    private ProcessCpu() {
    }

    static Snapshot snapshot(DockerClient docker, String containerId) {
        Map<String, Double> seconds = new HashMap<>();
        Map<String, String> kinds = new HashMap<>();
        for (String line : DockerExec.run(docker, containerId, 30, "sh", "-c", LIST).split("\n")) {
            if (!STAT_LINE.matcher(line).lookingAt()) {
                continue;
            }
            int paren = line.indexOf(") ");
            int bar = line.indexOf('|', paren);
            if (bar < 0) {
                continue;
            }
            String pid = line.substring(0, line.indexOf(' '));
            String[] f = line.substring(paren + 2, bar).trim().split(" ");
            if (f.length < 13) {
                continue;
            }
            double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
            seconds.put(pid, cpu);
            kinds.put(pid, kind(line.substring(bar + 1).trim()));
        }
        return new Snapshot(seconds, kinds);
    }

    /**
     * The kind of a process from its command line. A PostgreSQL process's is its title, {@code postgres: } and the
     * cluster_name Debian sets ({@code 17/main: }), then e.g. {@code walsender replicator 172.28...} or
     * {@code testwriter lb-test 172.28...(port) idle}.
     */
    static String kind(String cmdline) {
        if (cmdline.startsWith("java ") || cmdline.contains("node-daemon.jar")) {
            return DAEMON;
        }
        if (!cmdline.startsWith("postgres: ")) {
            return OTHER;
        }
        String title = cmdline.substring("postgres: ".length()).replaceFirst("^[^ :]+: ", "");
        if (title.startsWith("walsender ")) {
            return WALSENDERS;
        }
        if (title.startsWith("logical replication apply worker") || title.startsWith("logical replication tablesync")
                || title.startsWith("logical replication parallel apply worker")) {
            return APPLY;
        }
        if (title.startsWith("testwriter ") || title.startsWith("testreader ")) {
            return CLIENTS;
        }
        if (title.startsWith("postgres ")) {
            return DAEMON; // the daemon's own sessions (peer authentication as postgres)
        }
        return OTHER;
    }

    /** CPU seconds per kind used between {@code before} and {@code after}. */
    static Map<String, Double> between(Snapshot before, Snapshot after) {
        Map<String, Double> result = new LinkedHashMap<>();
        KINDS.forEach(k -> result.put(k, 0.0));
        after.seconds().forEach((pid, s) -> {
            double start = before.seconds().getOrDefault(pid, 0.0);
            result.merge(after.kinds().get(pid), Math.max(0, s - start), Double::sum);
        });
        return result;
    }

    static Map<String, Snapshot> snapshots(DockerClient docker, List<String> containerIds) {
        Map<String, Snapshot> all = new LinkedHashMap<>();
        containerIds.forEach(id -> all.put(id, snapshot(docker, id)));
        return all;
    }

    static Map<String, Double> between(Map<String, Snapshot> before, Map<String, Snapshot> after) {
        Map<String, Double> sum = new LinkedHashMap<>();
        KINDS.forEach(k -> sum.put(k, 0.0));
        after.forEach((id, snap) -> {
            Snapshot b = before.get(id);
            if (b != null) {
                between(b, snap).forEach((k, v) -> sum.merge(k, v, Double::sum));
            }
        });
        return sum;
    }
}
