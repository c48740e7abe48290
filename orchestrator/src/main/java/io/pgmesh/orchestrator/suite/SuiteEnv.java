package io.pgmesh.orchestrator.suite;

/**
 * What a suite runs with.
 *
 * @param operations      the pool, through which every operation goes and is recorded
 * @param table           the table written
 * @param options         scale and pauses
 * @param awaitReplicated blocks until every node has applied every other node's writes so far
 */
public record SuiteEnv(Operations operations, SuiteTable table, SuiteOptions options, Runnable awaitReplicated) {

    Pacer pacer() {
        return new Pacer(options.pause());
    }
}
