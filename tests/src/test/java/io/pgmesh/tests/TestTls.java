package io.pgmesh.tests;

import io.pgmesh.orchestrator.rpc.ClientTls;

/**
 * The orchestrator's TLS for the ITs that talk to a daemon directly (NodeDaemonIT, StatusTruthIT, DaemonRestartIT).
 * TODO(PKI): wired by the cluster PKI change (the CA bundle and the orchestrator's certificate it issues); until
 * then these ITs cannot reach a daemon, which serves JSON-RPC over mutual TLS only.
 */
final class TestTls {

    private TestTls() {
    }

    static ClientTls orchestrator() {
        throw new IllegalStateException("TLS not wired yet: TestTls.orchestrator() needs the cluster PKI");
    }
}
