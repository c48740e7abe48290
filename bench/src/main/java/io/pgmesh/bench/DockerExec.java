package io.pgmesh.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** A command inside one of the bench's own containers, as the image's user (postgres). */
final class DockerExec {

    private DockerExec() {
    }

    /** The command's output (stdout and stderr); fails unless it exits with 0 within {@code timeoutSeconds}. */
    static String run(DockerClient docker, String containerId, int timeoutSeconds, String... command) {
        String exec = docker.execCreateCmd(containerId).withCmd(command)
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        StringBuilder output = new StringBuilder();
        try {
            boolean done = docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    synchronized (output) {
                        output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }
            }).awaitCompletion(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Long exit = docker.inspectExecCmd(exec).exec().getExitCodeLong();
        if (exit == null || exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + exit + "): " + output);
        }
        return output.toString();
    }
}
