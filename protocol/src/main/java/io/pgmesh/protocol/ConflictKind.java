package io.pgmesh.protocol;

/** The kinds of conflict the nodes resolve, and the rule each follows. */
public enum ConflictKind {
    /** Two nodes updated the same row: the newer (modified_ts, modified_by) wins. */
    UPDATE_UPDATE("the newer version wins (modified_ts, then the higher node index)"),
    /** Two nodes inserted the same key: the newer version wins, as for updates. */
    INSERT_INSERT("the newer version wins (modified_ts, then the higher node index)"),
    /** A delete met a version the deleting node had not seen: the delete wins over concurrent updates. */
    DELETE_UPDATE("a delete removes the row it deleted, even if another node updated it meanwhile"),
    /** A delete met a row inserted after it: the re-inserted row survives. */
    DELETE_REINSERT("a row inserted after a delete survives that delete"),
    /** An insert arrived for a key deleted after the insert was made: the delete wins. */
    INSERT_DELETED("an insert made before a delete of the same key does not come back");

    private final String rule;

    ConflictKind(String rule) {
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }

    /** The wire name, e.g. update_update. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
