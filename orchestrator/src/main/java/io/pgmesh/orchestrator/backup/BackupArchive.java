package io.pgmesh.orchestrator.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pgmesh.orchestrator.cluster.UsageException;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A backup file: a zip archive whose first entry is {@value #MANIFEST} ({@link BackupManifest}) and whose other entry is
 * the pg_dump archive (custom format, stored as is: it is compressed already). Any unzip and pg_restore can read it.
 * Written to {@code FILE.partial} and renamed when complete, so a backup that failed leaves no file that looks whole.
 */
public final class BackupArchive implements AutoCloseable {

    public static final String MANIFEST = "manifest.json";
    public static final String DUMP_ENTRY = "data.pgdump";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Writes the dump's bytes to a stream. */
    @FunctionalInterface
    public interface DumpWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private final Path file;
    private final ZipFile zip;
    private final BackupManifest manifest;
    private final ZipEntry dump;

    private BackupArchive(Path file, ZipFile zip, BackupManifest manifest, ZipEntry dump) {
        this.file = file;
        this.zip = zip;
        this.manifest = manifest;
        this.dump = dump;
    }

    /** Writes {@code target} (which must not exist) through {@code target.partial}; nothing is left on failure. */
    public static void write(Path target, BackupManifest manifest, DumpWriter dumpWriter) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        try {
            try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW);
                 ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(out, 1 << 16))) {
                zip.setComment(BackupManifest.FORMAT + " " + manifest.formatVersion());
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(JSON.writeValueAsBytes(manifest));
                zip.closeEntry();
                zip.setLevel(Deflater.NO_COMPRESSION);
                zip.putNextEntry(new ZipEntry(manifest.dump().entry()));
                dumpWriter.writeTo(zip);
                zip.closeEntry();
            }
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
    }

    /** Opens and checks a backup file: a zip with a valid manifest and the dump entry of the manifest's size. */
    public static BackupArchive open(Path file) {
        if (!Files.exists(file)) {
            throw new UsageException("FILE", file + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new UsageException("FILE", file + " is not a readable file");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw BackupException.notABackup(file, "not a zip archive, or truncated (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw BackupException.notABackup(file, "cannot be read: " + e.getMessage(), e);
        }
        try {
            ZipEntry entry = zip.getEntry(MANIFEST);
            if (entry == null) {
                throw BackupException.notABackup(file, "a zip archive without " + MANIFEST);
            }
            BackupManifest manifest;
            try (InputStream in = zip.getInputStream(entry)) {
                manifest = JSON.readValue(in, BackupManifest.class);
            } catch (JsonProcessingException e) {
                throw BackupException.notABackup(file, MANIFEST + " is not a pgmesh manifest: "
                        + e.getOriginalMessage(), e);
            }
            List<String> problems = manifest.problems();
            if (!problems.isEmpty()) {
                throw BackupException.notABackup(file, String.join("; ", problems));
            }
            ZipEntry dump = zip.getEntry(manifest.dump().entry());
            if (dump == null) {
                throw BackupException.notABackup(file, "the manifest's dump entry " + manifest.dump().entry()
                        + " is missing");
            }
            if (dump.getSize() != manifest.dump().bytes()) {
                throw BackupException.notABackup(file, "entry " + dump.getName() + " has " + dump.getSize()
                        + " bytes, the manifest says " + manifest.dump().bytes());
            }
            return new BackupArchive(file, zip, manifest, dump);
        } catch (IOException e) {
            closeQuietly(zip);
            throw BackupException.notABackup(file, "cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(zip);
            throw e;
        }
    }

    public BackupManifest manifest() {
        return manifest;
    }

    public Path file() {
        return file;
    }

    /**
     * The dump's bytes; at their end the stream checks their SHA-256 against the manifest and throws a
     * {@link BackupException} (as an IOException's cause) when it differs.
     */
    public InputStream openDump() throws IOException {
        MessageDigest sha = sha256();
        String expected = manifest.dump().sha256();
        return new FilterInputStream(zip.getInputStream(dump)) {
            private boolean checked;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    sha.update((byte) b);
                } else {
                    check();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    sha.update(buffer, offset, n);
                } else if (n < 0) {
                    check();
                }
                return n;
            }

            private void check() throws IOException {
                if (checked) {
                    return;
                }
                checked = true;
                String actual = HexFormat.of().formatHex(sha.digest());
                if (!actual.equals(expected)) {
                    throw new IOException(BackupException.notABackup(file, "damaged: entry " + dump.getName()
                            + " has SHA-256 " + actual + ", the manifest says " + expected));
                }
            }
        };
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public void close() {
        closeQuietly(zip);
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException e) {
            // nothing was written through it
        }
    }
}
