package io.pgmesh.orchestrator.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads a container's last log lines, the evidence attached to failures. */
public final class ContainerLogs {

    private ContainerLogs() {
    }

    /** Up to {@code lines} last lines of stdout and stderr; empty when they cannot be read. */
    public static List<String> tail(DockerClient docker, String containerId, int lines) {
        List<String> out = new ArrayList<>();
        try (ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
                synchronized (out) {
                    Arrays.stream(text.split("\n")).filter(l -> !l.isBlank()).forEach(out::add);
                }
            }
        }) {
            docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(lines).exec(callback);
            callback.awaitCompletion(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }
        synchronized (out) {
            return List.copyOf(out.subList(Math.max(0, out.size() - lines), out.size()));
        }
    }
}
