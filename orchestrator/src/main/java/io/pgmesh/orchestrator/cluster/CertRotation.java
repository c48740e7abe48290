package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.tls.ClusterPki;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.TlsFiles;
import io.pgmesh.protocol.TlsInstallRequest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code pgmesh rotate-certs}: new certificates for every node and for the orchestrator, rolled through the nodes one
 * at a time while clients keep writing. A node installs its new files and reloads PostgreSQL's configuration and its
 * JSON-RPC server (no restart): open sessions and replication streams keep going, new connections use the new
 * certificates. The rounds, each over every node:
 * <ol>
 *   <li>with {@code --ca} only, <b>trust</b>: a new CA; every node trusts the old and the new one;</li>
 *   <li><b>certificates</b>: each node gets new server and replicator certificates; then the orchestrator;</li>
 *   <li><b>revoke</b>: every node gets the final CA bundle (the new CA alone after {@code --ca}) and CRLs listing
 *       every superseded certificate, so an old certificate is refused from then on.</li>
 * </ol>
 * Every node must run: a stopped one would keep certificates that the others stop accepting. Run again after an
 * interruption: it starts over with new certificates, and a CA roll that was begun is finished.
 */
public final class CertRotation {

    /** What was rotated: the nodes, the final generation and the new certificates' expiry. */
    public record Result(List<String> nodes, long generation, Instant notAfter, boolean newCa) {
    }

    private final ClusterContext ctx;

    public CertRotation(ClusterContext ctx) {
        this.ctx = ctx;
    }

    public Result run(boolean newCa) {
        List<NodeContainer> nodes = AllNodesRunning.require(ctx, "rotate certificates",
                "it would keep certificates the others stop accepting");
        ClusterPki pki = ctx.pki();
        String role = ctx.config().roles().replication().id();
        boolean rolling = newCa || pki.caRollInProgress();
        if (rolling) {
            if (!pki.caRollInProgress()) {
                pki.beginCaRoll();
                ctx.log("tls", "new CA " + pki.authority().certificate().getSubjectX500Principal().getName()
                        + "; nodes trust the old and the new one until every certificate is replaced");
            } else {
                ctx.log("tls", "a CA roll was begun and not finished: finishing it");
            }
            long generation = pki.newGeneration();
            for (NodeContainer node : nodes) {
                install(node, pki.nodeFiles(node.node()), "trusting the old and the new CA (generation "
                        + generation + ")");
            }
        }
        for (NodeContainer node : nodes) {
            ctx.log(node.node(), "issuing new server and replicator certificates");
            install(node, pki.reissueNode(node.node(), role), "new certificates");
        }
        pki.issueOrchestrator();
        ctx.log("tls", "issued a new orchestrator certificate");
        if (rolling) {
            pki.finishCaRoll();
            ctx.log("tls", "the previous CA is no longer trusted");
        }
        long generation = pki.newGeneration();
        for (NodeContainer node : nodes) {
            install(node, pki.nodeFiles(node.node()), "revoking the superseded certificates (generation "
                    + generation + ")");
        }
        Instant notAfter = pki.nodeCertificate(nodes.get(0).node()).orElseThrow().getNotAfter().toInstant();
        return new Result(nodes.stream().map(NodeContainer::node).toList(), generation, notAfter, rolling);
    }

    /** Installs {@code files} on the node and checks that its status reports their generation. */
    private void install(NodeContainer node, Map<String, String> files, String what) {
        long generation = Long.parseLong(files.get(TlsFiles.GENERATION).strip());
        try (NodeSession session = ctx.rpc(node)) {
            StepResult result = session.api().installTls(new TlsInstallRequest(files));
            ctx.logStep(node.node(), "installTls: " + what, result);
            NodeStatus.TlsState state = session.api().status().tls();
            if (state == null || state.generation() < generation) {
                throw new IllegalStateException(io.pgmesh.protocol.NodeException.prefixed(node.node(),
                        "reports TLS generation " + (state == null ? "none" : state.generation()) + " after installing "
                                + generation));
            }
        }
    }
}
