package io.pgmesh.orchestrator.suite;

import io.pgmesh.orchestrator.cluster.UsageException;

/**
 * How a suite runs.
 *
 * @param scale multiplies every operation count of the workload (>= 1)
 * @param pause whether the workload's pauses between operations apply (false: load mode)
 */
public record SuiteOptions(int scale, boolean pause) {
    public SuiteOptions {
        if (scale < 1) {
            throw new UsageException("--scale", "must be >= 1, got " + scale);
        }
    }

    public int times(int count) {
        return Math.multiplyExact(count, scale);
    }
}
