package io.pgmesh.orchestrator.cluster;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One row of a step table (as pg_auto_failover's fsm.c keeps its transitions): a named step, why it
 * is there, whether the catalogs and the runtime already show it done, and how to do it. Applying a
 * step is idempotent, so a step applied twice changes nothing the second time.
 *
 * @param name     stable name, used in {@code status} and by tests to stop a run at this step
 * @param comment  what the step does and why it is needed
 * @param doneText how the skipped step is logged (followed by ": already in place")
 * @param isDone   whether the view shows the step's effect
 * @param apply    does the step on a run
 * @param <V>      the view the step is judged by
 * @param <R>      the run that applies it
 */
public record Step<V, R>(String name, String comment, String doneText, Predicate<V> isDone, Consumer<R> apply) {
}
