package io.pgmesh.orchestrator.backup;

import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.orchestrator.wait.Poll;
import io.pgmesh.protocol.ChunkRequest;
import io.pgmesh.protocol.ChunkWrite;
import io.pgmesh.protocol.FileChunk;
import io.pgmesh.protocol.JobRequest;
import io.pgmesh.protocol.TransferJob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The orchestrator's side of a node's transfer jobs: waits for a dump or load with progress lines, and moves a job
 * file in chunks of {@link TransferJob#MAX_CHUNK_BYTES} over the node's JSON-RPC connection (so it works wherever the
 * daemon is reachable, whatever runs the container).
 */
final class JobTransfers {

    /** How often progress is logged while a job runs or a file moves. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final NodeSession session;
    private final Consumer<String> log;

    JobTransfers(NodeSession session, Consumer<String> log) {
        this.session = session;
        this.log = log;
    }

    /** Waits until the job is done; a failed job (or the deadline) throws, with the node's reason. */
    TransferJob awaitDone(String job, String doing, Duration timeout) {
        long start = System.nanoTime();
        long[] lastLog = {start};
        TransferJob end;
        try {
            end = Poll.until(doing + " on " + session.node(), timeout, Duration.ofMillis(200), () -> {
                TransferJob j = session.api().transferJob(new JobRequest(job));
                if (j.done() || j.failed()) {
                    return Optional.of(j);
                }
                long now = System.nanoTime();
                if (now - lastLog[0] >= PROGRESS_EVERY.toNanos()) {
                    lastLog[0] = now;
                    log.accept(String.format(Locale.ROOT, "[%s] %s: %s so far, %.0f s", session.node(), doing,
                            mib(j.bytes()), (now - start) / 1e9));
                }
                return Optional.empty();
            });
        } catch (Poll.TimeoutException e) {
            throw new IllegalStateException("[" + session.node() + "] " + doing + " did not finish within "
                    + timeout.toSeconds() + " s (job " + job + " goes on on the node)", e);
        }
        if (end.failed()) {
            throw new IllegalStateException("[" + session.node() + "] " + doing + " failed: " + end.error());
        }
        return end;
    }

    /** Copies a finished dump's file to {@code out}, checking its SHA-256 against the job's. */
    void download(TransferJob job, OutputStream out) throws IOException {
        MessageDigest sha = BackupArchive.sha256();
        long offset = 0;
        long lastLog = System.nanoTime();
        while (offset < job.bytes()) {
            FileChunk chunk = session.api().readJobChunk(new ChunkRequest(job.job(), offset,
                    TransferJob.MAX_CHUNK_BYTES));
            if (chunk.data().length == 0) {
                throw new IllegalStateException("[" + session.node() + "] job " + job.job() + "'s file ended at "
                        + offset + " bytes, " + job.bytes() + " expected");
            }
            out.write(chunk.data());
            sha.update(chunk.data());
            offset += chunk.data().length;
            lastLog = progress("fetching the dump", offset, job.bytes(), lastLog);
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(job.sha256())) {
            throw new IllegalStateException("[" + session.node() + "] the dump arrived damaged: SHA-256 " + actual
                    + ", the node's file has " + job.sha256());
        }
    }

    /** Sends {@code bytes} bytes of {@code in} as the file of a new load job. */
    void upload(String job, InputStream in, long bytes) throws IOException {
        byte[] buffer = new byte[TransferJob.MAX_CHUNK_BYTES];
        long offset = 0;
        long lastLog = System.nanoTime();
        while (true) {
            int n = in.readNBytes(buffer, 0, buffer.length);
            if (n == 0) {
                break;
            }
            byte[] data = n == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, n);
            session.api().writeJobChunk(new ChunkWrite(job, offset, data));
            offset += n;
            lastLog = progress("sending the dump", offset, bytes, lastLog);
        }
        if (offset != bytes) {
            throw new IllegalStateException("the dump has " + offset + " bytes, the manifest says " + bytes);
        }
    }

    /** Forgets the job and deletes its file on the node; a failure here is only logged. */
    void removeQuietly(String job) {
        try {
            session.api().removeJob(new JobRequest(job));
        } catch (RuntimeException e) {
            log.accept("[" + session.node() + "] could not remove job " + job + " (its file stays in the node's"
                    + " transfers directory): " + e.getMessage());
        }
    }

    private long progress(String doing, long done, long total, long lastLog) {
        long now = System.nanoTime();
        if (now - lastLog < PROGRESS_EVERY.toNanos()) {
            return lastLog;
        }
        log.accept(String.format(Locale.ROOT, "[%s] %s: %s of %s (%.0f%%)", session.node(), doing, mib(done),
                mib(total), 100.0 * done / Math.max(1, total)));
        return now;
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
