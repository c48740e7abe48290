package io.pgmesh.node.pg;

import io.pgmesh.node.DaemonSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Configures, starts, awaits and stops the node's PostgreSQL server process. */
public final class PostgresServer {

    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);

    private final DaemonSettings settings;
    private final NodeConnections connections;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private Process postmaster;

    public PostgresServer(DaemonSettings settings, NodeConnections connections) {
        this.settings = settings;
        this.connections = connections;
    }

    /** Writes conf.d/pgmesh.conf and the pg_hba file (only when their content differs). */
    public void writeConfiguration() throws IOException {
        Path hba = settings.pgConfDir().resolve("pgmesh_hba.conf");
        ServerConfig.Sizing sizing = ServerConfig.Sizing.forMesh(settings.maxNodes(), settings.tables());
        writeIfChanged(hba, ServerConfig.renderHba(settings.replicationRole()));
        writeIfChanged(settings.pgConfDir().resolve("conf.d").resolve("pgmesh.conf"),
                ServerConfig.renderSettings(sizing, settings.maxSlotWalKeepMb(), hba, settings.tlsDir()));
        log.info("PostgreSQL sized for {} nodes x {} tables: {}", settings.maxNodes(), settings.tables(), sizing);
    }

    /** Whether a postmaster already runs on the data directory (pg_ctl status). */
    public boolean isRunning() throws IOException, InterruptedException {
        Process status = new ProcessBuilder(pgBin("pg_ctl"), "status", "-D", settings.pgData().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return status.waitFor() == 0;
    }

    /**
     * Starts postgres as a child whose log goes to the container's output, and stops it with
     * {@code pg_ctl stop -m fast} when the JVM shuts down. If the postmaster dies on its own, the
     * daemon exits too; the container's supervisor (pgmesh-entrypoint.sh) then restarts the
     * daemon, which starts PostgreSQL again.
     */
    public void start() throws IOException {
        Path config = settings.pgConfDir().resolve("postgresql.conf");
        List<String> command = List.of(pgBin("postgres"), "-D", settings.pgData().toString(),
                "-c", "config_file=" + config);
        log.info("starting PostgreSQL: {}", String.join(" ", command));
        postmaster = new ProcessBuilder(command).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "pg-stop"));
        postmaster.onExit().thenAccept(p -> {
            if (!stopping.get()) {
                log.error("PostgreSQL exited unexpectedly with status {}; the daemon exits too", p.exitValue());
                System.exit(3);
            }
        });
    }

    /**
     * Watches a postmaster this daemon did not start (an earlier daemon of the container did): when it
     * exits, the daemon exits too, just as with one it started, so the supervisor restarts the daemon
     * and the daemon starts PostgreSQL again. Stopping it stays with the supervisor.
     */
    public void adoptRunning() throws IOException {
        long pid = postmasterPid(settings.pgData().resolve("postmaster.pid"));
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new IOException(
                "postmaster.pid names pid " + pid + ", which does not run"));
        log.info("adopting the running PostgreSQL (postmaster pid {}); the daemon exits if it stops", pid);
        handle.onExit().thenAccept(p -> {
            log.error("the adopted PostgreSQL (postmaster pid {}) exited; the daemon exits too", pid);
            System.exit(3);
        });
    }

    /** The postmaster's pid: the first line of postmaster.pid. */
    static long postmasterPid(Path pidFile) throws IOException {
        String first = Files.readAllLines(pidFile, StandardCharsets.UTF_8).stream().findFirst()
                .orElseThrow(() -> new IOException(pidFile + " is empty")).strip();
        try {
            long pid = Long.parseLong(first);
            if (pid <= 0) {
                throw new NumberFormatException();
            }
            return pid;
        } catch (NumberFormatException e) {
            throw new IOException(pidFile + ": first line is not a pid: '" + first + "'");
        }
    }

    /** Polls until the server runs {@code SELECT 1}; false when the deadline passes or postgres died. */
    public boolean awaitAcceptingConnections(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String lastProblem = "no attempt";
        while (Instant.now().isBefore(deadline)) {
            if (postmaster != null && !postmaster.isAlive()) {
                log.error("PostgreSQL exited with status {} while starting", postmaster.exitValue());
                return false;
            }
            try (Connection c = connections.open(NodeConnections.MAINTENANCE_DB);
                 Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                log.info("PostgreSQL accepts connections on {}", settings.socketFile());
                return true;
            } catch (SQLException e) {
                lastProblem = e.getMessage();
            }
            Thread.sleep(100);
        }
        log.error("PostgreSQL did not accept connections within {} s: {}", timeout.toSeconds(), lastProblem);
        return false;
    }

    /** Fast shutdown through pg_ctl (used by the shutdown hook). */
    public void stop() {
        if (!stopping.compareAndSet(false, true) || postmaster == null || !postmaster.isAlive()) {
            return;
        }
        log.info("stopping PostgreSQL (pg_ctl stop -m fast)");
        try {
            Process stop = new ProcessBuilder(pgBin("pg_ctl"), "stop", "-m", "fast", "-D",
                    settings.pgData().toString()).inheritIO().start();
            if (!stop.waitFor(20, TimeUnit.SECONDS)) {
                stop.destroyForcibly();
            }
            postmaster.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            log.error("could not run pg_ctl stop", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String pgBin(String program) {
        return settings.pgBin().resolve(program).toString();
    }

    private static void writeIfChanged(Path file, String content) throws IOException {
        if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
            return;
        }
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.info("wrote {}", file);
    }
}
