package io.pgmesh.orchestrator.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.SwarmInfo;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeAvailability;
import com.github.dockerjava.api.model.SwarmNodeState;
import io.pgmesh.orchestrator.docker.DockerOperationException;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Swarm's machines, read through a manager; pgmesh never creates or changes the Swarm itself. */
final class SwarmHosts {

    private final DockerClient manager;
    private final String endpoint;

    SwarmHosts(DockerClient manager, String endpoint) {
        this.manager = manager;
        this.endpoint = endpoint;
    }

    /** Fails in one line saying what is missing unless the endpoint is an active manager of a Swarm. */
    void requireManager() {
        Info info = manager.infoCmd().exec();
        SwarmInfo swarm = info.getSwarm();
        LocalNodeState state = swarm == null ? null : swarm.getLocalNodeState();
        if (state != LocalNodeState.ACTIVE) {
            throw new DockerOperationException(DockerOperationException.Kind.ENGINE_UNREACHABLE, "the engine at "
                    + endpoint + " (system.runtime.manager) is not part of an active Swarm (state: "
                    + (state == null ? "none" : state.name().toLowerCase()) + "); pgmesh does not create the Swarm:"
                    + " run 'docker swarm init' there (or 'pgmesh lab up' for a test lab)", null);
        }
        if (!Boolean.TRUE.equals(swarm.getControlAvailable())) {
            throw new DockerOperationException(DockerOperationException.Kind.ENGINE_UNREACHABLE, "the engine at "
                    + endpoint + " (system.runtime.manager) is a Swarm worker, not a manager: point"
                    + " system.runtime.manager at a manager ('docker node ls' there lists them)", null);
        }
    }

    List<SwarmHost> list() {
        return manager.listSwarmNodesCmd().exec().stream().map(SwarmHosts::host)
                .sorted(Comparator.comparing(SwarmHost::hostname)).toList();
    }

    Optional<SwarmHost> byHostname(String hostname) {
        return list().stream().filter(h -> h.hostname().equals(hostname)).findFirst();
    }

    Optional<SwarmHost> byId(String id) {
        return list().stream().filter(h -> h.id().equals(id)).findFirst();
    }

    /**
     * Where a new node goes: {@code wanted} when given (it must be a ready, active host), else the ready, active host
     * with the fewest of the cluster's nodes ({@code nodesPerHost} by host id), ties by hostname.
     */
    static SwarmHost pick(List<SwarmHost> hosts, Map<String, Long> nodesPerHost, String wanted) {
        if (wanted != null) {
            SwarmHost host = hosts.stream().filter(h -> h.hostname().equals(wanted)).findFirst()
                    .orElseThrow(() -> new io.pgmesh.orchestrator.cluster.UsageException("--host", "the Swarm has no host '" + wanted
                            + "' (hosts: " + String.join(", ", hosts.stream().map(SwarmHost::hostname).toList()) + ")"));
            if (!host.ready() || !host.active()) {
                throw new io.pgmesh.orchestrator.cluster.UsageException("--host", "" + wanted + " is " + (host.ready() ? "not active"
                        + " (drained or paused)" : "down") + ": a new node's data would live there");
            }
            return host;
        }
        return hosts.stream().filter(h -> h.ready() && h.active())
                .min(Comparator.comparingLong((SwarmHost h) -> nodesPerHost.getOrDefault(h.id(), 0L))
                        .thenComparing(SwarmHost::hostname))
                .orElseThrow(() -> new IllegalStateException("the Swarm has no ready, active host for a new node"
                        + " (hosts: " + hosts.stream().map(h -> h.hostname() + (h.ready() ? "" : " down")).toList()
                        + ")"));
    }

    private static SwarmHost host(SwarmNode n) {
        String hostname = n.getDescription() == null ? n.getId() : n.getDescription().getHostname();
        String address = n.getStatus() == null ? null : n.getStatus().getAddress();
        if ((address == null || address.isBlank() || address.equals("0.0.0.0")) && n.getManagerStatus() != null
                && n.getManagerStatus().getAddr() != null) {
            // a manager may report 0.0.0.0 as its status address; its manager address is ip:2377
            String addr = n.getManagerStatus().getAddr();
            address = addr.substring(0, addr.lastIndexOf(':'));
        }
        boolean ready = n.getStatus() != null && n.getStatus().getState() == SwarmNodeState.READY;
        boolean active = n.getSpec() == null || n.getSpec().getAvailability() == null
                || n.getSpec().getAvailability() == SwarmNodeAvailability.ACTIVE;
        return new SwarmHost(n.getId(), hostname, address, ready, active, n.getManagerStatus() != null);
    }
}
