package io.pgmesh.orchestrator.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The node image: built from the Dockerfile, the supervisor script (the entrypoint) and the daemon
 * jar packaged in the orchestrator jar (resources under {@code node-image/}), tagged with a hash of
 * their content and of the base image, so a changed daemon, script or Dockerfile gives a new image
 * and an unchanged one is reused.
 */
public final class NodeImage {

    public static final String REPOSITORY = "pgmesh-node";
    /** Base images tried in order; the first is made by docker/ensure-base-image.sh. */
    public static final List<String> BASE_IMAGES = List.of("pgmesh-base:trixie", "debian:trixie-slim");

    private static final String RESOURCE_DIR = "node-image/";
    /** Every file of the build context; each is part of the content hash, so a change gives a new image. */
    private static final List<String> CONTEXT_FILES = List.of("Dockerfile", "node-daemon.jar", "pgmesh-entrypoint.sh");

    private final DockerClient docker;
    private final Consumer<String> log;

    public NodeImage(DockerClient docker, Consumer<String> log) {
        this.docker = docker;
        this.log = log;
    }

    /** The tag of an image built from the current daemon and Dockerfile, building it when missing. */
    public String ensureBuilt() {
        String base = findBaseImage();
        String baseId = docker.inspectImageCmd(base).exec().getId();
        String hash = contentHash(baseId);
        String tag = REPOSITORY + ":" + hash;
        if (imageExists(tag)) {
            log.accept("[image] using " + tag + " (present)");
            return tag;
        }
        log.accept("[image] building " + tag + " from " + base + " (daemon or Dockerfile changed, or first run)");
        Path context = writeBuildContext();
        try {
            String id = docker.buildImageCmd(context.toFile())
                    .withTags(Set.of(tag, REPOSITORY + ":latest"))
                    .withBuildArg("BASE_IMAGE", base)
                    .withLabels(Map.of(Labels.CONTENT_HASH, hash))
                    .withPull(false)
                    .exec(new BuildImageResultCallback() {
                        @Override
                        public void onNext(BuildResponseItem item) {
                            if (item.getStream() != null && !item.getStream().isBlank()) {
                                log.accept("[image]   " + item.getStream().strip());
                            }
                            super.onNext(item);
                        }
                    })
                    .awaitImageId();
            log.accept("[image] built " + tag + " (" + id + ")");
            return tag;
        } catch (DockerClientException e) {
            throw new DockerOperationException(DockerOperationException.Kind.IMAGE_BUILD_FAILED,
                    "building the node image " + tag + " failed: " + DockerEngine.rootMessage(e)
                            + "; check that the Debian mirror is reachable from containers, then run again", e);
        } finally {
            deleteQuietly(context);
        }
    }

    private String findBaseImage() {
        for (String candidate : BASE_IMAGES) {
            if (imageExists(candidate)) {
                return candidate;
            }
        }
        throw new DockerOperationException(DockerOperationException.Kind.IMAGE_MISSING,
                "no base image: neither " + String.join(" nor ", BASE_IMAGES)
                        + " is present; create one with: bash docker/ensure-base-image.sh", null);
    }

    private boolean imageExists(String tag) {
        try {
            docker.inspectImageCmd(tag).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Hash of the build inputs: base image id and the packaged context files. */
    String contentHash(String baseImageId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(baseImageId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (String file : CONTEXT_FILES) {
                sha.update(file.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update(readResource(file));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path writeBuildContext() {
        try {
            Path dir = Files.createTempDirectory("pgmesh-node-image");
            for (String file : CONTEXT_FILES) {
                Files.write(dir.resolve(file), readResource(file));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the image build context", e);
        }
    }

    private static byte[] readResource(String file) {
        try (InputStream in = NodeImage.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE_DIR + file
                        + " is missing from the orchestrator jar: build it with 'mvn -B package'");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
