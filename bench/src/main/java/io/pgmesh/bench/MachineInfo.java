package io.pgmesh.bench;

import com.github.dockerjava.api.DockerClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Describes the machine a run is on (CPU, memory, OS, kernel, Docker, Java, PostgreSQL). */
final class MachineInfo {

    private MachineInfo() {
    }

    static Results.Machine describe(DockerClient docker, String postgres) {
        String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name", "?");
        long memKiB = parseLeadingLong(firstValue(Path.of("/proc/meminfo"), "MemTotal", "0"));
        String os = osRelease();
        String kernel = read(Path.of("/proc/sys/kernel/osrelease"), "?");
        String dockerVersion;
        try {
            var v = docker.versionCmd().exec();
            dockerVersion = v.getVersion() + " (API " + v.getApiVersion() + ")";
        } catch (RuntimeException e) {
            dockerVersion = "?";
        }
        String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        return new Results.Machine(cpu, Runtime.getRuntime().availableProcessors(), memKiB / 1024, os, kernel,
                dockerVersion, java, postgres == null ? "?" : postgres);
    }

    private static String osRelease() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return "?";
    }

    private static String firstValue(Path file, String key, String fallback) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return fallback;
    }

    private static long parseLeadingLong(String text) {
        String digits = text.replaceAll("[^0-9].*$", "");
        return digits.isEmpty() ? 0 : Long.parseLong(digits);
    }

    private static String read(Path file, String fallback) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return fallback;
        }
    }
}
