package io.pgmesh.orchestrator.cluster;

import java.util.List;
import java.util.Optional;

/**
 * Runs an ordered step table. The steps before the first one not done in the view (read before the
 * run) are skipped; from that one on, every step is applied, in order, with the context's
 * {@link StepHook} around each. That is how running a table again finishes an interrupted run.
 */
final class StepTable {

    private StepTable() {
    }

    /** The step a run would resume at; empty when every step is done. */
    static <V, R> Optional<Step<V, R>> firstNotDone(List<Step<V, R>> table, V view) {
        return table.stream().filter(s -> !s.isDone().test(view)).findFirst();
    }

    static <V, R> void run(List<Step<V, R>> table, V view, R run, ClusterContext ctx, String node) {
        boolean resumed = false;
        for (Step<V, R> step : table) {
            if (!resumed && step.isDone().test(view)) {
                ctx.log(node, step.doneText() + " (step " + step.name() + "): already in place");
                continue;
            }
            resumed = true;
            ctx.steps().before(node, step.name());
            step.apply().accept(run);
            ctx.steps().after(node, step.name());
        }
    }

    static <V, R> List<String> names(List<Step<V, R>> table) {
        return table.stream().map(Step::name).toList();
    }
}
