package io.pgmesh.orchestrator.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Secret;
import com.github.dockerjava.api.model.SecretSpec;
import io.pgmesh.orchestrator.docker.Labels;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What pgmesh keeps in the Swarm's own store (its Raft log, reached through any manager, so it outlives hosts that
 * are down): each node's {@link Placement}, the retired node indexes, and the cluster's RPC secret. They are Swarm
 * secret objects, labelled; for the records only the labels matter (Swarm never gives a secret's data back, and
 * docker-java's config objects carry no labels).
 */
final class SwarmRecords {

    static final String RPC_SECRET_FILE = "pgmesh-rpc-secret";
    private static final String SECRET_HASH = "io.pgmesh.secret-sha256";
    private static final int MAX_NAME = 64;

    private final DockerClient manager;

    SwarmRecords(DockerClient manager) {
        this.manager = manager;
    }

    // ---- placements ----

    List<Placement> placements(String cluster) {
        return records(cluster).stream().map(s -> Placement.of(s.getSpec().getLabels())).filter(Objects::nonNull)
                .sorted(java.util.Comparator.comparingInt(Placement::index)).toList();
    }

    Optional<Placement> placement(String cluster, String node) {
        return placements(cluster).stream().filter(p -> p.node().equals(node)).findFirst();
    }

    void savePlacement(Placement p) {
        create(name(p.cluster(), p.node() + "-placement"), p.labels(), "placement");
    }

    void removePlacement(String cluster, String node) {
        records(cluster).stream().filter(s -> {
            Placement p = Placement.of(s.getSpec().getLabels());
            return p != null && p.node().equals(node);
        }).forEach(s -> remove(s.getId()));
    }

    // ---- retired indexes ----

    void retire(String cluster, int index) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.CLUSTER, cluster);
        labels.put(Placement.KIND, "retired");
        labels.put(Labels.RETIRED_INDEX, Integer.toString(index));
        create(name(cluster, "retired-" + index), labels, "retired");
    }

    Set<Integer> retired(String cluster) {
        Set<Integer> indexes = new TreeSet<>();
        for (Secret s : records(cluster)) {
            Map<String, String> labels = s.getSpec().getLabels();
            if ("retired".equals(labels.get(Placement.KIND))) {
                indexes.add(Integer.parseInt(labels.get(Labels.RETIRED_INDEX)));
            }
        }
        return indexes;
    }

    // ---- the RPC secret ----

    /**
     * The Swarm secret holding the cluster's RPC secret, created when missing; its id. A secret already there
     * must hold the same value (compared by hash): else the daemons would refuse this orchestrator.
     */
    Secret ensureRpcSecret(String cluster, String value) {
        String hash = sha256(value);
        String name = name(cluster, "rpc-secret");
        for (Secret s : records(cluster)) {
            Map<String, String> labels = s.getSpec().getLabels();
            if ("rpc-secret".equals(labels.get(Placement.KIND))) {
                if (!hash.equals(labels.get(SECRET_HASH))) {
                    throw new IllegalStateException("the Swarm holds another RPC secret for cluster " + cluster
                            + " (secret " + s.getSpec().getName() + ") than this machine's state directory: run"
                            + " pgmesh from the machine that created the cluster, or 'pgmesh down' it there");
                }
                return s;
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.CLUSTER, cluster);
        labels.put(Placement.KIND, "rpc-secret");
        labels.put(SECRET_HASH, hash);
        try {
            manager.createSecretCmd(new SecretSpec().withName(name).withLabels(labels)
                    .withData(value)).exec(); // docker-java base64-encodes the data itself
        } catch (ConflictException raced) {
            // created meanwhile by another pgmesh: checked below
        }
        return records(cluster).stream().filter(s -> "rpc-secret".equals(s.getSpec().getLabels().get(Placement.KIND)))
                .findFirst().orElseThrow(() -> new IllegalStateException("secret " + name + " vanished"));
    }

    /** Removes the cluster's RPC secret (its services must be gone); returns its name when there was one. */
    List<String> removeRpcSecret(String cluster) {
        return records(cluster).stream().filter(s -> "rpc-secret".equals(s.getSpec().getLabels().get(Placement.KIND)))
                .map(s -> {
                    remove(s.getId());
                    return s.getSpec().getName();
                }).toList();
    }

    // ---- a node's TLS files ----

    /** Stores one of a node's TLS files as a Swarm secret (labelled with its cluster and node); its id. */
    Secret createTlsFile(String cluster, String node, String generation, String file, String content) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.CLUSTER, cluster);
        labels.put(Labels.NODE, node);
        labels.put(Placement.KIND, "tls");
        String name = name(cluster, node + "-tls" + generation + "-" + file);
        try {
            manager.createSecretCmd(new SecretSpec().withName(name).withLabels(labels).withData(content)).exec();
        } catch (ConflictException raced) {
            // the same generation's file, created by an earlier attempt: the same content
        }
        return records(cluster).stream().filter(s -> name.equals(s.getSpec().getName())).findFirst()
                .orElseThrow(() -> new IllegalStateException("secret " + name + " vanished"));
    }

    /** Removes a node's TLS files (no service may use them); returns their names. */
    List<String> removeTlsFiles(String cluster, String node) {
        return records(cluster).stream().filter(s -> "tls".equals(s.getSpec().getLabels().get(Placement.KIND))
                        && node.equals(s.getSpec().getLabels().get(Labels.NODE)))
                .map(s -> {
                    remove(s.getId());
                    return s.getSpec().getName();
                }).toList();
    }

    /** Removes every record of the cluster but the RPC secret. */
    void removeRecords(String cluster) {
        records(cluster).stream().filter(s -> !"rpc-secret".equals(s.getSpec().getLabels().get(Placement.KIND)))
                .forEach(s -> remove(s.getId()));
    }

    // ----

    private List<Secret> records(String cluster) {
        return manager.listSecretsCmd().withLabelFilter(Map.of(Labels.CLUSTER, cluster)).exec().stream()
                .filter(s -> s.getSpec() != null && s.getSpec().getLabels() != null
                        && cluster.equals(s.getSpec().getLabels().get(Labels.CLUSTER)))
                .toList();
    }

    private void create(String name, Map<String, String> labels, String what) {
        try {
            manager.createSecretCmd(new SecretSpec().withName(name).withLabels(labels)
                    .withData(what)).exec();
        } catch (ConflictException alreadyThere) {
            // the record exists: records are written once and never changed
        }
    }

    private void remove(String id) {
        try {
            manager.removeSecretCmd(id).exec();
        } catch (NotFoundException alreadyGone) {
            // the goal
        }
    }

    /** {@code pgmesh-<cluster>-<suffix>}, shortened with a hash when longer than Swarm allows. */
    static String name(String cluster, String suffix) {
        String name = "pgmesh-" + cluster + "-" + suffix;
        if (name.length() <= MAX_NAME) {
            return name;
        }
        String hash = sha256(cluster).substring(0, 12);
        return "pgmesh-" + hash + "-" + suffix;
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
