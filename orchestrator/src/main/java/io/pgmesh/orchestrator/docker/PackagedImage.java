package io.pgmesh.orchestrator.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * An image built on the project's Debian base image from files packaged in the orchestrator jar (resources under
 * {@code resourceDir}), tagged {@code <repository>:<hash>} with a hash of their content and of the base image: a
 * changed file gives a new image, an unchanged one is reused. {@link NodeImage} and the lab's host image are two.
 *
 * @param repository  e.g. pgmesh-node
 * @param resourceDir e.g. node-image/
 * @param files       the build context (the first is the Dockerfile)
 * @param what        how logs and errors name it, e.g. "the node image"
 * @param logPrefix   e.g. [image]
 */
public record PackagedImage(String repository, String resourceDir, List<String> files, String what,
                            String logPrefix) {

    /** Base images tried in order; the first is made by docker/ensure-base-image.sh. */
    public static final List<String> BASE_IMAGES = List.of("pgmesh-base:trixie", "debian:trixie-slim");

    public PackagedImage {
        files = List.copyOf(files);
    }

    /** The tag of the image of the current packaged files, building it when missing. */
    public String ensureBuilt(DockerClient docker, Consumer<String> log) {
        String base = findBaseImage(docker);
        String hash = contentHash(docker.inspectImageCmd(base).exec().getId());
        String tag = repository + ":" + hash;
        if (imageExists(docker, tag)) {
            log.accept(logPrefix + " using " + tag + " (present)");
            return tag;
        }
        log.accept(logPrefix + " building " + tag + " from " + base + " (its files changed, or first run)");
        Path context = writeBuildContext();
        try {
            String id = docker.buildImageCmd(context.toFile())
                    .withTags(Set.of(tag, repository + ":latest"))
                    .withBuildArg("BASE_IMAGE", base)
                    .withLabels(Map.of(Labels.CONTENT_HASH, hash))
                    .withPull(false)
                    .exec(new BuildImageResultCallback() {
                        @Override
                        public void onNext(BuildResponseItem item) {
                            if (item.getStream() != null && !item.getStream().isBlank()) {
                                log.accept(logPrefix + "   " + item.getStream().strip());
                            }
                            super.onNext(item);
                        }
                    })
                    .awaitImageId();
            log.accept(logPrefix + " built " + tag + " (" + id + ")");
            return tag;
        } catch (DockerClientException e) {
            throw new DockerOperationException(DockerOperationException.Kind.IMAGE_BUILD_FAILED,
                    "building " + what + " " + tag + " failed: " + DockerEngine.rootMessage(e)
                            + "; check that the Debian mirror is reachable from containers, then run again", e);
        } finally {
            deleteQuietly(context);
        }
    }

    static String findBaseImage(DockerClient docker) {
        for (String candidate : BASE_IMAGES) {
            if (imageExists(docker, candidate)) {
                return candidate;
            }
        }
        throw new DockerOperationException(DockerOperationException.Kind.IMAGE_MISSING,
                "no base image: neither " + String.join(" nor ", BASE_IMAGES)
                        + " is present; create one with: bash docker/ensure-base-image.sh", null);
    }

    static boolean imageExists(DockerClient docker, String tag) {
        try {
            docker.inspectImageCmd(tag).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Hash of the build inputs: base image id and the packaged context files. */
    public String contentHash(String baseImageId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(baseImageId.getBytes(StandardCharsets.UTF_8));
            for (String file : files) {
                sha.update(file.getBytes(StandardCharsets.UTF_8));
                sha.update(readResource(file));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path writeBuildContext() {
        try {
            Path dir = Files.createTempDirectory(repository + "-context");
            for (String file : files) {
                Files.write(dir.resolve(file), readResource(file));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the build context of " + what, e);
        }
    }

    /** A packaged file of the build context. */
    public byte[] readResource(String file) {
        try (InputStream in = PackagedImage.class.getClassLoader().getResourceAsStream(resourceDir + file)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resourceDir + file
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
