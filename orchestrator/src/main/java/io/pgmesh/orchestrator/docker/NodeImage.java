package io.pgmesh.orchestrator.docker;

import com.github.dockerjava.api.DockerClient;

import java.util.List;
import java.util.function.Consumer;

/**
 * The node image: built from the Dockerfile, the supervisor script (the entrypoint) and the daemon
 * jar packaged in the orchestrator jar (resources under {@code node-image/}), tagged with a hash of
 * their content and of the base image, so a changed daemon, script or Dockerfile gives a new image
 * and an unchanged one is reused.
 */
public final class NodeImage {

    public static final String REPOSITORY = "pgmesh-node";
    /**
     * The uid and gid of the image's postgres user, which runs the daemon and PostgreSQL: the owner of the TLS files
     * handed to a node (mode 0400). Debian's package picks them; the Dockerfile's build fails if that ever changes.
     */
    public static final String POSTGRES_UID = "100";
    public static final String POSTGRES_GID = "102";
    /** Base images tried in order; the first is made by docker/ensure-base-image.sh. */
    public static final List<String> BASE_IMAGES = PackagedImage.BASE_IMAGES;

    private static final PackagedImage IMAGE = new PackagedImage(REPOSITORY, "node-image/",
            List.of("Dockerfile", "node-daemon.jar", "pgmesh-entrypoint.sh"), "the node image", "[image]");

    private final DockerClient docker;
    private final Consumer<String> log;

    public NodeImage(DockerClient docker, Consumer<String> log) {
        this.docker = docker;
        this.log = log;
    }

    /** The tag of an image built from the current daemon and Dockerfile, building it when missing. */
    public String ensureBuilt() {
        return IMAGE.ensureBuilt(docker, log);
    }
}
