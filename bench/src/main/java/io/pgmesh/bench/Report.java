package io.pgmesh.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a run as docs/BENCHMARKS.md: the method, the machine, a summary against the targets, one section per
 * item with its table and plot. Everything from {@link #KEEP_MARKER} on is taken over from the existing file
 * unchanged (hand-written analysis and figures the bench does not measure).
 */
final class Report {

    static final String KEEP_MARKER =
            "<!-- bench/run rewrites everything above this line; everything below it is kept as it is. -->";

    /** Targets of issue 7. */
    static final int TARGET_NODES = 8;
    static final double TARGET_UP_RATIO = 1.0;
    static final double TARGET_P99_MS = 100;
    static final double TARGET_THROUGHPUT_RATIO = 0.8;
    static final double TARGET_STATUS_P50_MS = 1.0;
    /** Target of issue 19: check, repair and add-node under load within this factor of idle. */
    static final double TARGET_UNDER_LOAD_RATIO = 1.5;

    private Report() {
    }

    /** The kept part of {@code existing} (from the marker on), or a bare marker when there is none. */
    static String keptTail(Path existing) {
        try {
            if (Files.exists(existing)) {
                String text = Files.readString(existing);
                int at = text.indexOf(KEEP_MARKER);
                if (at >= 0) {
                    return text.substring(at);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return KEEP_MARKER + "\n";
    }

    /** The report; {@code plotPath} is the plots' directory relative to the report, e.g. "bench/". */
    static String render(Results r, String plotPath, Map<String, Path> plots, String command, String keptTail) {
        StringBuilder md = new StringBuilder();
        String date = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(r.started());
        md.append("# Benchmarks\n\n");
        md.append("Produced by `").append(command).append("` on ").append(date).append(" (").append(r.mode())
                .append(" run, ").append(String.format(Locale.ROOT, "%.0f", r.elapsed().toMillis() / 1000.0))
                .append(" s). The `bench/` module measures pgmesh and its baselines **in the same run**, interleaved,"
                        + " against real containers. This machine is shared with other jobs, so absolute times are"
                        + " noisy; the ratios between figures measured side by side are what to compare. The 1-minute"
                        + " load average (from /proc/loadavg) is recorded with every figure. A small version of the"
                        + " same run (`BenchSmokeIT`, 2 nodes, few samples) is part of `mvn verify`.\n\n");

        md.append("## Machine\n\n| | |\n|---|---|\n");
        Results.Machine m = r.machine();
        md.append("| CPU | ").append(m.cpu()).append(", ").append(m.cores()).append(" cores |\n");
        md.append("| memory | ").append(String.format(Locale.ROOT, "%.1f GiB", m.memoryMiB() / 1024.0)).append(" |\n");
        md.append("| OS, kernel | ").append(m.os()).append(", ").append(m.kernel()).append(" |\n");
        md.append("| Docker engine | ").append(m.docker()).append(" |\n");
        md.append("| Java (bench, orchestrator) | ").append(m.java()).append(" |\n");
        md.append("| PostgreSQL (node image) | ").append(m.postgres()).append(" |\n");
        md.append("| load average at start, at end | ").append(r.loadAtStart()).append("; ").append(r.loadAtEnd())
                .append(" |\n\n");

        summary(md, r);
        bringUp(md, r, plotPath);
        floor(md, r);
        latency(md, r, plotPath);
        throughput(md, r, plotPath);
        controlPlane(md, r, plotPath);
        addNode(md, r, plotPath);
        underLoad(md, r, plotPath);
        md.append(keptTail.endsWith("\n") ? keptTail : keptTail + "\n");
        return md.toString();
    }

    /** Where section 7 begins in a report. */
    static final String UNDER_LOAD_HEADING = "## 7. ";

    /**
     * {@code existing} with section 7 replaced by the one of {@code r} (a run of section 7 alone, {@code bench/run
     * --only-under-load}), which says when it was measured; the other sections are left as they are. Without a
     * section 7, it goes before the first of "## Targets missed", the kept part, or the end.
     */
    static String withUnderLoadSection(String existing, Results r, String plotPath, String command) {
        StringBuilder md = new StringBuilder();
        underLoad(md, r, plotPath);
        String date = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(r.started());
        String section = md.toString();
        int firstLineEnd = section.indexOf("\n\n") + 2;
        section = section.substring(0, firstLineEnd) + "Measured on its own by `" + command + " --only-under-load` on "
                + date + String.format(Locale.ROOT, " (%.0f s", r.elapsed().toMillis() / 1000.0) + "; load average at"
                + " start, at end: " + r.loadAtStart() + "; " + r.loadAtEnd() + "), apart from the sections above.\n\n"
                + section.substring(firstLineEnd);
        return withSection(existing, UNDER_LOAD_HEADING, section);
    }

    /**
     * {@code existing} with the section starting with {@code heading} replaced by {@code section}; without one, the
     * section goes before the first of a section of a higher number, "## Targets missed", the kept part, or the end.
     */
    static String withSection(String existing, String heading, String section) {
        int start = existing.indexOf(heading);
        if (start >= 0) {
            int next = existing.indexOf("\n## ", start + heading.length());
            int end = next < 0 ? existing.length() : next + 1;
            return existing.substring(0, start) + section + existing.substring(end);
        }
        int at = -1;
        for (String before : new String[]{"## Targets missed", KEEP_MARKER}) {
            int i = existing.indexOf(before);
            if (i >= 0 && (at < 0 || i < at)) {
                at = i;
            }
        }
        // before a section of a higher number ("## 8. " goes after "## 7. ", "## 7. " before "## 8. ")
        java.util.regex.Matcher own = java.util.regex.Pattern.compile("## (\\d+)\\. ").matcher(heading);
        if (own.lookingAt()) {
            java.util.regex.Matcher other = java.util.regex.Pattern.compile("(?m)^## (\\d+)\\. ").matcher(existing);
            while (other.find()) {
                if (Integer.parseInt(other.group(1)) > Integer.parseInt(own.group(1))) {
                    at = at < 0 ? other.start() : Math.min(at, other.start());
                    break;
                }
            }
        }
        return at < 0 ? existing + (existing.endsWith("\n") ? "\n" : "\n\n") + section
                : existing.substring(0, at) + section + existing.substring(at);
    }

    // ---- summary ----

    private static void summary(StringBuilder md, Results r) {
        md.append("## Summary\n\n");
        md.append("pgmesh and baseline: medians; ratio: for bring-up the median of the per-repetition ratios (runs of"
                + " one repetition ran back to back), for throughput the ratio of the medians.\n\n");
        md.append("| # | figure | pgmesh | baseline | ratio | target | met |\n|---|---|---|---|---|---|---|\n");
        Results.BringUp b = r.bringUp();
        int largest = b.sizes().get(b.sizes().size() - 1);
        String upVariant = b.variants().contains(Results.PGMESH_CLI) ? Results.PGMESH_CLI : Results.PGMESH_IN_PROCESS;
        double upRatio = b.pairedRatio(upVariant, largest);
        md.append(row("1", "bring-up, " + largest + " nodes, " + upVariant + " vs baseline script (median)",
                s(b.median(upVariant, largest)), s(b.median(Results.BASELINE, largest)), x(upRatio),
                "<= " + x(TARGET_UP_RATIO) + " at " + TARGET_NODES + " nodes",
                largest == TARGET_NODES ? met(upRatio <= TARGET_UP_RATIO) : "not measured at " + TARGET_NODES));
        for (String other : List.of(Results.PGMESH_IN_PROCESS, Results.PGMESH_CONTAINERS_FIRST)) {
            if (!other.equals(upVariant) && b.variants().contains(other)) {
                double ratio = b.pairedRatio(other, largest);
                md.append(row("1", "bring-up, " + largest + " nodes, " + other + " vs baseline script",
                        s(b.median(other, largest)), s(b.median(Results.BASELINE, largest)), x(ratio),
                        other.equals(Results.PGMESH_IN_PROCESS) ? "(no JVM start)" : "(what-if, not shipped)",
                        largest == TARGET_NODES ? (ratio <= TARGET_UP_RATIO ? "would be met" : "would not be met") : "-"));
            }
        }
        double floor = Samples.median(r.floor().seconds());
        md.append(row("2", "floor: bare node container, docker run to accepting connections (median of "
                + r.floor().seconds().size() + ")", "-", s(floor), "-", "-", "-"));
        md.append(row("2", "pgmesh node: container start to daemon ready (median of " + b.daemonReady().size() + ")",
                s(Samples.median(b.daemonReady())), s(floor), x(Samples.median(b.daemonReady()) / floor), "-", "-"));
        for (Results.LatencySeries l : r.latency()) {
            boolean target = l.nodes() == TARGET_NODES && !l.underLoad();
            double p99 = Samples.percentile(l.millis(), 99);
            md.append(row("3", "replication latency p50 / p99, " + l.label(),
                    ms(Samples.percentile(l.millis(), 50)) + " / " + ms(p99)
                            + (l.timeouts() > 0 ? " (" + l.timeouts() + " timed out)" : ""),
                    "-", "-", target ? "p99 < " + ms(TARGET_P99_MS) : "-",
                    target ? met(p99 < TARGET_P99_MS && l.timeouts() == 0) : "-"));
        }
        String mesh = meshTarget(r);
        for (int c : concurrencies(r)) {
            double meshRate = medianRate(r, mesh, c);
            double plainRate = medianRate(r, Bench.PLAIN, c);
            double ratio = meshRate / plainRate;
            md.append(row("4", "insert suite, load mode, " + c + (c == 1 ? " client" : " clients") + ": " + mesh
                            + " vs " + Bench.PLAIN, rate(meshRate), rate(plainRate), x(ratio),
                    ">= " + x(TARGET_THROUGHPUT_RATIO), mesh.endsWith(" 3 nodes") ? met(ratio >= TARGET_THROUGHPUT_RATIO)
                            : "not measured at 3 nodes"));
        }
        for (Results.ControlPlane cp : r.controlPlane()) {
            double statusP50 = Samples.percentile(cp.statusMillis(), 50);
            md.append(row("5", String.format(Locale.ROOT, "status RPC round trip p50 / p99, %s (%,d rows)", cp.when(),
                            cp.rows()), ms3(statusP50) + " / " + ms3(Samples.percentile(cp.statusMillis(), 99)), "-",
                    "-", "p50 < " + ms3(TARGET_STATUS_P50_MS), met(statusP50 < TARGET_STATUS_P50_MS)));
        }
        for (Results.AddNodeRun a : r.addNode()) {
            md.append(row("6", String.format(Locale.ROOT, "add-node against %,d rows (%d nodes before)", a.rows(),
                    a.nodesBefore()), s(a.totalSeconds()), "-", "-", "-", "-"));
        }
        for (long rows : r.underLoadSizes()) {
            int nodes = r.underLoad().stream().filter(o -> o.rows() == rows).findFirst().orElseThrow().nodes();
            for (String op : Results.OPERATIONS) {
                double idle = r.underLoadMedian(rows, Results.IDLE, op);
                for (String condition : List.of(Results.INSERT_WRITER, Results.UPDATE_WRITER)) {
                    double ratio = r.underLoadRatio(rows, condition, op);
                    List<Results.OpsRun> runs = r.underLoad(rows, condition, op);
                    boolean allFailed = !runs.isEmpty() && runs.stream().allMatch(Results.OpsRun::failed);
                    md.append(row("7", String.format(Locale.ROOT, "%s %s vs idle, %,d rows, %d nodes (median)", op,
                                    condition, rows, nodes), allFailed ? "failed (see section 7)"
                                    : s(r.underLoadMedian(rows, condition, op)), s(idle),
                            x(ratio), "<= " + x(TARGET_UNDER_LOAD_RATIO),
                            allFailed ? met(false) : Double.isNaN(ratio) ? "-" : met(ratio <= TARGET_UNDER_LOAD_RATIO)));
                }
            }
        }
        for (Results.Injection inj : r.injections()) {
            md.append(row("7", String.format(Locale.ROOT, "a row changed behind replication's back beside the update"
                            + " writer, %,d rows: found by check, repaired", inj.rows()),
                    "found " + (inj.found().isEmpty() ? "nothing" : "ids " + inj.found()) + "; repair applied "
                            + inj.rowsRepaired() + (inj.rowsRepaired() == 1 ? " version" : " versions"), "-", "-", "found exactly that row, repaired",
                    met(inj.repaired())));
        }
        md.append('\n');
    }

    // ---- 1 ----

    private static void bringUp(StringBuilder md, Results r, String plotPath) {
        Results.BringUp b = r.bringUp();
        int reps = b.runs().stream().mapToInt(Results.BringUpRun::rep).max().orElse(0);
        md.append("## 1. Bring-up\n\n");
        md.append("From nothing (node image present, no network, no container) to a full mesh: every node publishes"
                + " `table1` and subscribes to every other node (`copy_data = false, origin = none`).\n\n");
        md.append("- **").append(Results.PGMESH_CLI).append("**: `java -jar cli/target/pgmesh.jar up --nodes N`"
                + " as a process, timed from its start to its exit, JVM start included (what `./pgmesh up` runs,"
                + " without the script's build and engine checks).\n");
        md.append("- **").append(Results.PGMESH_IN_PROCESS).append("**: the same `ClusterUp` code called in the"
                + " bench's warm JVM: `up` without JVM start and class loading.\n");
        md.append("- **").append(Results.PGMESH_CONTAINERS_FIRST).append("**: a what-if, not what `pgmesh up`"
                + " does: the bench first creates the network and every node's container the way the orchestrator"
                + " does (same spec, same environment), without waiting for any daemon, then calls `ClusterUp`, which"
                + " finds the containers running (as after an interrupted `up`), waits for each daemon and wires the"
                + " mesh. It shows what starting the containers before wiring (as the baseline does) would give.\n");
        md.append("- **").append(Results.BASELINE).append("**: [bench/baseline-mesh.sh](../bench/baseline-mesh.sh)"
                + " `up N` as a process. Same image, same container settings (own bridge network, static"
                + " addresses, `--init`, 256 MiB shm, ports on 127.0.0.1), the same PostgreSQL settings the daemon"
                + " writes (a unit test keeps them equal), the same roles, database, table with system columns and"
                + " key range, grants, publications and subscriptions, made with `docker run` and `docker exec"
                + " psql`; the container runs PostgreSQL directly instead of the node daemon. What it leaves out is"
                + " what only pgmesh does: conflict handling (version triggers, tombstone, shadow, update-notes and conflict-log"
                + " tables; its publication holds `table1` only), the daemon (a JVM per container) and its"
                + " bookkeeping. It starts all containers first, then sets up the nodes, then subscribes, with one"
                + " `docker exec` per node and phase.\n\n");
        md.append("Each variant ran ").append(reps).append(" times per size, interleaved (order rotated each"
                + " repetition); after each run a row written on the last node had to reach node0 and one written"
                + " on node0 the last node (untimed), then the cluster was removed. Table: median seconds; ratio ="
                + " median of the per-repetition ratios to the baseline.\n\n");
        List<String> variants = b.variants();
        md.append("| nodes |");
        variants.forEach(v -> md.append(' ').append(v).append(" |"));
        variants.stream().filter(v -> !v.equals(Results.BASELINE)).forEach(v -> md.append(" ratio ").append(v).append(" |"));
        md.append(" floor x nodes | load (1 min) |\n|---|");
        variants.forEach(v -> md.append("---|"));
        variants.stream().filter(v -> !v.equals(Results.BASELINE)).forEach(v -> md.append("---|"));
        md.append("---|---|\n");
        double floor = Samples.median(r.floor().seconds());
        for (int n : b.sizes()) {
            md.append("| ").append(n).append(" |");
            for (String v : variants) {
                md.append(' ').append(s(b.median(v, n))).append(" |");
            }
            for (String v : variants) {
                if (!v.equals(Results.BASELINE)) {
                    md.append(' ').append(x(b.pairedRatio(v, n))).append(" |");
                }
            }
            md.append(' ').append(s(floor * n)).append(" | ").append(range(b.runs().stream()
                    .filter(run -> run.nodes() == n).map(run -> run.load().one()).toList())).append(" |\n");
        }
        md.append("\nEvery run (seconds, in the order they ran):\n\n| nodes | rep |");
        variants.forEach(v -> md.append(' ').append(v).append(" |"));
        md.append("\n|---|---|");
        variants.forEach(v -> md.append("---|"));
        md.append('\n');
        for (int n : b.sizes()) {
            for (int rep = 1; rep <= reps; rep++) {
                int repNo = rep;
                md.append("| ").append(n).append(" | ").append(rep).append(" |");
                for (String v : variants) {
                    b.runs().stream().filter(run -> run.nodes() == n && run.rep() == repNo && run.variant().equals(v))
                            .findFirst().ifPresentOrElse(run -> md.append(' ').append(s(run.seconds()))
                                    .append(" (load ").append(run.load().oneMinute()).append(") |"),
                                    () -> md.append(" - |"));
                }
                md.append('\n');
            }
        }
        md.append("\n![bring-up](").append(plotPath).append(Plots.BRING_UP).append(")\n\n");

        md.append("### Where the time goes\n\n");
        md.append("`pgmesh up` (in-process), split by the orchestrator's own step log (a step is logged when it is"
                + " done, so the time between two lines belongs to the later one). Median seconds, summed over all"
                + " nodes:\n\n");
        md.append("| phase |");
        b.pgmeshPhases().keySet().forEach(n -> md.append(' ').append(n).append(" nodes |"));
        md.append("\n|---|");
        b.pgmeshPhases().keySet().forEach(n -> md.append("---|"));
        md.append('\n');
        if (!b.pgmeshPhases().isEmpty()) {
            for (String phase : b.pgmeshPhases().values().iterator().next().keySet()) {
                md.append("| ").append(phase).append(" |");
                b.pgmeshPhases().values().forEach(p -> md.append(' ').append(s(p.getOrDefault(phase, 0.0))).append(" |"));
                md.append('\n');
            }
        }
        md.append("\nThe baseline script's phases (as it reports them), median seconds:\n\n| phase |");
        b.baselinePhases().keySet().forEach(n -> md.append(' ').append(n).append(" nodes |"));
        md.append("\n|---|");
        b.baselinePhases().keySet().forEach(n -> md.append("---|"));
        md.append('\n');
        if (!b.baselinePhases().isEmpty()) {
            for (String phase : b.baselinePhases().values().iterator().next().keySet()) {
                md.append("| ").append(phase).append(" |");
                b.baselinePhases().values().forEach(p -> md.append(' ').append(s(p.getOrDefault(phase, 0.0))).append(" |"));
                md.append('\n');
            }
        }
        md.append('\n');
    }

    // ---- 2 ----

    private static void floor(StringBuilder md, Results r) {
        List<Double> f = r.floor().seconds();
        List<Double> d = r.bringUp().daemonReady();
        md.append("## 2. The floor\n\n");
        md.append("A bare node container: `docker run -d` of the node image running PostgreSQL directly (the"
                + " baseline's container), until `pg_isready` on its published port succeeds (polled every 20 ms),"
                + " timed by `baseline-mesh.sh floor`, ").append(f.size()).append(" times one after another (load ")
                .append(r.floor().load().oneMinute()).append(" at start). Next to it, what a pgmesh node takes: from"
                + " its container being started to its daemon answering `status` with PostgreSQL up, as"
                + " `NodeStarter` logs it (0.1 s resolution), for every node the in-process ups of section 1"
                + " started.\n\n");
        md.append("| | samples | median | min | max |\n|---|---|---|---|---|\n");
        md.append("| bare container, docker run to accepting connections | ").append(f.size()).append(" | ")
                .append(s(Samples.median(f))).append(" | ").append(s(f.stream().mapToDouble(v -> v).min().orElse(Double.NaN)))
                .append(" | ").append(s(Samples.max(f))).append(" |\n");
        md.append("| pgmesh node, container started to daemon ready | ").append(d.size()).append(" | ")
                .append(s(Samples.median(d))).append(" | ").append(s(d.stream().mapToDouble(v -> v).min().orElse(Double.NaN)))
                .append(" | ").append(s(Samples.max(d))).append(" |\n\n");
        md.append("In section 1 the floor is shown as \"floor x nodes\": N bare containers started one after another,"
                + " which is what the orchestrator's one-node-at-a-time `up` cannot go below.\n\n");
    }

    // ---- 3 ----

    private static void latency(StringBuilder md, Results r, String plotPath) {
        md.append("## 3. Replication latency\n\n");
        md.append("A pgmesh cluster brought up by `ClusterUp`. One sample: an autocommitted `INSERT ... RETURNING id`"
                + " on one node (the origin rotates over the nodes), then a tight loop of primary-key `SELECT`s on every"
                + " other node, one JDBC connection each through the published 127.0.0.1 ports, round after round with"
                + " a 0.5 ms pause between rounds (a spinning poller would take the 2 cores from the apply workers it"
                + " waits for), until the row is on all of them. The time runs from sending the INSERT to the last node showing the row, so it includes"
                + " the INSERT's round trip and up to one polling round: an upper bound on commit-to-visible. 20 ms"
                + " between samples; 20 warm-up samples are dropped. Under load, the insert suite runs in load mode"
                + " (`pgmesh test insert --no-sleep`: one client, 800 inserts per pass through writer1/writer2 over all"
                + " nodes, passes repeated) for the whole series. A sample not visible everywhere after 10 s counts as"
                + " timed out.\n\n");
        md.append("| nodes | mode | samples | p50 | p90 | p99 | max | timed out | suite inserts/s meanwhile | load (1 min) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Results.LatencySeries l : r.latency()) {
            md.append("| ").append(l.nodes()).append(" | ").append(l.underLoad() ? "insert suite, load mode" : "idle")
                    .append(" | ").append(l.millis().size()).append(" | ").append(ms(Samples.percentile(l.millis(), 50)))
                    .append(" | ").append(ms(Samples.percentile(l.millis(), 90))).append(" | ")
                    .append(ms(Samples.percentile(l.millis(), 99))).append(" | ").append(ms(Samples.max(l.millis())))
                    .append(" | ").append(l.timeouts()).append(" | ")
                    .append(l.underLoad() ? rate(l.loadInserts() / l.loadSeconds()) : "-").append(" | ")
                    .append(l.load().oneMinute()).append(" |\n");
        }
        md.append("\n![replication latency](").append(plotPath).append(Plots.LATENCY).append(")\n\n");
    }

    // ---- 4 ----

    private static void throughput(StringBuilder md, Results r, String plotPath) {
        md.append("## 4. Write throughput\n\n");
        md.append("The insert suite in load mode (the orchestrator's `InsertSuite` with `--no-sleep`: inserts through"
                + " the pool groups writer1 and writer2), run by 1 or more clients at once through **one pool of the"
                + " same size** for every target: writer1 20 + writer2 10 connections (`MeshPool`, HikariCP), split over"
                + " the target's nodes. Targets, all up at the same time, rounds interleaved (order rotated):\n\n");
        md.append("- **").append(Bench.PLAIN).append("**: the node image running PostgreSQL directly with the same"
                + " settings (`baseline-mesh.sh up 1`): the same table without triggers, no publication subscribers.\n");
        md.append("- **").append(Bench.SINGLE).append("**: a 1-node pgmesh cluster: version triggers, no peers.\n");
        md.append("- **").append(meshTarget(r)).append("**: the mesh; every insert is also applied on the other"
                + " nodes (with their triggers) on the same 2 cores. After each round the bench waits until every"
                + " node has applied everything (not counted in the round; shown as \"drained after\").\n\n");
        md.append("Each round runs passes of 800 inserts for ").append(s(r.throughputRound().toMillis() / 1000.0))
                .append(" (a pass in progress is finished, so a round lasts a little longer); the rate is inserts over"
                        + " the round's measured time.\n\n");
        md.append("CPU: what the target's containers used during a round and its drain (their cgroups' CPU"
                + " accounting) and what the bench JVM used (the clients and the pool), per 1,000 inserts, median of"
                + " the rounds.\n\n");
        md.append("| clients | target | inserts/s (median) | rounds (inserts/s) | ratio to plain | errors | drained after"
                + " | container CPU per 1,000 inserts | client CPU per 1,000 inserts | load (1 min) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (int c : concurrencies(r)) {
            double plain = medianRate(r, Bench.PLAIN, c);
            for (String target : targets(r)) {
                List<Results.ThroughputRound> rounds = r.throughput().stream()
                        .filter(t -> t.target().equals(target) && t.concurrency() == c).toList();
                double median = medianRate(r, target, c);
                md.append("| ").append(c).append(" | ").append(target).append(" | ").append(rate(median)).append(" | ")
                        .append(String.join(", ", rounds.stream().map(t -> rate(t.perSecond())).toList())).append(" | ")
                        .append(target.equals(Bench.PLAIN) ? "1.00x" : x(median / plain)).append(" | ")
                        .append(rounds.stream().mapToLong(Results.ThroughputRound::errors).sum()).append(" | ")
                        .append(rounds.stream().anyMatch(t -> t.drainSeconds() > 0) ? String.join(", ",
                                rounds.stream().map(t -> s(t.drainSeconds())).toList()) : "-")
                        .append(" | ").append(ms0(Samples.median(rounds.stream()
                                .map(Results.ThroughputRound::containerCpuPerThousand).toList())))
                        .append(" | ").append(ms0(Samples.median(rounds.stream()
                                .map(Results.ThroughputRound::clientCpuPerThousand).toList())))
                        .append(" | ").append(range(rounds.stream().map(t -> t.load().one()).toList())).append(" |\n");
            }
        }
        md.append("\n![write throughput](").append(plotPath).append(Plots.THROUGHPUT).append(")\n\n");
        md.append("### Where the CPU goes\n\n");
        md.append("The containers' CPU per 1,000 inserts by kind of process, all rounds together: every process's"
                + " user+system time read from /proc inside each container before and after each round (after its"
                + " drain), classified by its PostgreSQL process title.\n\n");
        md.append("| clients | target |");
        ProcessCpu.KINDS.forEach(k -> md.append(' ').append(k).append(" |"));
        md.append(" total |\n|---|---|");
        ProcessCpu.KINDS.forEach(k -> md.append("---|"));
        md.append("---|\n");
        for (int c : concurrencies(r)) {
            for (String target : targets(r)) {
                List<Results.ThroughputRound> rounds = r.throughput().stream()
                        .filter(t -> t.target().equals(target) && t.concurrency() == c).toList();
                long inserts = rounds.stream().mapToLong(Results.ThroughputRound::inserts).sum();
                if (inserts == 0) {
                    continue;
                }
                md.append("| ").append(c).append(" | ").append(target).append(" |");
                double total = 0;
                for (String kind : ProcessCpu.KINDS) {
                    double seconds = rounds.stream().mapToDouble(t -> t.cpuByKind().getOrDefault(kind, 0.0)).sum();
                    total += seconds;
                    md.append(' ').append(ms0(seconds * 1e6 / inserts)).append(" |");
                }
                md.append(' ').append(ms0(total * 1e6 / inserts)).append(" |\n");
            }
        }
        md.append('\n');
    }

    // ---- 5 ----

    private static void controlPlane(StringBuilder md, Results r, String plotPath) {
        Results.ControlPlane first = r.controlPlane().get(0);
        md.append("## 5. Control plane\n\n");
        md.append("JSON-RPC round trips from the orchestrator's `NodeRpcClient` (one socket over mutual TLS, the"
                + " cluster secret on every call) to ").append(first.node()).append(" of the ").append(meshTarget(r)).append(", through"
                + " its published 127.0.0.1 port: ").append(first.statusMillis().size()).append(" calls of each kind"
                + " after 200 warm-up calls, once on the fresh mesh and once after the throughput rounds (`status`"
                + " now counts the rows of each replicated table, up to 100,000). `status` is what `pgmesh status`"
                + " and every wait loop call; an unknown method is refused by jsonrpc4j after the secret check,"
                + " before any PostgreSQL work: the transport's own cost.\n\n");
        md.append("| when | rows | call | p50 | p90 | p99 | max | load (1 min) |\n|---|---|---|---|---|---|---|---|\n");
        for (Results.ControlPlane cp : r.controlPlane()) {
            String prefix = String.format(Locale.ROOT, "| %s | %,d | ", cp.when(), cp.rows());
            md.append(prefix).append(rpcRow("status", cp.statusMillis())).append(' ').append(cp.load().oneMinute())
                    .append(" |\n");
            md.append(prefix).append(rpcRow("unknown method (transport, secret check, JSON)", cp.transportMillis()))
                    .append(' ').append(cp.load().oneMinute()).append(" |\n");
        }
        md.append("\nPostgreSQL's share, measured right after each of the above with pgbench inside the container,"
                + " over the local socket as user postgres (how the daemon connects); averages. The status queries are"
                + " those of the daemon's `StatusReport`"
                + " ([status.sql](../bench/src/main/resources/io/pgmesh/bench/status.sql)):\n\n");
        md.append("| what |");
        r.controlPlane().forEach(cp -> md.append(String.format(Locale.ROOT, " %s (%,d rows) |", cp.when(), cp.rows())));
        md.append("\n|---|");
        r.controlPlane().forEach(cp -> md.append("---|"));
        md.append('\n');
        pgRow(md, r, "a new connection (`pgbench -C`, SELECT 1: connection time)", Results.ControlPlane::pgConnectMillis);
        pgRow(md, r, "a new connection, then the status queries on it (`-C -M extended`)",
                Results.ControlPlane::statusSqlFreshMillis);
        pgRow(md, r, "the status queries on an open connection (`-M extended`)", Results.ControlPlane::statusSqlWarmMillis);
        pgRow(md, r, "the status queries on an open connection, prepared (`-M prepared`)",
                Results.ControlPlane::statusSqlPreparedMillis);
        md.append("\n![control plane](").append(plotPath).append(Plots.CONTROL_PLANE).append(")\n\n");
    }

    private static void pgRow(StringBuilder md, Results r, String what,
                              java.util.function.ToDoubleFunction<Results.ControlPlane> figure) {
        md.append("| ").append(what).append(" |");
        r.controlPlane().forEach(cp -> md.append(' ').append(ms3(figure.applyAsDouble(cp))).append(" |"));
        md.append('\n');
    }

    private static String rpcRow(String name, List<Double> v) {
        return name + " | " + ms3(Samples.percentile(v, 50)) + " | " + ms3(Samples.percentile(v, 90)) + " | "
                + ms3(Samples.percentile(v, 99)) + " | " + ms3(Samples.max(v)) + " |";
    }

    // ---- 6 ----

    private static void addNode(StringBuilder md, Results r, String plotPath) {
        md.append("## 6. add-node against existing rows\n\n");
        if (r.addNode().isEmpty()) {
            md.append("Not measured in this run.\n\n");
            return;
        }
        md.append("For each size a fresh ").append(r.addNode().get(0).nodesBefore()).append("-node cluster; the rows"
                + " are inserted on node0 (`INSERT ... SELECT generate_series`, 100,000 per statement) and replicated"
                + " everywhere first. Then what `pgmesh add-node` does, in-process and timed: `NodeJoin.addNode`"
                + " (join: new container, slots on every peer, initial copy from node0, streams) and `ClusterRepair`"
                + " (anti-entropy over all nodes). The copy time is the one add-node logs. Afterwards the new node"
                + " must hold every row. No client writes during the join.\n\n");
        md.append("| existing rows | add-node total | join | of which initial copy | repair | rows on the new node | load (1 min) |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Results.AddNodeRun a : r.addNode()) {
            md.append(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %,d | %s |%n", a.rows(), s(a.totalSeconds()),
                    s(a.joinSeconds()), s(a.copySeconds()), s(a.repairSeconds()), a.rowsOnNewNode(), a.load().oneMinute()));
        }
        md.append("\n![add-node](").append(plotPath).append(Plots.ADD_NODE).append(")\n\n");
    }

    // ---- 7 ----

    private static void underLoad(StringBuilder md, Results r, String plotPath) {
        md.append("## 7. check, repair and add-node under load\n\n");
        if (r.underLoad().isEmpty()) {
            md.append("Not measured in this run.\n\n");
            return;
        }
        int nodes = r.underLoad().get(0).nodes();
        int reps = r.underLoad().stream().mapToInt(Results.OpsRun::rep).max().orElse(0);
        md.append("For each size a fresh ").append(nodes).append("-node cluster; the rows are inserted on node0 (as in"
                + " section 6) and replicated everywhere first. Then each operation, in-process and timed as the CLI"
                + " runs it, in three conditions:\n\n");
        md.append("- **check**: `ClusterCheck.run` (`pgmesh check`): each node's change horizon, the drain, digests of"
                + " the settled rows, row-by-row comparison of the differing buckets; keys with a change still in"
                + " flight are left out.\n");
        md.append("- **repair**: `ClusterRepair.run` (`pgmesh repair`): a check, the fixes in batches, and the check"
                + " afterwards (all three timed).\n");
        md.append("- **add-node**: `ClusterScale.addNode` and `ClusterRepair.afterJoin` (`pgmesh add-node`: join, then"
                + " the repair of the join's window). Untimed afterwards: a check of the join's window (its answer is"
                + " the \"identical\" column), then `ClusterScale.removeNode` of the added node, so every measurement"
                + " starts from ").append(nodes).append(" nodes.\n\n");
        md.append("Conditions: **").append(Results.IDLE).append("** (no client); **").append(Results.INSERT_WRITER)
                .append("** (one thread per node, each on its own JDBC connection to its node, autocommitted"
                        + " single-row `INSERT`s one after another without pauses); **").append(Results.UPDATE_WRITER)
                .append("** (the same, with `UPDATE`s of random seeded rows: every node changes rows every other node"
                        + " also changes). A writer starts for each measurement, runs a moment before the timed"
                        + " operation starts and stops after it; after each measurement replication drains (untimed)."
                        + " Each operation ran ").append(reps).append(reps == 1 ? " time" : " times")
                .append(" per condition, the conditions' order rotated per operation, repetition and size, so that a"
                        + " drift in the machine's load favours none. Table: median seconds; ratio = median under load"
                        + " / median idle; target: within ").append(x(TARGET_UNDER_LOAD_RATIO)).append(" of idle."
                        + " \"in flight\" is the rows the (last) check left out because a node held a change of them"
                        + " that was still on its way; \"writer ops\" the writer's statements during the timed"
                        + " operation (all nodes together).\n\n");
        for (long rows : r.underLoadSizes()) {
            md.append(String.format(Locale.ROOT, "### %,d rows, %d nodes%n%n", rows, nodes));
            md.append("| operation | condition | seconds (median) | runs | ratio to idle | target | met | identical |"
                    + " in flight | rows examined / repaired | writer ops (per s) | load (1 min) |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (String op : Results.OPERATIONS) {
                for (String condition : Results.CONDITIONS) {
                    List<Results.OpsRun> runs = r.underLoad(rows, condition, op);
                    if (runs.isEmpty()) {
                        continue;
                    }
                    double median = r.underLoadMedian(rows, condition, op);
                    boolean idle = condition.equals(Results.IDLE);
                    double ratio = r.underLoadRatio(rows, condition, op);
                    long ops = runs.stream().mapToLong(Results.OpsRun::writerOps).sum();
                    double seconds = runs.stream().mapToDouble(Results.OpsRun::seconds).sum();
                    long errors = runs.stream().mapToLong(Results.OpsRun::writerErrors).sum();
                    md.append("| ").append(op).append(" | ").append(condition).append(" | ").append(s(median))
                            .append(" | ").append(String.join(", ", runs.stream().map(Report::runSeconds).toList()))
                            .append(" | ").append(idle ? "1.00x" : x(ratio)).append(" | ")
                            .append(idle ? "-" : "<= " + x(TARGET_UNDER_LOAD_RATIO)).append(" | ")
                            .append(idle || Double.isNaN(ratio) ? "-" : met(ratio <= TARGET_UNDER_LOAD_RATIO))
                            .append(" | ").append(String.join(", ", runs.stream()
                                    .map(o -> o.failed() ? "-" : o.identical() ? "yes" : "**no**").toList()))
                            .append(" | ").append(String.join(", ", runs.stream()
                                    .map(o -> String.valueOf(o.inFlight())).toList()))
                            .append(" | ").append(op.equals(Results.CHECK) ? "-" : String.join(", ", runs.stream()
                                    .map(o -> o.rowsExamined() + " / " + o.rowsRepaired()).toList()))
                            .append(" | ").append(idle ? "-" : String.format(Locale.ROOT, "%,d (%s)%s", ops,
                                    rate(ops / seconds), errors > 0 ? ", " + errors + " errors" : ""))
                            .append(" | ").append(range(runs.stream().map(o -> o.load().one()).toList())).append(" |\n");
                }
            }
            md.append('\n');
            List<Results.OpsRun> failed = r.underLoad().stream().filter(o -> o.rows() == rows && o.failed()).toList();
            for (Results.OpsRun o : failed) {
                md.append(String.format(Locale.ROOT, "- **%s %s failed** after %s (rep %d): %s%n", o.operation(),
                        o.condition(), s(o.seconds()), o.rep(), o.failure().replace('\n', ' ')));
            }
            if (r.underLoad().stream().anyMatch(o -> o.rows() == rows && o.writerRanOut())) {
                md.append("- (writer ran out): the writer reached its own bound (time or statements per thread) before"
                        + " the operation ended; the rest of the operation ran without it.\n");
            }
            if (!failed.isEmpty() || r.underLoad().stream().anyMatch(o -> o.rows() == rows && o.writerRanOut())) {
                md.append('\n');
            }
        }
        md.append("### A failure injected under load\n\n");
        md.append("Beside the update writer (which leaves the lowest seeded ids alone), one seeded row is changed on the"
                + " last node behind replication's back: `psql` as postgres in the node's container sets up a"
                + " replication origin for its session (`pg_replication_origin_session_setup`) and updates the row,"
                + " so the publications (`origin = none`) never send the change to the peers. Then `pgmesh check`"
                + " and `pgmesh repair` run, timed, while the writer goes on.\n\n");
        md.append("| rows | node | row changed | check | found | in flight | repair | rows examined / repaired |"
                + " identical after repair | writer ops | outcome |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Results.Injection inj : r.injections()) {
            md.append(String.format(Locale.ROOT, "| %,d | %s | id %d | %s | %s | %d | %s | %d / %d | %s | %,d | %s |%n",
                    inj.rows(), inj.node(), inj.id(), s(inj.checkSeconds()),
                    inj.found().isEmpty() ? "nothing" : "ids " + inj.found(), inj.inFlight(), s(inj.repairSeconds()),
                    inj.rowsExamined(), inj.rowsRepaired(), inj.identicalAfter() ? "yes" : "**no**", inj.writerOps(),
                    inj.repaired() ? "found exactly that row and repaired" : inj.foundExactly()
                            ? "**found, not repaired**" : "**not found exactly**"));
        }
        md.append("\n![check, repair and add-node under load](").append(plotPath).append(Plots.UNDER_LOAD).append(")\n\n");
    }

    /** One run's seconds, marked when it failed or its writer ran out. */
    private static String runSeconds(Results.OpsRun o) {
        if (o.failed()) {
            return "**failed** after " + s(o.seconds());
        }
        return s(o.seconds()) + (o.writerRanOut() ? " (writer ran out)" : "");
    }

    // ---- helpers ----

    static String meshTarget(Results r) {
        return r.throughput().stream().map(Results.ThroughputRound::target).filter(t -> t.startsWith("pgmesh mesh"))
                .findFirst().orElse("pgmesh mesh");
    }

    private static List<Integer> concurrencies(Results r) {
        return r.throughput().stream().map(Results.ThroughputRound::concurrency).distinct().sorted().toList();
    }

    private static List<String> targets(Results r) {
        List<String> t = new ArrayList<>(List.of(Bench.PLAIN, Bench.SINGLE));
        r.throughput().stream().map(Results.ThroughputRound::target).distinct().filter(x -> !t.contains(x)).forEach(t::add);
        return t;
    }

    static double medianRate(Results r, String target, int concurrency) {
        return Samples.median(r.throughput().stream().filter(t -> t.target().equals(target) && t.concurrency() == concurrency)
                .map(Results.ThroughputRound::perSecond).toList());
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static String met(boolean ok) {
        return ok ? "**yes**" : "**no**";
    }

    static String s(double seconds) {
        return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.2f s", seconds);
    }

    static String ms(double millis) {
        return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, "%.1f ms", millis);
    }

    static String ms0(double millis) {
        return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, "%.0f ms", millis);
    }

    static String ms3(double millis) {
        return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, "%.3f ms", millis);
    }

    static String x(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "-" : String.format(Locale.ROOT, "%,.0f/s", perSecond);
    }

    private static String range(List<Double> loads) {
        double min = loads.stream().mapToDouble(v -> v).min().orElse(Double.NaN);
        double max = loads.stream().mapToDouble(v -> v).max().orElse(Double.NaN);
        if (Double.isNaN(min)) {
            return "?";
        }
        return min == max ? String.format(Locale.ROOT, "%.2f", min) : String.format(Locale.ROOT, "%.2f-%.2f", min, max);
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
