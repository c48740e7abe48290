package io.pgmesh.orchestrator.lab;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import io.pgmesh.orchestrator.docker.DockerOperationException;
import io.pgmesh.orchestrator.docker.Labels;
import io.pgmesh.orchestrator.docker.NodeImage;

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
 * The lab host image {@value #REPOSITORY}: a Docker engine on the base image the node image uses, built from the
 * Dockerfile and entrypoint packaged in the orchestrator jar (resources under {@code lab-image/}, copied from
 * docker/lab), tagged with a hash of their content and of the base image.
 */
public final class LabImage {

    public static final String REPOSITORY = "pgmesh-lab-host";

    private static final String RESOURCE_DIR = "lab-image/";
    private static final List<String> CONTEXT_FILES = List.of("Dockerfile", "lab-entrypoint.sh");

    private final DockerClient docker;
    private final Consumer<String> log;

    public LabImage(DockerClient docker, Consumer<String> log) {
        this.docker = docker;
        this.log = log;
    }

    /** The tag of the image of the current Dockerfile and entrypoint, building it when missing. */
    public String ensureBuilt() {
        String base = findBaseImage();
        String hash = contentHash(docker.inspectImageCmd(base).exec().getId());
        String tag = REPOSITORY + ":" + hash;
        if (imageExists(tag)) {
            log.accept("[lab] image " + tag + " present");
            return tag;
        }
        log.accept("[lab] building image " + tag + " from " + base + " (Dockerfile or entrypoint changed, or first run)");
        Path context = writeBuildContext();
        try {
            docker.buildImageCmd(context.toFile())
                    .withTags(Set.of(tag, REPOSITORY + ":latest"))
                    .withBuildArg("BASE_IMAGE", base)
                    .withLabels(Map.of(Labels.CONTENT_HASH, hash))
                    .withPull(false)
                    .exec(new BuildImageResultCallback() {
                        @Override
                        public void onNext(BuildResponseItem item) {
                            String s = item.getStream();
                            if (s != null && s.strip().startsWith("Step ")) {
                                log.accept("[lab]   " + s.strip());
                            }
                            super.onNext(item);
                        }
                    })
                    .awaitImageId();
            return tag;
        } catch (DockerClientException e) {
            throw new DockerOperationException(DockerOperationException.Kind.IMAGE_BUILD_FAILED,
                    "building the lab host image " + tag + " failed: " + e.getMessage()
                            + "; check that the Debian mirror is reachable from containers, then run again", e);
        } finally {
            deleteQuietly(context);
        }
    }

    private String findBaseImage() {
        for (String candidate : NodeImage.BASE_IMAGES) {
            if (imageExists(candidate)) {
                return candidate;
            }
        }
        throw new DockerOperationException(DockerOperationException.Kind.IMAGE_MISSING,
                "no base image: neither " + String.join(" nor ", NodeImage.BASE_IMAGES)
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

    static String contentHash(String baseImageId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(baseImageId.getBytes(StandardCharsets.UTF_8));
            for (String file : CONTEXT_FILES) {
                sha.update(file.getBytes(StandardCharsets.UTF_8));
                sha.update(readResource(file));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path writeBuildContext() {
        try {
            Path dir = Files.createTempDirectory("pgmesh-lab-image");
            for (String file : CONTEXT_FILES) {
                Files.write(dir.resolve(file), readResource(file));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lab image build context", e);
        }
    }

    static byte[] readResource(String file) {
        try (InputStream in = LabImage.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file)) {
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
