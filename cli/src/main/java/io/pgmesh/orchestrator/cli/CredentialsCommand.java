package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterSecrets;
import io.pgmesh.orchestrator.cluster.MeshSpecs;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.Credentials;
import io.pgmesh.protocol.DatabaseSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How to connect: the roles, their passwords only when asked for, and each node's JDBC URL. */
@Command(name = "credentials", mixinStandardHelpOptions = true,
        description = "Show how to connect to the cluster: each role's user, each running node's JDBC URL, and"
                + " where the passwords are stored. Passwords are shown only with --show-passwords.",
        footer = {"", "Examples:", "  pgmesh credentials",
                "  PGPASSWORD=$(pgmesh credentials --show-passwords --role writer --password-only) psql ..."})
final class CredentialsCommand extends ClusterCommand {

    static final String HIDDEN = "(hidden; --show-passwords)";

    @Option(names = "--show-passwords", description = "Print the passwords (they are never printed otherwise).")
    boolean showPasswords;

    @Option(names = "--role", paramLabel = "ROLE", description = "Only this role: owner, replicator, writer, reader.")
    String role;

    @Option(names = "--password-only", description = "With --role and --show-passwords: print only the password.")
    boolean passwordOnly;

    @Override
    public Integer call() {
        ClusterContext ctx = context();
        ClusterSecrets secrets = ClusterSecrets.resolve(ctx.home(), ctx.cluster(),
                MeshSpecs.configuredPasswords(ctx.config()), false);
        Map<String, Credentials> roles = roles(MeshSpecs.database(ctx.config(), secrets));
        if (role != null && !roles.containsKey(role)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--role: '" + role + "' is not one of " + String.join(", ", roles.keySet()));
        }
        if (passwordOnly && (role == null || !showPasswords)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--password-only needs --role and --show-passwords");
        }
        PrintWriter out = out();
        if (passwordOnly) {
            out.println(roles.get(role).password());
            out.flush();
            return ExitCodes.OK;
        }
        List<NodeContainer> nodes = ctx.runtime().list(ctx.cluster());
        out.print(render(roles, role, showPasswords, nodes, n -> ctx.jdbcUrl(n, ctx.config().database()),
                secrets.file().toString(), io.pgmesh.orchestrator.tls.ClusterPki.caFile(ctx.home(), ctx.cluster())
                        .toString()));
        out.flush(); // print() is not flushed by the writer's autoflush, and main() ends with System.exit
        return ExitCodes.OK;
    }

    static Map<String, Credentials> roles(DatabaseSpec db) {
        Map<String, Credentials> roles = new LinkedHashMap<>();
        roles.put(ClusterSecrets.OWNER, db.owner());
        roles.put(ClusterSecrets.REPLICATOR, db.replicator());
        roles.put(ClusterSecrets.WRITER, db.writer());
        roles.put(ClusterSecrets.READER, db.reader());
        return roles;
    }

    /** Deciding what to print is separate from fetching it: pure, unit-tested. */
    static String render(Map<String, Credentials> roles, String onlyRole, boolean showPasswords,
                         List<NodeContainer> nodes, java.util.function.Function<NodeContainer, String> jdbcUrls,
                         String secretsFile, String caFile) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("%-11s %-16s %s%n", "ROLE", "USER", "PASSWORD"));
        roles.forEach((name, c) -> {
            if (onlyRole == null || onlyRole.equals(name)) {
                s.append(String.format("%-11s %-16s %s%n", name, c.user(), showPasswords ? c.password() : HIDDEN));
            }
        });
        s.append(String.format("%n%-8s %s%n", "NODE", "JDBC URL"));
        for (NodeContainer n : nodes) {
            s.append(String.format("%-8s %s%n", n.node(), n.running()
                    ? jdbcUrls.apply(n) : "(" + n.state() + ")"));
        }
        s.append(String.format("%nGenerated passwords are stored in %s (owner-only).%n", secretsFile));
        s.append(String.format("Nodes accept TLS only; their certificates are issued by the cluster's CA: %s%n", caFile));
        return s.toString();
    }
}
