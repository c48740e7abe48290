package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.Credentials;
import io.pgmesh.protocol.DatabaseSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pgmesh rotate-passwords}: new passwords for the roles whose passwords pgmesh generated, set node by node. The
 * new passwords are stored as pending first, then every node gets them (its daemon's initDatabase changes a role's
 * password when it differs: PostgreSQL keeps the sessions that are logged in), then they replace the old ones in the
 * secrets file. A password set in sysconfig.json is not pgmesh's to change: that role is left alone, and said so.
 * The replication role logs in with its certificate; its password is rotated all the same, so no old secret lingers.
 */
public final class PasswordRotation {

    /** The roles rotated and those left alone (configured in sysconfig.json), by secret role name. */
    public record Result(List<String> rotated, List<String> configured, List<String> nodes) {
    }

    private final ClusterContext ctx;

    public PasswordRotation(ClusterContext ctx) {
        this.ctx = ctx;
    }

    public Result run() {
        List<NodeContainer> nodes = AllNodesRunning.require(ctx, "rotate passwords", "it would keep the old ones");
        Map<String, Optional<String>> configured = MeshSpecs.configuredPasswords(ctx.config());
        List<String> rotated = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        for (String role : List.of(ClusterSecrets.OWNER, ClusterSecrets.REPLICATOR, ClusterSecrets.WRITER,
                ClusterSecrets.READER)) {
            if (configured.getOrDefault(role, Optional.empty()).isPresent()) {
                fixed.add(role);
                ctx.log("passwords", "leaving " + role + " alone: its password is set in sysconfig.json (change it"
                        + " there and run 'pgmesh up')");
            } else {
                rotated.add(role);
            }
        }
        ClusterSecrets current = ClusterSecrets.resolve(ctx.home(), ctx.cluster(), configured, false);
        Map<String, String> pending = ClusterSecrets.pendingPasswords(ctx.home(), ctx.cluster(), rotated);
        Map<String, String> next = new LinkedHashMap<>();
        for (String role : List.of(ClusterSecrets.OWNER, ClusterSecrets.REPLICATOR, ClusterSecrets.WRITER,
                ClusterSecrets.READER)) {
            next.put(role, pending.getOrDefault(role, current.password(role)));
        }
        DatabaseSpec current0 = MeshSpecs.database(ctx.config(), current);
        DatabaseSpec spec = new DatabaseSpec(current0.name(),
                new Credentials(current0.owner().user(), next.get(ClusterSecrets.OWNER)),
                new Credentials(current0.replicator().user(), next.get(ClusterSecrets.REPLICATOR)),
                new Credentials(current0.writer().user(), next.get(ClusterSecrets.WRITER)),
                new Credentials(current0.reader().user(), next.get(ClusterSecrets.READER)));
        for (NodeContainer node : nodes) {
            try (NodeSession session = ctx.rpc(node)) {
                ctx.logStep(node.node(), "new passwords for " + String.join(", ", rotated),
                        session.api().initDatabase(spec));
            }
        }
        ClusterSecrets.promotePending(ctx.home(), ctx.cluster());
        ctx.log("passwords", "stored in " + ClusterSecrets.fileFor(ctx.home(), ctx.cluster()));
        return new Result(rotated, fixed, nodes.stream().map(NodeContainer::node).toList());
    }
}
