package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.CertRotation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rotate-certs", mixinStandardHelpOptions = true,
        description = "Issue new certificates for every node and for pgmesh itself and roll them through the nodes"
                + " one at a time, reloading PostgreSQL and the node daemon (no restart): clients keep writing."
                + " The superseded certificates are revoked. With --ca, a new certificate authority too: nodes trust"
                + " the old and the new one until every certificate is replaced. Every node must run.",
        footer = {"", "Examples:", "  pgmesh rotate-certs", "  pgmesh rotate-certs --ca"})
final class RotateCertsCommand extends ClusterCommand {

    @Option(names = "--ca", description = "Also replace the cluster's certificate authority.")
    boolean ca;

    @Override
    public Integer call() {
        CertRotation.Result result = new CertRotation(context()).run(ca);
        out().printf("rotated the certificates of %s%s: generation %d, valid until %s%n",
                String.join(", ", result.nodes()), result.newCa() ? " and the CA" : "", result.generation(),
                result.notAfter());
        out().flush();
        return ExitCodes.OK;
    }
}
