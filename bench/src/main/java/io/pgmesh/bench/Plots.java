package io.pgmesh.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The PNG plots of a run (xchart, rendered headless). Returns the files written, by plot name. */
final class Plots {

    static final String BRING_UP = "bringup.png";
    static final String LATENCY = "latency.png";
    static final String THROUGHPUT = "throughput.png";
    static final String CONTROL_PLANE = "rpc.png";
    static final String ADD_NODE = "addnode.png";
    static final String UNDER_LOAD = "underload.png";

    private Plots() {
    }

    static Map<String, Path> write(Results r, Path dir) {
        System.setProperty("java.awt.headless", "true");
        Map<String, Path> files = new TreeMap<>();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        save(bringUp(r), dir.resolve(BRING_UP), files);
        if (!r.latency().isEmpty()) {
            save(latency(r), dir.resolve(LATENCY), files);
        }
        if (!r.throughput().isEmpty()) {
            save(throughput(r), dir.resolve(THROUGHPUT), files);
        }
        save(controlPlane(r), dir.resolve(CONTROL_PLANE), files);
        if (!r.addNode().isEmpty()) {
            save(addNode(r), dir.resolve(ADD_NODE), files);
        }
        if (!r.underLoad().isEmpty()) {
            save(underLoad(r), dir.resolve(UNDER_LOAD), files);
        }
        return files;
    }

    /** Only section 7's plot (a run of section 7 alone leaves the other plots as they are). */
    static Map<String, Path> writeUnderLoad(Results r, Path dir) {
        System.setProperty("java.awt.headless", "true");
        Map<String, Path> files = new TreeMap<>();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!r.underLoad().isEmpty()) {
            save(underLoad(r), dir.resolve(UNDER_LOAD), files);
        }
        return files;
    }

    private static CategoryChart chart(String title, String x, String y) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(title).xAxisTitle(x)
                .yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setToolTipsEnabled(false);
        return chart;
    }

    static CategoryChart bringUp(Results r) {
        Results.BringUp b = r.bringUp();
        CategoryChart chart = chart("Bring-up (median of " + b.runs().stream().mapToInt(Results.BringUpRun::rep).max()
                .orElse(0) + " interleaved runs)", "nodes", "seconds");
        List<String> x = b.sizes().stream().map(String::valueOf).toList();
        for (String variant : b.variants()) {
            chart.addSeries(variant, x, b.sizes().stream().map(n -> (Number) b.median(variant, n)).toList());
        }
        double floor = Samples.median(r.floor().seconds());
        chart.addSeries("floor x nodes (bare containers one after another)", x,
                b.sizes().stream().map(n -> (Number) (floor * n)).toList());
        return chart;
    }

    static CategoryChart latency(Results r) {
        CategoryChart chart = chart("Replication latency: commit on one node to visible on all others", "", "ms");
        List<String> x = r.latency().stream().map(Results.LatencySeries::label).toList();
        chart.addSeries("p50", x, r.latency().stream().map(s -> (Number) Samples.percentile(s.millis(), 50)).toList());
        chart.addSeries("p99", x, r.latency().stream().map(s -> (Number) Samples.percentile(s.millis(), 99)).toList());
        return chart;
    }

    static CategoryChart throughput(Results r) {
        CategoryChart chart = chart("Insert suite in load mode: inserts per second (median of rounds)",
                "clients at once (same pool: writer1 20 + writer2 10 connections)", "inserts/s");
        List<Integer> levels = r.throughput().stream().map(Results.ThroughputRound::concurrency).distinct().sorted().toList();
        List<String> x = levels.stream().map(c -> c + (c == 1 ? " client" : " clients")).toList();
        List<String> targets = r.throughput().stream().map(Results.ThroughputRound::target).distinct().toList();
        for (String target : targets) {
            List<Number> y = new ArrayList<>();
            for (int c : levels) {
                y.add(Samples.median(r.throughput().stream().filter(t -> t.target().equals(target) && t.concurrency() == c)
                        .map(Results.ThroughputRound::perSecond).toList()));
            }
            chart.addSeries(target, x, y);
        }
        return chart;
    }

    static CategoryChart controlPlane(Results r) {
        CategoryChart chart = chart("Control plane: JSON-RPC round trips from the orchestrator", "", "ms");
        List<String> x = new ArrayList<>();
        List<Number> p50 = new ArrayList<>();
        List<Number> p99 = new ArrayList<>();
        Results.ControlPlane first = r.controlPlane().get(0);
        x.add("unknown method (transport only)");
        p50.add(Samples.percentile(first.transportMillis(), 50));
        p99.add(Samples.percentile(first.transportMillis(), 99));
        for (Results.ControlPlane cp : r.controlPlane()) {
            x.add(String.format("status, %,d rows", cp.rows()));
            p50.add(Samples.percentile(cp.statusMillis(), 50));
            p99.add(Samples.percentile(cp.statusMillis(), 99));
        }
        chart.addSeries("p50", x, p50);
        chart.addSeries("p99", x, p99);
        return chart;
    }

    static CategoryChart addNode(Results r) {
        CategoryChart chart = chart("add-node against existing rows (" + r.addNode().get(0).nodesBefore()
                + " nodes before)", "existing rows", "seconds");
        List<String> x = r.addNode().stream().map(a -> String.format("%,d", a.rows())).toList();
        chart.addSeries("add-node (join + repair)", x, r.addNode().stream().map(a -> (Number) a.totalSeconds()).toList());
        chart.addSeries("of which initial copy", x, r.addNode().stream()
                .map(a -> (Number) (Double.isNaN(a.copySeconds()) ? 0.0 : a.copySeconds())).toList());
        return chart;
    }

    static CategoryChart underLoad(Results r) {
        CategoryChart chart = chart("check, repair and add-node idle and beside a writer at full speed ("
                + r.underLoad().get(0).nodes() + " nodes, median)", "operation, seeded rows", "seconds");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        List<String> x = new ArrayList<>();
        for (long rows : r.underLoadSizes()) {
            for (String op : Results.OPERATIONS) {
                x.add(String.format("%s, %,d", op, rows));
            }
        }
        for (String condition : Results.CONDITIONS) {
            List<Number> y = new ArrayList<>();
            for (long rows : r.underLoadSizes()) {
                for (String op : Results.OPERATIONS) {
                    double median = r.underLoadMedian(rows, condition, op);
                    y.add(Double.isNaN(median) ? 0.0 : median);
                }
            }
            chart.addSeries(condition, x, y);
        }
        return chart;
    }

    private static void save(CategoryChart chart, Path file, Map<String, Path> files) {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        files.put(file.getFileName().toString(), file);
    }
}
