package io.pgmesh.orchestrator.swarm;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecFile;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TmpfsOptions;
import com.github.dockerjava.api.model.VolumeOptions;
import io.pgmesh.orchestrator.docker.NodeContainers;
import io.pgmesh.orchestrator.docker.NodeVolumes;
import io.pgmesh.orchestrator.runtime.NodeContainerSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Swarm service of one node: one replica pinned to its host (its data volume is local there), on the cluster's
 * overlay by its service name, ports published in host mode on that host (no routing mesh: this needs no IPVS), DNS
 * round-robin endpoint (no virtual IP), the RPC secret as a file, restarted by Swarm whatever ended it.
 */
final class NodeServiceSpec {

    static final String SECRETS_DIR = "/run/secrets/";
    private static final long SHM_BYTES = 256L * 1024 * 1024;
    private static final long STOP_GRACE_NANOS = 60_000_000_000L;
    private static final long RESTART_DELAY_NANOS = 2_000_000_000L;

    private NodeServiceSpec() {
    }

    /**
     * A secret handed to the node as a file under /run/secrets, its path in {@code <variable>_FILE} when it has one.
     *
     * @param variable the environment variable the node would otherwise read it from; null: none (TLS files, which the
     *                 daemon finds by name)
     * @param uid      owner of the file in the container
     * @param mode     its mode
     */
    record SecretFile(String variable, String secretId, String secretName, String fileName, String uid, String gid,
                      long mode) {

        /** A file readable by every user of the container (the RPC secret, as before TLS). */
        SecretFile(String variable, String secretId, String secretName, String fileName) {
            this(variable, secretId, secretName, fileName, "0", "0", 0444L);
        }
    }

    /**
     * @param secrets  the spec's secrets as Swarm secrets (the daemon reads {@code <variable>_FILE})
     * @param replicas 1 to run, 0 to keep the service stopped
     */
    static ServiceSpec of(NodeContainerSpec spec, String image, Placement placement, List<SecretFile> secrets,
                          int replicas) {
        List<String> env = new ArrayList<>(spec.env());
        List<ContainerSpecSecret> files = new ArrayList<>();
        for (SecretFile secret : secrets) {
            if (secret.variable() != null) {
                env.add(secret.variable() + "_FILE=" + SECRETS_DIR + secret.fileName());
            }
            // inside the node's container only (a tmpfs of its own); the daemon runs as postgres
            files.add(new ContainerSpecSecret().withSecretId(secret.secretId()).withSecretName(secret.secretName())
                    .withFile(new ContainerSpecFile().withName(secret.fileName()).withUid(secret.uid())
                            .withGid(secret.gid()).withMode(secret.mode())));
        }
        Map<String, String> labels = placement.labels();
        ContainerSpec container = new ContainerSpec()
                .withImage(image)
                .withHostname(spec.node())
                .withLabels(labels)
                .withEnv(env)
                .withSecrets(files)
                .withInit(true)
                .withStopGracePeriod(STOP_GRACE_NANOS)
                .withMounts(List.of(
                        new Mount().withType(MountType.VOLUME).withSource(placement.volumeName())
                                .withTarget(NodeVolumes.MOUNT)
                                .withVolumeOptions(new VolumeOptions().withLabels(labels)),
                        new Mount().withType(MountType.TMPFS).withTarget("/dev/shm")
                                .withTmpfsOptions(new TmpfsOptions().withSizeBytes(SHM_BYTES))));
        TaskSpec task = new TaskSpec()
                .withContainerSpec(container)
                .withPlacement(new ServicePlacement().withConstraints(List.of("node.id==" + placement.hostId())))
                .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY)
                        .withDelay(RESTART_DELAY_NANOS))
                .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(spec.network())));
        return new ServiceSpec()
                .withName(spec.containerName())
                .withLabels(labels)
                .withTaskTemplate(task)
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions()
                        .withReplicas(replicas)))
                .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR).withPorts(List.of(
                        port(NodeContainers.PG_PORT, placement.pgPort()),
                        port(NodeContainers.RPC_PORT, placement.rpcPort()))));
    }

    private static PortConfig port(int target, int published) {
        return new PortConfig().withProtocol(PortConfigProtocol.TCP).withTargetPort(target)
                .withPublishedPort(published).withPublishMode(PortConfig.PublishMode.host);
    }
}
