package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.docker.DockerEngine;
import io.pgmesh.orchestrator.lab.Lab;
import io.pgmesh.orchestrator.lab.LabSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code pgmesh lab}: a test bed of Docker hosts (Docker-in-Docker) on this machine, joined in a Swarm. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"A lab of several Docker hosts on this machine: containers h1..hN (Docker-in-Docker) on the"
                + " network pgmesh-lab (172.29.10.0/24, hK at .1K), each engine on port 2376 with TLS and client"
                + " certificates (the lab's own CA), all joined in a Swarm as managers, with a plain-HTTP registry on h1:5000."
                + " 'lab up' writes lab/sysconfig.json: the config with a system.runtime of kind swarm, to run a"
                + " cluster across the hosts (pgmesh up --config lab/sysconfig.json --cluster NAME).",
                "Everything it creates carries the label io.pgmesh.lab=pgmesh-lab; 'lab down' removes exactly that."},
        subcommands = {LabCommand.Up.class, LabCommand.Status.class, LabCommand.StopHost.class,
                LabCommand.StartHost.class, LabCommand.Down.class},
        footer = {"", "Examples:", "  pgmesh lab up", "  pgmesh lab status", "  pgmesh lab stop-host h2",
                "  pgmesh up --config lab/sysconfig.json --cluster demo", "  pgmesh lab down"})
final class LabCommand implements Callable<Integer> {

    /** The cluster commands' option, to say that a cluster runs on the lab through its config. */
    static final String USE = "A cluster on the lab: pgmesh up --config lab/sysconfig.json --cluster NAME";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: up, status, stop-host, start-host or down");
    }

    /** Options of every lab command. */
    static final class LabOptions {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "lab",
                description = "The lab directory: certificates and the generated sysconfig.json (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
        boolean verbose;
    }

    /** Base of the lab commands: the lab on the local engine, logging to the command's writer. */
    abstract static class LabSub implements Callable<Integer> {
        @Mixin
        LabOptions options;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        Lab lab() {
            PrintWriter out = out();
            return new Lab(DockerEngine.connect(), LabSettings.defaults(options.dir), line -> {
                out.println(line);
                out.flush();
            });
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Bring the lab up, or check that it is: build the host image when missing, make the"
                    + " certificates (DIR/certs: the client's, for DOCKER_CERT_PATH; DIR/hosts), start the hosts, wait"
                    + " until each engine answers over TLS, form the Swarm (h1 initialises, the others join as"
                    + " managers), wait for the registry, write DIR/sysconfig.json. Running it again is harmless;"
                    + " another host count needs 'lab down' first.",
            footer = {"", "Examples:", "  pgmesh lab up", "  pgmesh lab up --hosts 5 --dir /tmp/lab", "", USE})
    static final class Up extends LabSub {

        @Option(names = "--hosts", paramLabel = "N", defaultValue = "3",
                description = "How many hosts, 1..9 (default: ${DEFAULT-VALUE}; 3 managers keep quorum when one"
                        + " is lost).")
        int hosts;

        @Option(names = "--config", paramLabel = "FILE", defaultValue = "sysconfig.json",
                description = "The config DIR/sysconfig.json is made from (default: ${DEFAULT-VALUE}).")
        Path config;

        @Override
        public Integer call() {
            Lab.UpResult up = lab().up(hosts, config);
            out().println("lab " + LabSettings.DEFAULT_NAME + " is up: " + up.hosts().size() + " hosts, manager "
                    + up.manager() + ", registry " + up.registry() + ", config " + up.sysconfig());
            out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show each host: its container's state, its Swarm node's state, availability and manager"
                    + " status (from the first manager that answers) and how many running tasks labelled"
                    + " io.pgmesh.cluster it holds. Exits 1 when the lab is down or a host is not running and ready.",
            footer = {"", "Example:", "  pgmesh lab status", "", USE})
    static final class Status extends LabSub {

        @Override
        public Integer call() {
            Lab.Status status = lab().status();
            PrintWriter out = out();
            if (!status.up()) {
                out.println("lab " + status.lab() + " is down (run 'pgmesh lab up')");
                out.flush();
                return ExitCodes.FAILURE;
            }
            out.println(render(status));
            out.flush();
            boolean healthy = status.hosts().stream()
                    .allMatch(h -> "running".equals(h.container()) && "ready".equals(h.node()));
            return healthy ? ExitCodes.OK : ExitCodes.FAILURE;
        }

        static String render(Lab.Status status) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"HOST", "ADDRESS", "CONTAINER", "NODE", "AVAILABILITY", "MANAGER", "CLUSTER TASKS"});
            for (Lab.HostStatus h : status.hosts()) {
                rows.add(new String[]{h.host().name(), h.host().address(), h.container(), h.node(), h.availability(),
                        h.manager(), h.clusterTasks() < 0 ? "?" : Integer.toString(h.clusterTasks())});
            }
            String table = StatusCommand.columns(rows);
            return table + System.lineSeparator() + (status.answeredBy() == null
                    ? "no manager answers: the Swarm columns are unknown"
                    : "swarm as seen by " + status.answeredBy());
        }
    }

    @Command(name = "stop-host", mixinStandardHelpOptions = true,
            description = "Stop one host's container: its engine dies and the Swarm sees its node go down (the"
                    + " other managers keep quorum). Its volume and Swarm membership stay for 'lab start-host'.",
            footer = {"", "Example:", "  pgmesh lab stop-host h2", "", USE})
    static final class StopHost extends LabSub {

        @Parameters(index = "0", paramLabel = "HOST", description = "The host, e.g. h2.")
        String host;

        @Override
        public Integer call() {
            lab().stopHost(host);
            return ExitCodes.OK;
        }
    }

    @Command(name = "start-host", mixinStandardHelpOptions = true,
            description = "Start a stopped host again and wait until its engine answers and its Swarm node is ready.",
            footer = {"", "Example:", "  pgmesh lab start-host h2", "", USE})
    static final class StartHost extends LabSub {

        @Parameters(index = "0", paramLabel = "HOST", description = "The host, e.g. h2.")
        String host;

        @Override
        public Integer call() {
            lab().startHost(host);
            return ExitCodes.OK;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Remove the lab: every container, volume and network labelled io.pgmesh.lab=pgmesh-lab"
                    + " (with the hosts' images, Swarm and registry data), and DIR's certs, hosts and sysconfig.json."
                    + " Nothing else. Harmless when the lab is down.",
            footer = {"", "Example:", "  pgmesh lab down", "", USE})
    static final class Down extends LabSub {

        @Override
        public Integer call() {
            lab().down();
            return ExitCodes.OK;
        }
    }
}
