package io.pgmesh.orchestrator.cluster;

/**
 * Called around every step of a step table (join, leave), by the step's name: tests stop or fail a
 * run at a named step through it, never by matching log text. Production runs use {@link #NONE}.
 */
public interface StepHook {

    StepHook NONE = new StepHook() {
    };

    /** Before {@code step} is applied on {@code node} (the joining or leaving node). */
    default void before(String node, String step) {
    }

    /** After {@code step} was applied on {@code node}. */
    default void after(String node, String step) {
    }
}
