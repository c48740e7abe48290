package io.pgmesh.node.service;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.node.pg.TableContent;
import io.pgmesh.node.transfer.TransferJobs;
import io.pgmesh.protocol.ChecksumRequest;
import io.pgmesh.protocol.ChunkRequest;
import io.pgmesh.protocol.ChunkWrite;
import io.pgmesh.protocol.DumpRequest;
import io.pgmesh.protocol.FileChunk;
import io.pgmesh.protocol.JobRequest;
import io.pgmesh.protocol.LoadRequest;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.TableChecksum;
import io.pgmesh.protocol.TableChecksums;
import io.pgmesh.protocol.TransferJob;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Backup and restore on a node: dumps and loads by PostgreSQL's own tools, run as background jobs whose files the
 * orchestrator reads and writes in chunks ({@link TransferJobs}), and table checksums. Validation first; none of
 * these take the admin lock (a dump reads; a load's tables must be empty, and the join that follows waits for it).
 */
final class TransferCalls {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final NodeCall call;
    private final TransferJobs jobs;

    TransferCalls(NodeCall call, TransferJobs jobs) {
        this.call = call;
        this.jobs = jobs;
    }

    TransferJob startDump(DumpRequest request) {
        String node = call.nodeName();
        RequestValidation check = new RequestValidation(node);
        check.required(request, "request");
        job(node, request.job(), "request.job");
        tables(check, request.database(), request.tables());
        call.requireDatabase(node, request.database());
        return jobs.startDump(node, request);
    }

    TransferJob startLoad(LoadRequest request) {
        String node = call.nodeName();
        RequestValidation check = new RequestValidation(node);
        check.required(request, "request");
        job(node, request.job(), "request.job");
        tables(check, request.database(), request.expected().stream().map(TableChecksum::table).toList());
        if (request.bytes() < 0) {
            throw NodeOperationException.invalid(node, "request.bytes", "must be >= 0, got " + request.bytes());
        }
        if (request.sha256() == null || !SHA256.matcher(request.sha256()).matches()) {
            throw NodeOperationException.invalid(node, "request.sha256", "must be 64 lower-case hex digits");
        }
        for (int i = 0; i < request.expected().size(); i++) {
            TableChecksum t = request.expected().get(i);
            if (t.rows() < 0 || t.checksum() == null || !t.checksum().matches("-?[0-9]+")) {
                throw NodeOperationException.invalid(node, "request.expected[" + i + "]", "needs rows >= 0 and a"
                        + " decimal checksum, got " + t);
            }
        }
        call.requireDatabase(node, request.database());
        return jobs.startLoad(node, request);
    }

    TransferJob transferJob(JobRequest request) {
        String node = call.nodeName();
        new RequestValidation(node).required(request, "request");
        job(node, request.job(), "request.job");
        return jobs.job(node, request.job());
    }

    FileChunk readJobChunk(ChunkRequest request) {
        String node = call.nodeName();
        new RequestValidation(node).required(request, "request");
        job(node, request.job(), "request.job");
        offset(node, request.offset());
        if (request.length() < 1 || request.length() > TransferJob.MAX_CHUNK_BYTES) {
            throw NodeOperationException.invalid(node, "request.length", "must be 1.." + TransferJob.MAX_CHUNK_BYTES
                    + ", got " + request.length());
        }
        return jobs.readChunk(node, request);
    }

    StepResult writeJobChunk(ChunkWrite request) {
        String node = call.nodeName();
        RequestValidation check = new RequestValidation(node);
        check.required(request, "request");
        job(node, request.job(), "request.job");
        check.required(request.data(), "request.data");
        offset(node, request.offset());
        if (request.data().length > TransferJob.MAX_CHUNK_BYTES) {
            throw NodeOperationException.invalid(node, "request.data", "must be at most "
                    + TransferJob.MAX_CHUNK_BYTES + " bytes, got " + request.data().length);
        }
        return jobs.writeChunk(node, request);
    }

    StepResult removeJob(JobRequest request) {
        String node = call.nodeName();
        new RequestValidation(node).required(request, "request");
        job(node, request.job(), "request.job");
        return jobs.remove(node, request.job());
    }

    TableChecksums tableChecksums(ChecksumRequest request) {
        String node = call.nodeName();
        RequestValidation check = new RequestValidation(node);
        check.required(request, "request");
        tables(check, request.database(), request.tables());
        return call.onInitialized(node, request.database(), "read the tables' checksums",
                c -> new TableChecksums(node, TableContent.readInOwnSnapshot(c, request.tables())));
    }

    private static void offset(String node, long offset) {
        if (offset < 0) {
            throw NodeOperationException.invalid(node, "request.offset", "must be >= 0, got " + offset);
        }
    }

    private static void job(String node, String job, String field) {
        if (job == null || !TransferJob.JOB_PATTERN.matcher(job).matches()) {
            throw NodeOperationException.invalid(node, field, "must match " + TransferJob.JOB_PATTERN.pattern()
                    + ", got " + (job == null ? "nothing" : "'" + job + "'"));
        }
    }

    private static void tables(RequestValidation check, String database, List<String> tables) {
        check.name(database, "request.database");
        if (tables.isEmpty()) {
            check.required(null, "request.tables");
        }
        for (int i = 0; i < tables.size(); i++) {
            check.tableName(tables.get(i), "request.tables[" + i + "]");
        }
    }
}
