package io.pgmesh.orchestrator.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PushResponseItem;
import io.pgmesh.orchestrator.docker.DockerEngine;
import io.pgmesh.orchestrator.docker.DockerOperationException;
import io.pgmesh.orchestrator.docker.NodeImage;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Makes a node image built on the local engine available to every Swarm host: copies it to the manager's engine
 * (unless it has it), pushes it from there to the configured registry (every host must trust that registry anyway,
 * to pull from it), and returns its reference by digest, so that no task ever resolves a tag.
 */
final class SwarmImages {

    private final DockerClient local;
    private final DockerClient manager;
    private final String registry;
    private final Consumer<String> log;

    SwarmImages(DockerClient local, DockerClient manager, String registry, Consumer<String> log) {
        this.local = local;
        this.manager = manager;
        this.registry = registry;
        this.log = log;
    }

    /** {@code <registry>/pgmesh-node@sha256:...} of the local image {@code localTag} (repository:tag). */
    String publish(String localTag) {
        if (localTag.contains("@sha256:")) {
            return localTag;
        }
        String id = local.inspectImageCmd(localTag).exec().getId();
        String tag = localTag.substring(localTag.lastIndexOf(':') + 1);
        String repository = registry + "/" + NodeImage.REPOSITORY;
        String remote = repository + ":" + tag;
        if (!managerHas(id)) {
            long started = System.nanoTime();
            log.accept("[image] copying " + localTag + " to the Swarm manager");
            try (InputStream image = local.saveImageCmd(localTag).exec()) {
                manager.loadImageCmd(image).exec();
            } catch (IOException | RuntimeException e) {
                throw new DockerOperationException(DockerOperationException.Kind.IMAGE_BUILD_FAILED,
                        "copying " + localTag + " to the Swarm manager failed: " + DockerEngine.rootMessage(e), e);
            }
            log.accept(String.format("[image] copied to the manager (%.1f s)", (System.nanoTime() - started) / 1e9));
        }
        manager.tagImageCmd(id, repository, tag).exec();
        String digest = digestIn(manager.inspectImageCmd(remote).exec(), repository);
        if (digest == null) {
            long started = System.nanoTime();
            log.accept("[image] pushing " + remote);
            push(repository, tag);
            digest = digestIn(manager.inspectImageCmd(remote).exec(), repository);
            if (digest == null) {
                throw new DockerOperationException(DockerOperationException.Kind.IMAGE_BUILD_FAILED, "pushed " + remote
                        + " but the manager reports no digest for it in " + registry, null);
            }
            log.accept(String.format("[image] pushed (%.1f s)", (System.nanoTime() - started) / 1e9));
        }
        log.accept("[image] nodes run " + digest);
        return digest;
    }

    private boolean managerHas(String id) {
        try {
            manager.inspectImageCmd(id).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private void push(String repository, String tag) {
        AtomicReference<String> error = new AtomicReference<>();
        try {
            boolean done = manager.pushImageCmd(repository).withTag(tag).exec(new ResultCallback.Adapter<>() {
                @Override
                public void onNext(PushResponseItem item) {
                    if (item.isErrorIndicated()) {
                        error.compareAndSet(null, item.getErrorDetail() != null
                                ? item.getErrorDetail().getMessage() : String.valueOf(item.getError()));
                    }
                }
            }).awaitCompletion(10, TimeUnit.MINUTES);
            if (!done) {
                error.compareAndSet(null, "no answer within 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error.compareAndSet(null, "interrupted");
        } catch (RuntimeException e) {
            error.compareAndSet(null, DockerEngine.rootMessage(e));
        }
        if (error.get() != null) {
            throw new DockerOperationException(DockerOperationException.Kind.IMAGE_BUILD_FAILED, "pushing "
                    + repository + ":" + tag + " to registry " + registry + " (system.runtime.registry) failed: "
                    + error.get() + "; every Swarm host must reach and trust that registry", null);
        }
    }

    private static String digestIn(InspectImageResponse image, String repository) {
        List<String> digests = image.getRepoDigests();
        return digests == null ? null : digests.stream().filter(d -> d.startsWith(repository + "@")).findFirst()
                .orElse(null);
    }
}
