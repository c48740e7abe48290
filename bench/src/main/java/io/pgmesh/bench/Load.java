package io.pgmesh.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's load average when a figure was taken (/proc/loadavg): other jobs share this 2-core machine,
 * so every figure carries it.
 */
record Load(double one, double five, double fifteen) {

    static final Load UNKNOWN = new Load(Double.NaN, Double.NaN, Double.NaN);

    static Load now() {
        try {
            return parse(Files.readString(Path.of("/proc/loadavg")));
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    static Load parse(String loadavg) {
        String[] f = loadavg.trim().split("\\s+");
        return new Load(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
    }

    /** The 1-minute figure, as the tables show it. */
    String oneMinute() {
        return Double.isNaN(one) ? "?" : String.format("%.2f", one);
    }

    @Override
    public String toString() {
        return Double.isNaN(one) ? "?" : String.format("%.2f %.2f %.2f", one, five, fifteen);
    }
}
