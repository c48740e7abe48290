package io.pgmesh.orchestrator.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code system.runtime}: where the cluster's nodes run. {@link Docker} (the default) is the local engine, one
 * container per node; {@link Swarm} is an existing Docker Swarm, one service per node, pinned to a host.
 */
public sealed interface RuntimeConfig permits RuntimeConfig.Docker, RuntimeConfig.Swarm {

    /** The local engine (DOCKER_HOST or /var/run/docker.sock), as without a {@code system.runtime}. */
    record Docker() implements RuntimeConfig {
    }

    /**
     * An existing Swarm, reached through one of its managers.
     *
     * @param manager    the manager's Docker endpoint, e.g. tcp://10.0.0.5:2376 or unix:///var/run/docker.sock
     * @param tlsCertDir ca.pem, cert.pem and key.pem for a tcp:// manager (and every other host's engine, reached at
     *                   the same port); empty for a unix:// manager
     * @param registry   host:port of the registry the node image is pushed to and every host pulls from
     * @param network    the overlay network the nodes replicate over
     */
    record Swarm(String manager, Optional<Path> tlsCertDir, String registry, OverlayConfig network)
            implements RuntimeConfig {
    }

    /**
     * The attachable overlay network {@code <cluster>_<network id>}.
     *
     * @param subnet  the overlay's subnet
     * @param ipRange the part of it Swarm gives tasks their addresses from
     * @param mtu     at most the hosts' underlay MTU minus 50 (VXLAN's header)
     */
    record OverlayConfig(Ipv4Net subnet, Ipv4Net ipRange, int mtu) {
    }

    default boolean isSwarm() {
        return this instanceof Swarm;
    }
}
