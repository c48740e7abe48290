package io.pgmesh.orchestrator.lab;

import com.github.dockerjava.api.DockerClient;
import io.pgmesh.orchestrator.docker.PackagedImage;

import java.util.List;
import java.util.function.Consumer;

/**
 * The lab host image {@value #REPOSITORY}: a Docker engine on the base image the node image uses, built from the
 * Dockerfile and entrypoint packaged in the orchestrator jar (resources under {@code lab-image/}, copied from
 * docker/lab), tagged with a hash of their content and of the base image.
 */
public final class LabImage {

    public static final String REPOSITORY = "pgmesh-lab-host";

    static final PackagedImage IMAGE = new PackagedImage(REPOSITORY, "lab-image/",
            List.of("Dockerfile", "lab-entrypoint.sh"), "the lab host image", "[lab]");

    private final DockerClient docker;
    private final Consumer<String> log;

    public LabImage(DockerClient docker, Consumer<String> log) {
        this.docker = docker;
        this.log = log;
    }

    /** The tag of the image of the current Dockerfile and entrypoint, building it when missing. */
    public String ensureBuilt() {
        return IMAGE.ensureBuilt(docker, log);
    }
}
