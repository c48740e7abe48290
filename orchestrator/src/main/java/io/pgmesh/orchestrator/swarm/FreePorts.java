package io.pgmesh.orchestrator.swarm;

import java.util.Set;

/** Picks a node's pair of host ports: the first pair (pg, rpc) = (firstPg + k, firstRpc + k) with both free. */
final class FreePorts {

    private FreePorts() {
    }

    static int[] pick(Set<Integer> used, int firstPg, int firstRpc, int pairs) {
        for (int k = 0; k < pairs; k++) {
            if (!used.contains(firstPg + k) && !used.contains(firstRpc + k)) {
                return new int[]{firstPg + k, firstRpc + k};
            }
        }
        throw new IllegalStateException("no free pair of host ports in " + firstPg + "-" + (firstPg + pairs - 1)
                + " and " + firstRpc + "-" + (firstRpc + pairs - 1));
    }
}
