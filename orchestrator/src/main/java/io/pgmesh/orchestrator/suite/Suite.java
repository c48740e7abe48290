package io.pgmesh.orchestrator.suite;

/** One of the load-balancing workloads of the original example. */
public interface Suite {

    String name();

    /** Runs the workload through {@code env}; failures of single operations are recorded, not thrown. */
    void run(SuiteEnv env);
}
