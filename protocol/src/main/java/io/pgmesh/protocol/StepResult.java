package io.pgmesh.protocol;

import java.util.List;

/**
 * Outcome of an idempotent step on a node.
 *
 * @param node    the node that performed it
 * @param actions what was changed, in order, e.g. "created publication pub_node1_table1";
 *                empty when everything was already in place
 */
public record StepResult(String node, List<String> actions) {
    public StepResult {
        actions = List.copyOf(actions);
    }

    public boolean changed() {
        return !actions.isEmpty();
    }
}
