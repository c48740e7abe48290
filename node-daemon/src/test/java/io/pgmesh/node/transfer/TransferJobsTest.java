package io.pgmesh.node.transfer;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.node.pg.NodeConnections;
import io.pgmesh.protocol.ChunkRequest;
import io.pgmesh.protocol.ChunkWrite;
import io.pgmesh.protocol.JobRequest;
import io.pgmesh.protocol.TransferJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A load's file arriving in chunks, and job state that outlives the daemon (no PostgreSQL here). */
class TransferJobsTest {

    @TempDir
    Path dir;

    private TransferJobs jobs() {
        return new TransferJobs(dir.resolve("transfers"), new PgTools(dir, dir),
                new NodeConnections(dir.resolve("no-such-socket")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void chunksArriveInOrderAgainWithoutChangeAndNeverWithAGap() throws Exception {
        TransferJobs jobs = jobs();
        assertThat(jobs.writeChunk("node0", new ChunkWrite("restore-1", 0, bytes("hello "))).actions())
                .containsExactly("received bytes 0-6 of job restore-1");
        assertThat(jobs.writeChunk("node0", new ChunkWrite("restore-1", 0, bytes("hello "))).actions())
                .as("a chunk sent again (a retried call)").isEmpty();
        assertThatThrownBy(() -> jobs.writeChunk("node0", new ChunkWrite("restore-1", 9, bytes("x"))))
                .isInstanceOf(NodeOperationException.class).hasMessageContaining("job restore-1 has 6 bytes; a chunk"
                        + " starting at 9 would leave a gap");
        jobs.writeChunk("node0", new ChunkWrite("restore-1", 6, bytes("world")));
        assertThat(Files.readString(jobs.file("restore-1"))).isEqualTo("hello world");

        TransferJob job = jobs.job("node0", "restore-1");
        assertThat(job.kind()).isEqualTo(TransferJob.LOAD);
        assertThat(job.state()).isEqualTo(TransferJob.RECEIVING);
        assertThat(job.bytes()).isEqualTo(11);
        assertThatThrownBy(() -> jobs.readChunk("node0", new ChunkRequest("restore-1", 0, 5)))
                .hasMessageContaining("only a finished dump's file can be read");

        // a new daemon process finds the job and its bytes
        TransferJobs restarted = jobs();
        assertThat(restarted.job("node0", "restore-1").bytes()).isEqualTo(11);
        restarted.writeChunk("node0", new ChunkWrite("restore-1", 11, bytes("!")));
        assertThat(restarted.remove("node0", "restore-1").actions()).containsExactly("removed job restore-1");
        assertThat(restarted.remove("node0", "restore-1").actions()).isEmpty();
        assertThat(jobs.file("restore-1")).doesNotExist();
        assertThatThrownBy(() -> restarted.job("node0", "restore-1")).hasMessageContaining("no job restore-1");
    }

    @Test
    void aJobThatWasRunningWhenTheDaemonStoppedIsReportedInterrupted() throws Exception {
        Path transfers = Files.createDirectories(dir.resolve("transfers"));
        Files.writeString(transfers.resolve("backup-7.json"), "{\"node\":\"node0\",\"job\":\"backup-7\",\"kind\":\"dump\","
                + "\"state\":\"running\",\"bytes\":0,\"tables\":[]}");
        TransferJob job = jobs().job("node0", "backup-7");
        assertThat(job.failed()).isTrue();
        assertThat(job.error()).contains("interrupted (the node's daemon restarted)");
        assertThat(jobs().remove("node0", "backup-7").actions()).containsExactly("removed job backup-7");
        assertThat(List.of(transfers.toFile().list())).isEmpty();
    }
}
