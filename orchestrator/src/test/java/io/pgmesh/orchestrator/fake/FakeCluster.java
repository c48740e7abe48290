package io.pgmesh.orchestrator.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.StepHook;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.config.SysConfigLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A cluster on a {@link FakeRuntime}: the shipped config with two tables, a secrets home, a step log. */
public final class FakeCluster {

    public static final String NAME = "fake";
    private static final SysConfig TWO_TABLES = twoTables();

    public final FakeRuntime runtime = new FakeRuntime(NAME);
    public final SysConfig config;
    public final Path home;
    public final List<String> log = new CopyOnWriteArrayList<>();

    public FakeCluster(Path home) {
        this.home = home;
        this.config = TWO_TABLES;
    }

    public ClusterContext ctx() {
        return runtime.context(config, home, log::add);
    }

    public ClusterContext ctx(StepHook hook) {
        return ctx().withSteps(hook);
    }

    /** The shipped sysconfig.json with a second table like the first. */
    static SysConfig twoTables() {
        try {
            ObjectMapper json = new ObjectMapper();
            ObjectNode root = (ObjectNode) json.readTree(Files.readString(Path.of("..", "sysconfig.json")));
            ArrayNode tables = (ArrayNode) root.at("/system/config/database/tables");
            ObjectNode second = tables.get(0).deepCopy();
            second.put("name", "table2");
            tables.add(second);
            return SysConfigLoader.parse(json.writeValueAsString(root), "sysconfig.json (two tables)", name -> null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
