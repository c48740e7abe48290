package io.pgmesh.protocol;

import java.util.List;

/**
 * The keys of a table a node holds an unsettled version or delete of, ordered: at most
 * {@link DigestRequest#MAX_LEFT_OUT}. {@code complete} is false when there were more (then
 * {@code ids} is empty and a comparison cannot leave them out of its digests).
 */
public record UnsettledKeys(String node, String table, List<Long> ids, boolean complete) {
    public UnsettledKeys {
        ids = ids == null ? List.of() : List.copyOf(ids);
    }
}
