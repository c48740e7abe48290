package io.pgmesh.orchestrator.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import io.pgmesh.orchestrator.docker.Labels;
import io.pgmesh.orchestrator.runtime.NodeContainer;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Reads the cluster's node services and their tasks as {@link NodeContainer}s, and scales them. */
final class NodeServices {

    private final DockerClient manager;

    NodeServices(DockerClient manager) {
        this.manager = manager;
    }

    List<Service> list(String cluster) {
        return manager.listServicesCmd().withLabelFilter(Map.of(Labels.CLUSTER, cluster)).exec().stream()
                .filter(s -> s.getSpec() != null && s.getSpec().getLabels() != null
                        && s.getSpec().getLabels().containsKey(Labels.NODE))
                .toList();
    }

    Optional<Service> find(String idOrName) {
        try {
            return Optional.of(manager.inspectServiceCmd(idOrName).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** The task the service runs now (desired running), else its most recent one. */
    Optional<Task> currentTask(String serviceId) {
        List<Task> tasks = manager.listTasksCmd().withServiceFilter(serviceId).exec();
        Comparator<Task> newest = Comparator.comparing(t -> t.getUpdatedAt() == null ? "" : t.getUpdatedAt());
        return tasks.stream().filter(t -> t.getDesiredState() == TaskState.RUNNING).max(newest)
                .or(() -> tasks.stream().max(newest));
    }

    /** Whether a container of the service may still run (a task not yet in a final state). */
    boolean hasLiveTask(String serviceId) {
        return manager.listTasksCmd().withServiceFilter(serviceId).exec().stream()
                .anyMatch(t -> t.getStatus() != null && !isFinal(t.getStatus().getState()));
    }

    private static boolean isFinal(TaskState state) {
        return state == TaskState.COMPLETE || state == TaskState.SHUTDOWN || state == TaskState.FAILED
                || state == TaskState.REJECTED || state == TaskState.ORPHANED || state == TaskState.REMOVE;
    }

    /** The node as the runtime reports it; {@code hostsById} gives the host of a task and whether it is up. */
    NodeContainer view(Service service, Function<String, SwarmHost> hostsById) {
        ServiceSpec spec = service.getSpec();
        Placement placement = Placement.of(spec.getLabels());
        Map<String, String> labels = spec.getLabels();
        String node = labels.get(Labels.NODE);
        int index = Integer.parseInt(labels.getOrDefault(Labels.NODE_INDEX, "-1"));
        String hostname = placement == null ? null : placement.hostname();
        int pgPort = placement == null ? 0 : placement.pgPort();
        int rpcPort = placement == null ? 0 : placement.rpcPort();
        boolean running = false;
        String state;
        if (replicas(spec) == 0) {
            state = "stopped";
        } else {
            Optional<Task> task = currentTask(service.getId());
            SwarmHost host = placement == null ? null : hostsById.apply(placement.hostId());
            if (host != null && !host.ready()) {
                state = "host " + host.hostname() + " down";
            } else if (task.isEmpty() || task.get().getStatus() == null) {
                state = "no task";
            } else {
                TaskState s = task.get().getStatus().getState();
                running = s == TaskState.RUNNING && task.get().getDesiredState() == TaskState.RUNNING;
                state = s.getValue();
                if (!running && task.get().getStatus().getErr() != null) {
                    state += ": " + task.get().getStatus().getErr();
                }
            }
        }
        return new NodeContainer(service.getId(), spec.getName(), node, index, spec.getName(), running, state,
                pgPort, rpcPort, hostname);
    }

    static int replicas(ServiceSpec spec) {
        ServiceModeConfig mode = spec.getMode();
        if (mode == null || mode.getReplicated() == null) {
            return 1;
        }
        return (int) mode.getReplicated().getReplicas();
    }

    /** Sets the service's replica count (0: stopped, 1: running); no-op when it has it. */
    void scale(String serviceId, int replicas) {
        Service service = manager.inspectServiceCmd(serviceId).exec();
        ServiceSpec spec = service.getSpec();
        if (replicas(spec) == replicas) {
            return;
        }
        spec.withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas)));
        manager.updateServiceCmd(serviceId, spec).withVersion(service.getVersion().getIndex()).exec();
    }
}
