package io.pgmesh.orchestrator.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.NotFoundException;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Which node indexes a cluster has retired. A removed node's rows keep its key range, so its index
 * is never given to a new node. Each retired index is an empty Docker volume labelled with the
 * cluster and the index: state derived from Docker, removed by {@code down} with a label query.
 */
public final class RetiredNodes {

    private final DockerClient docker;
    private final Consumer<String> log;

    public RetiredNodes(DockerClient docker, Consumer<String> log) {
        this.docker = docker;
        this.log = log;
    }

    /** Records that {@code node} (index {@code index}) is retired; idempotent. */
    public void retire(String cluster, String node, int index) {
        if (indexes(cluster).contains(index)) {
            return;
        }
        docker.createVolumeCmd().withName(cluster + "-retired-" + node)
                .withLabels(Map.of(Labels.CLUSTER, cluster, Labels.RETIRED_INDEX, Integer.toString(index)))
                .exec();
    }

    public Set<Integer> indexes(String cluster) {
        Set<Integer> retired = new TreeSet<>();
        for (InspectVolumeResponse v : volumes(cluster)) {
            String index = v.getLabels() == null ? null : v.getLabels().get(Labels.RETIRED_INDEX);
            if (index != null) {
                retired.add(Integer.parseInt(index));
            }
        }
        return retired;
    }

    /** Removes the cluster's markers (at {@code down} when it deletes the data); nothing else. */
    public void removeAll(String cluster) {
        for (InspectVolumeResponse v : volumes(cluster)) {
            if (v.getLabels() == null || !v.getLabels().containsKey(Labels.RETIRED_INDEX)) {
                continue; // a node's data volume: not a marker
            }
            try {
                docker.removeVolumeCmd(v.getName()).exec();
            } catch (NotFoundException alreadyGone) {
                // the goal
            }
        }
    }

    private List<InspectVolumeResponse> volumes(String cluster) {
        List<InspectVolumeResponse> volumes = docker.listVolumesCmd()
                .withFilter("label", Labels.clusterFilter(cluster)).exec().getVolumes();
        return volumes == null ? List.of() : volumes;
    }
}
