package io.pgmesh.node.transfer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmesh.node.NodeOperationException;
import io.pgmesh.node.pg.NodeConnections;
import io.pgmesh.node.pg.TableContent;
import io.pgmesh.protocol.ChunkRequest;
import io.pgmesh.protocol.ChunkWrite;
import io.pgmesh.protocol.DumpRequest;
import io.pgmesh.protocol.FileChunk;
import io.pgmesh.protocol.LoadRequest;
import io.pgmesh.protocol.RpcErrorCode;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.TableChecksum;
import io.pgmesh.protocol.TransferJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dumps and loads that run in the background, each with a job file in {@code directory} (on the node's data volume)
 * and its state beside it ({@code <job>.json}), so a job outlives a restart of the daemon. One job name, one job:
 * starting it again answers its state. A dump reads each table's checksum and runs pg_dump in ONE snapshot, so the
 * checksums describe exactly the rows in the file.
 */
public final class TransferJobs {

    private static final Logger log = LoggerFactory.getLogger(TransferJobs.class);

    private final Path directory;
    private final PgTools tools;
    private final NodeConnections connections;
    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Map<String, TransferJob> jobs = new ConcurrentHashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public TransferJobs(Path directory, PgTools tools, NodeConnections connections) {
        this.directory = directory;
        this.tools = tools;
        this.connections = connections;
    }

    // ---- dump ----

    public synchronized TransferJob startDump(String node, DumpRequest request) {
        Optional<TransferJob> existing = find(request.job());
        if (existing.isPresent()) {
            return current(existing.get());
        }
        TransferJob job = new TransferJob(node, request.job(), TransferJob.DUMP, TransferJob.RUNNING, 0, null,
                List.of(), null, null);
        save(node, job);
        inBackground(job, () -> dump(node, request));
        return job;
    }

    private TransferJob dump(String node, DumpRequest request) {
        Path file = file(request.job());
        try {
            Files.deleteIfExists(file);
            String version;
            List<TableChecksum> sums;
            PgTools.Outcome outcome;
            try (Connection c = connections.open(request.database())) {
                c.setAutoCommit(false);
                TableContent.beginSnapshot(c);
                String snapshot;
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT pg_export_snapshot(), current_setting('server_version')")) {
                    rs.next();
                    snapshot = rs.getString(1);
                    version = rs.getString(2);
                }
                // pg_dump and the checksums read the same snapshot side by side (the transaction keeps it alive)
                PgTools.Running dump = tools.startDump(request.database(), snapshot, request.tables(), file);
                try {
                    sums = TableContent.read(c, request.tables());
                } finally {
                    outcome = dump.await();
                }
                log.info("[{}] dump {}: pg_dump of {} in snapshot {} ({})", node, request.job(), request.tables(),
                        snapshot, sums);
                c.commit();
            }
            if (!outcome.ok()) {
                Files.deleteIfExists(file);
                return failed(node, request.job(), TransferJob.DUMP, outcome.describe("pg_dump"));
            }
            return new TransferJob(node, request.job(), TransferJob.DUMP, TransferJob.DONE, Files.size(file),
                    sha256(file), sums, version, null);
        } catch (SQLException e) {
            deleteQuietly(file);
            return failed(node, request.job(), TransferJob.DUMP, "could not read the tables: " + e.getMessage()
                    + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"));
        } catch (IOException e) {
            deleteQuietly(file);
            return failed(node, request.job(), TransferJob.DUMP, "could not write the dump file " + file + ": " + e);
        }
    }

    // ---- load ----

    /** Appends a chunk to a load's file; the first chunk creates the job. */
    public synchronized StepResult writeChunk(String node, ChunkWrite chunk) {
        TransferJob job = find(chunk.job()).orElse(null);
        if (job == null) {
            job = new TransferJob(node, chunk.job(), TransferJob.LOAD, TransferJob.RECEIVING, 0, null, List.of(), null,
                    null);
            save(node, job);
        }
        if (!job.kind().equals(TransferJob.LOAD) || !job.state().equals(TransferJob.RECEIVING)) {
            throw NodeOperationException.invalid(node, "request.job", "job " + chunk.job() + " is a " + job.kind()
                    + " in state " + job.state() + ", not a load receiving its file");
        }
        Path file = file(chunk.job());
        try {
            long size = Files.exists(file) ? Files.size(file) : 0;
            long end = chunk.offset() + chunk.data().length;
            if (end <= size) {
                return new StepResult(node, List.of());
            }
            if (chunk.offset() != size) {
                throw NodeOperationException.invalid(node, "request.offset", "job " + chunk.job() + " has " + size
                        + " bytes; a chunk starting at " + chunk.offset() + " would leave a gap or overlap");
            }
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buffer = ByteBuffer.wrap(chunk.data());
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            return new StepResult(node, List.of("received bytes " + size + "-" + end + " of job " + chunk.job()));
        } catch (IOException e) {
            throw storage(node, "could not write job file " + file, e);
        }
    }

    public synchronized TransferJob startLoad(String node, LoadRequest request) {
        TransferJob job = find(request.job()).orElseThrow(() -> NodeOperationException.invalid(node, "request.job",
                "no job " + request.job() + " on this node: send its file with writeJobChunk first"));
        if (!job.kind().equals(TransferJob.LOAD)) {
            throw NodeOperationException.invalid(node, "request.job", "job " + request.job() + " is a " + job.kind());
        }
        if (!job.state().equals(TransferJob.RECEIVING)) {
            return current(job);
        }
        TransferJob loading = new TransferJob(node, request.job(), TransferJob.LOAD, TransferJob.RUNNING,
                size(file(request.job())), null, List.of(), null, null);
        save(node, loading);
        inBackground(loading, () -> load(node, request));
        return loading;
    }

    private TransferJob load(String node, LoadRequest request) {
        Path file = file(request.job());
        List<String> tables = request.expected().stream().map(TableChecksum::table).toList();
        try {
            long size = Files.size(file);
            if (size != request.bytes()) {
                return failed(node, request.job(), TransferJob.LOAD, "the file has " + size + " bytes, expected "
                        + request.bytes() + " (a chunk went missing)");
            }
            String sha = sha256(file);
            if (!sha.equals(request.sha256())) {
                return failed(node, request.job(), TransferJob.LOAD, "the file's SHA-256 is " + sha + ", expected "
                        + request.sha256() + " (it was damaged on the way)");
            }
            String version;
            try (Connection c = connections.open(request.database())) {
                version = serverVersion(c);
                List<TableChecksum> before = TableContent.readInOwnSnapshot(c, tables);
                if (matchAll(before, request.expected())) {
                    log.info("[{}] load {}: the tables already hold the expected rows", node, request.job());
                    return new TransferJob(node, request.job(), TransferJob.LOAD, TransferJob.DONE, size, sha, before,
                            version, null);
                }
                for (TableChecksum t : before) {
                    if (t.rows() > 0) {
                        return failed(node, request.job(), TransferJob.LOAD, "table " + t.table() + " already holds "
                                + t.rows() + " rows: a backup is loaded only into empty tables");
                    }
                }
            }
            log.info("[{}] load {}: pg_restore of {} ({} bytes)", node, request.job(), tables, size);
            PgTools.Outcome outcome = tools.restore(request.database(), tables, file);
            if (!outcome.ok()) {
                return failed(node, request.job(), TransferJob.LOAD, outcome.describe("pg_restore")
                        + " (one transaction: nothing was loaded)");
            }
            List<TableChecksum> after;
            try (Connection c = connections.open(request.database())) {
                after = TableContent.readInOwnSnapshot(c, tables);
            }
            if (!matchAll(after, request.expected())) {
                return failed(node, request.job(), TransferJob.LOAD, "after the load the tables hold " + after
                        + ", the backup says " + request.expected());
            }
            return new TransferJob(node, request.job(), TransferJob.LOAD, TransferJob.DONE, size, sha, after, version,
                    null);
        } catch (SQLException e) {
            return failed(node, request.job(), TransferJob.LOAD, "could not read the tables: " + e.getMessage()
                    + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"));
        } catch (IOException e) {
            return failed(node, request.job(), TransferJob.LOAD, "could not read the job file " + file + ": " + e);
        }
    }

    private static boolean matchAll(List<TableChecksum> actual, List<TableChecksum> expected) {
        if (actual.size() != expected.size()) {
            return false;
        }
        for (int i = 0; i < actual.size(); i++) {
            if (!actual.get(i).matches(expected.get(i))) {
                return false;
            }
        }
        return true;
    }

    // ---- either ----

    /** The job's state, with the file's current size while it runs or receives. */
    public TransferJob job(String node, String name) {
        return current(find(name).orElseThrow(() -> NodeOperationException.invalid(node, "request.job",
                "no job " + name + " on this node")));
    }

    /** Bytes of a finished dump's file. */
    public FileChunk readChunk(String node, ChunkRequest request) {
        TransferJob job = job(node, request.job());
        if (!job.kind().equals(TransferJob.DUMP) || !job.done()) {
            throw NodeOperationException.invalid(node, "request.job", "job " + request.job() + " is a " + job.kind()
                    + " in state " + job.state() + ": only a finished dump's file can be read");
        }
        Path file = file(request.job());
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (request.offset() > size) {
                throw NodeOperationException.invalid(node, "request.offset", request.offset() + " is past the end of"
                        + " the file (" + size + " bytes)");
            }
            int length = (int) Math.min(request.length(), size - request.offset());
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && in.read(buffer, request.offset() + buffer.position()) >= 0) {
                // read until the buffer is full
            }
            return new FileChunk(request.job(), request.offset(), buffer.array(), size);
        } catch (IOException e) {
            throw storage(node, "could not read job file " + file, e);
        }
    }

    /** Deletes the job's file and state; a job still running is refused (BUSY). */
    public synchronized StepResult remove(String node, String name) {
        if (running.contains(name)) {
            throw new NodeOperationException(RpcErrorCode.BUSY, node, "job " + name + " is still running", null,
                    "request.job");
        }
        boolean had = jobs.remove(name) != null;
        try {
            had |= Files.deleteIfExists(file(name));
            had |= Files.deleteIfExists(stateFile(name));
        } catch (IOException e) {
            throw storage(node, "could not delete job " + name, e);
        }
        return new StepResult(node, had ? List.of("removed job " + name) : List.of());
    }

    // ---- plumbing ----

    private void inBackground(TransferJob job, java.util.function.Supplier<TransferJob> work) {
        running.add(job.job());
        Thread t = new Thread(() -> {
            TransferJob end;
            try {
                end = work.get();
            } catch (RuntimeException e) {
                log.error("[{}] {} {} failed", job.node(), job.kind(), job.job(), e);
                end = new TransferJob(job.node(), job.job(), job.kind(), TransferJob.FAILED, 0, null, List.of(), null,
                        "internal error: " + e);
            }
            synchronized (this) {
                save(job.node(), end);
                running.remove(job.job());
            }
            log.info("[{}] {} {}: {}{}", job.node(), job.kind(), job.job(), end.state(),
                    end.error() == null ? " (" + end.bytes() + " bytes)" : ": " + end.error());
        }, "transfer-" + job.job());
        t.setDaemon(true);
        t.start();
    }

    private TransferJob failed(String node, String job, String kind, String error) {
        return new TransferJob(node, job, kind, TransferJob.FAILED, size(file(job)), null, List.of(), null, error);
    }

    private TransferJob current(TransferJob job) {
        if (job.state().equals(TransferJob.RUNNING) || job.state().equals(TransferJob.RECEIVING)) {
            if (job.state().equals(TransferJob.RUNNING) && !running.contains(job.job())) {
                // the daemon restarted while it ran: the thread is gone, the job will not finish
                return new TransferJob(job.node(), job.job(), job.kind(), TransferJob.FAILED, size(file(job.job())),
                        null, List.of(), null, "interrupted (the node's daemon restarted); remove the job and start"
                        + " again");
            }
            return new TransferJob(job.node(), job.job(), job.kind(), job.state(), size(file(job.job())), null,
                    List.of(), null, null);
        }
        return job;
    }

    private Optional<TransferJob> find(String name) {
        TransferJob known = jobs.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        Path state = stateFile(name);
        if (!Files.exists(state)) {
            return Optional.empty();
        }
        try {
            TransferJob stored = json.readValue(state.toFile(), TransferJob.class);
            jobs.put(name, stored);
            return Optional.of(stored);
        } catch (IOException e) {
            log.warn("unreadable job state {}: {}", state, e.toString());
            return Optional.empty();
        }
    }

    private void save(String node, TransferJob job) {
        try {
            Files.createDirectories(directory);
            Path tmp = directory.resolve(job.job() + ".json.tmp");
            Files.write(tmp, json.writeValueAsBytes(job));
            Files.move(tmp, stateFile(job.job()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            jobs.put(job.job(), job);
        } catch (IOException e) {
            throw storage(node, "could not record job " + job.job() + " in " + directory, e);
        }
    }

    Path file(String job) {
        return directory.resolve(job + ".pgdump");
    }

    private Path stateFile(String job) {
        return directory.resolve(job + ".json");
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String serverVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", file, e.toString());
        }
    }

    private static NodeOperationException storage(String node, String what, IOException e) {
        return new NodeOperationException(RpcErrorCode.STORAGE, node, what + ": " + e.getMessage(), null, null, e);
    }
}
