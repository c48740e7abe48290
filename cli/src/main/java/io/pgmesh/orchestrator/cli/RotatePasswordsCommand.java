package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.PasswordRotation;
import picocli.CommandLine.Command;

@Command(name = "rotate-passwords", mixinStandardHelpOptions = true,
        description = "Generate new passwords for the cluster's roles and set them on every node, one at a time:"
                + " sessions that are logged in keep working, new logins need the new password ('pgmesh credentials"
                + " --show-passwords'). Passwords set in sysconfig.json are left alone. Every node must run;"
                + " run it again to finish an interrupted rotation with the same passwords.",
        footer = {"", "Example:", "  pgmesh rotate-passwords"})
final class RotatePasswordsCommand extends ClusterCommand {

    @Override
    public Integer call() {
        PasswordRotation.Result result = new PasswordRotation(context()).run();
        out().printf("new passwords for %s on %s%s%n", String.join(", ", result.rotated()),
                String.join(", ", result.nodes()), result.configured().isEmpty() ? ""
                        : " (left alone, set in sysconfig.json: " + String.join(", ", result.configured()) + ")");
        out().flush();
        return ExitCodes.OK;
    }
}
