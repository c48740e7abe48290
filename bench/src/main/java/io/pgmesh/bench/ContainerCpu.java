package io.pgmesh.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time used so far by containers (their cgroup's accounting, read on the host: cgroup v1 cpuacct or v2
 * cpu.stat) and by this JVM, in seconds; NaN when it cannot be read.
 */
final class ContainerCpu {

    private static final Path CGROUP = Path.of("/sys/fs/cgroup");

    private ContainerCpu() {
    }

    /** Sum over {@code containerIds}; NaN if any cannot be read. */
    static double seconds(List<String> containerIds) {
        double sum = 0;
        for (String id : containerIds) {
            sum += seconds(id);
        }
        return sum;
    }

    static double seconds(String containerId) {
        Path v1 = CGROUP.resolve("cpuacct").resolve("docker").resolve(containerId).resolve("cpuacct.usage");
        try {
            if (Files.isReadable(v1)) {
                return Long.parseLong(Files.readString(v1).trim()) / 1e9;
            }
            for (Path v2 : List.of(CGROUP.resolve("system.slice").resolve("docker-" + containerId + ".scope"),
                    CGROUP.resolve("docker").resolve(containerId))) {
                Path stat = v2.resolve("cpu.stat");
                if (Files.isReadable(stat)) {
                    for (String line : Files.readAllLines(stat)) {
                        if (line.startsWith("usage_usec ")) {
                            return Long.parseLong(line.substring("usage_usec ".length()).trim()) / 1e6;
                        }
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** CPU time of this JVM (the bench: clients, pool, and anything else it runs meanwhile). */
    static double jvmSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? Double.NaN : nanos / 1e9;
        }
        return Double.NaN;
    }
}
