package io.pgmesh.orchestrator.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Progress of a long operation, as plain lines in its step log: {@code [up] step 2/5: node0 (elapsed 4.1 s)} when a
 * step begins, the elapsed time on each step of an image build, and a summary at the end. It decorates the log
 * the operation already writes: a step begins explicitly ({@link #begin}) or when a log line shows it (the
 * {@code stepOf} function, e.g. the first line about a node). Plain lines on a terminal too: nothing is redrawn.
 */
final class Progress implements Consumer<String> {

    private static final Pattern NODE_LINE = Pattern.compile("^\\[(node\\d+)] .*");
    private static final Pattern IMAGE_BUILD_STEP = Pattern.compile("^\\[image]\\s+Step \\d+/\\d+ : .*");

    private final String operation;
    private final int steps;
    private final Function<String, String> stepOf;
    private final LongSupplier nanoClock;
    private final Consumer<String> sink;
    private final long start;
    private final Map<String, Long> begun = new LinkedHashMap<>();

    /**
     * @param operation what the lines are prefixed with, e.g. {@code up}
     * @param steps     how many steps are planned
     * @param stepOf    the step a log line begins, or null
     * @param nanoClock System::nanoTime, or a test's clock
     * @param sink      where lines go
     */
    Progress(String operation, int steps, Function<String, String> stepOf, LongSupplier nanoClock,
             Consumer<String> sink) {
        this.operation = operation;
        this.steps = steps;
        this.stepOf = stepOf;
        this.nanoClock = nanoClock;
        this.sink = sink;
        this.start = nanoClock.getAsLong();
    }

    /** {@code up}: the image, the network, then each node (nodes start one at a time, in index order). */
    static Progress up(int nodes, Consumer<String> sink) {
        return new Progress("up", nodes + 2, Progress::upStep, System::nanoTime, sink);
    }

    static String upStep(String line) {
        if (line.startsWith("[image] ")) {
            return "image";
        }
        if (line.startsWith("[network] ")) {
            return "network";
        }
        var m = NODE_LINE.matcher(line);
        return m.matches() ? m.group(1) : null;
    }

    /**
     * {@code restore}: creating node0, loading the dump on it, each further node's join, the checksums on every node.
     */
    static String restoreStep(String line) {
        if (line.startsWith("[image] ") || line.startsWith("[network] ") || line.startsWith("[node0] starting")) {
            return "node0";
        }
        if (line.startsWith("[node0] receiving the dump")) {
            return "load";
        }
        var join = java.util.regex.Pattern.compile("^\\[(node\\d+)] joining cluster .*").matcher(line);
        if (join.matches()) {
            return join.group(1);
        }
        if (line.contains("] checksums match the backup")) {
            return "checksums";
        }
        return null;
    }

    /** Test suites run in order; each announces itself with {@code [test NAME] running ...}. */
    static String suiteStep(String line) {
        if (line.startsWith("[test ") && line.contains("] running")) {
            return line.substring("[test ".length(), line.indexOf(']'));
        }
        return null;
    }

    @Override
    public synchronized void accept(String line) {
        String step = stepOf.apply(line);
        if (step != null && !begun.containsKey(step)) {
            begin(step);
        }
        sink.accept(IMAGE_BUILD_STEP.matcher(line).matches() ? line + " (elapsed " + seconds(elapsed()) + ")" : line);
    }

    /** Begins a step (again: nothing). */
    synchronized void begin(String step) {
        if (begun.containsKey(step)) {
            return;
        }
        begun.put(step, nanoClock.getAsLong());
        sink.accept(String.format(Locale.ROOT, "[%s] step %d/%d: %s (elapsed %s)", operation, begun.size(),
                Math.max(steps, begun.size()), step, seconds(elapsed())));
    }

    /** The summary: total time and each step's, a step lasting until the next began. */
    synchronized void done() {
        long now = nanoClock.getAsLong();
        List<String> parts = new ArrayList<>();
        List<Map.Entry<String, Long>> entries = new ArrayList<>(begun.entrySet());
        for (int i = 0; i < entries.size(); i++) {
            long end = i + 1 < entries.size() ? entries.get(i + 1).getValue() : now;
            parts.add(entries.get(i).getKey() + " " + seconds(end - entries.get(i).getValue()));
        }
        sink.accept("[" + operation + "] done in " + seconds(now - start)
                + (parts.isEmpty() ? "" : ": " + String.join(", ", parts)));
    }

    private long elapsed() {
        return nanoClock.getAsLong() - start;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
