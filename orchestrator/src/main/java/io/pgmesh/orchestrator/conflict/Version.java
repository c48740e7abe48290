package io.pgmesh.orchestrator.conflict;

import java.time.Instant;
import java.util.Comparator;

/**
 * A row version's identity: when it was written and by which node. Newer means a later
 * {@code modifiedTs}, ties broken by the higher node index, so every node ranks versions alike.
 */
public record Version(Instant createdTs, Instant modifiedTs, int modifiedBy) implements Comparable<Version> {

    private static final Comparator<Version> ORDER =
            Comparator.comparing(Version::modifiedTs).thenComparingInt(Version::modifiedBy);

    @Override
    public int compareTo(Version other) {
        return ORDER.compare(this, other);
    }

    public boolean isNewerThan(Version other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return modifiedTs + " by node" + modifiedBy;
    }
}
