package io.pgmesh.orchestrator.docker;

import com.github.dockerjava.api.model.StreamType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerLogsTest {

    private final List<ContainerLogs.LogLine> lines = new ArrayList<>();

    @Test
    void framesBecomeLinesPerStreamEvenWhenSplitInsideACharacter() {
        ContainerLogs.Lines splitter = new ContainerLogs.Lines(lines::add);
        byte[] text = "2026-11-25T00:12:58.244123456Z [node0] ready ü\n2026-11-25T00:12:59Z second"
                .getBytes(StandardCharsets.UTF_8);
        int cut = text.length - 10; // inside the second line's timestamp
        int inU = new String(text, StandardCharsets.UTF_8).indexOf('ü') + 1; // between the two bytes of ü
        splitter.accept(StreamType.STDERR, Arrays.copyOfRange(text, 0, inU));
        splitter.accept(StreamType.STDOUT, "2026-11-25T00:12:58.5Z out line\n".getBytes(StandardCharsets.UTF_8));
        splitter.accept(StreamType.STDERR, Arrays.copyOfRange(text, inU, cut));
        splitter.accept(StreamType.STDERR, Arrays.copyOfRange(text, cut, text.length));
        splitter.finish();
        assertThat(lines).containsExactly(
                new ContainerLogs.LogLine(Instant.parse("2026-11-25T00:12:58.500Z"), "out line"),
                new ContainerLogs.LogLine(Instant.parse("2026-11-25T00:12:58.244123456Z"), "[node0] ready ü"),
                new ContainerLogs.LogLine(Instant.parse("2026-11-25T00:12:59Z"), "second"));
    }

    @Test
    void aLineWithoutTimestampIsKeptWhole() {
        assertThat(ContainerLogs.Lines.parse("no time here")).isEqualTo(new ContainerLogs.LogLine(null, "no time here"));
        assertThat(ContainerLogs.Lines.parse("2026-11-25T00:12:59Z")).isEqualTo(
                new ContainerLogs.LogLine(Instant.parse("2026-11-25T00:12:59Z"), ""));
    }

    @Test
    void aReopenedStreamSkipsWhatWasAlreadyPassedOn() {
        Instant t1 = Instant.parse("2026-11-25T00:00:01.1Z");
        Instant t2 = Instant.parse("2026-11-25T00:00:01.2Z");
        ContainerLogs.Resume resume = new ContainerLogs.Resume();
        var first = resume.recording(lines::add);
        first.accept(new ContainerLogs.LogLine(t1, "a"));
        first.accept(new ContainerLogs.LogLine(t2, "b"));
        first.accept(new ContainerLogs.LogLine(t2, "c"));
        // reopened from the second of t2: the engine sends again everything of that second
        var again = resume.skippingSeen(lines::add);
        again.accept(new ContainerLogs.LogLine(t1, "a"));
        again.accept(new ContainerLogs.LogLine(t2, "b"));
        again.accept(new ContainerLogs.LogLine(t2, "c"));
        again.accept(new ContainerLogs.LogLine(t2, "d"));
        again.accept(new ContainerLogs.LogLine(Instant.parse("2026-11-25T00:00:02Z"), "e"));
        assertThat(lines).extracting(ContainerLogs.LogLine::text).containsExactly("a", "b", "c", "d", "e");
    }
}
