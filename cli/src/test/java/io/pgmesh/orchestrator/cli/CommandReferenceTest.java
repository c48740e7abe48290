package io.pgmesh.orchestrator.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/COMMANDS.md holds, below {@link CommandReference#MARKER}, exactly what the commands' annotations say.
 * Run with {@code -Dpgmesh.docs.write=true} to rewrite that part after changing a command.
 */
class CommandReferenceTest {

    private static final Path DOC = Path.of("..", "docs", "COMMANDS.md");

    @Test
    void theCommandReferenceIsWhatTheCommandsSay() throws Exception {
        String doc = Files.readString(DOC);
        int marker = doc.indexOf(CommandReference.MARKER);
        assertThat(marker).as(DOC + " must contain the marker line " + CommandReference.MARKER).isNotNegative();
        String expected = doc.substring(0, marker + CommandReference.MARKER.length()) + "\n" + CommandReference.markdown();
        if (Boolean.getBoolean("pgmesh.docs.write")) {
            Files.writeString(DOC, expected);
            doc = expected;
        }
        assertThat(doc).as(DOC + " is stale: run 'mvn -B -pl cli test -Dtest=CommandReferenceTest"
                + " -Dpgmesh.docs.write=true' and commit it").isEqualTo(expected);
    }

    @Test
    void everyCommandHasASectionAndNoAliasOrHelpCommandIsRepeated() {
        String md = CommandReference.markdown();
        for (String command : new String[]{"pgmesh", "pgmesh up", "pgmesh status", "pgmesh add-node",
                "pgmesh remove-node", "pgmesh check", "pgmesh repair", "pgmesh conflicts explain",
                "pgmesh conflicts prune", "pgmesh test", "pgmesh logs", "pgmesh down"}) {
            assertThat(md).contains("\n### " + command + "\n");
        }
        assertThat(md).doesNotContain("### pgmesh ps\n").doesNotContain("### pgmesh help\n");
        assertThat(md.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(CommandReference.WIDTH));
    }
}
