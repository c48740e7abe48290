package io.pgmesh.orchestrator.suite;

import java.time.Duration;

/** The workload's pauses between operations ("20 updates 0.1 s apart"); none in load mode. */
final class Pacer {

    private final boolean enabled;

    Pacer(boolean enabled) {
        this.enabled = enabled;
    }

    void pause(Duration pause) {
        if (!enabled) {
            return;
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("suite interrupted", e);
        }
    }
}
