package io.pgmesh.orchestrator.cli;

import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

/**
 * The command reference of docs/COMMANDS.md, made from the commands' own annotations: every command's
 * {@code --help} text, in the order {@code pgmesh --help} lists them. CommandReferenceTest fails when
 * the file differs, so the reference cannot drift from the code.
 */
public final class CommandReference {

    /** The line after which docs/COMMANDS.md holds the generated reference, to the end of the file. */
    public static final String MARKER = "<!-- Generated from the commands' annotations by CommandReference;"
            + " do not edit below this line (CommandReferenceTest says how to regenerate). -->";

    /** Columns of the usage text: fixed, so the reference does not depend on the terminal. */
    static final int WIDTH = 100;

    private CommandReference() {
    }

    /** Markdown: one section per command and subcommand, each with its usage text. */
    public static String markdown() {
        CommandLine root = PgMesh.newCommandLine();
        StringBuilder md = new StringBuilder();
        for (CommandLine command : commands(root)) {
            command.setUsageHelpWidth(WIDTH);
            md.append("\n### ").append(command.getCommandSpec().qualifiedName()).append("\n\n```text\n")
                    .append(command.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n");
        }
        return md.toString();
    }

    /** The root, then each subcommand depth-first, without aliases and without picocli's own help command. */
    static List<CommandLine> commands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        all.add(root);
        root.getSubcommands().forEach((name, sub) -> {
            boolean alias = !name.equals(sub.getCommandName());
            if (!alias && !(sub.getCommand() instanceof CommandLine.HelpCommand)) {
                all.addAll(commands(sub));
            }
        });
        return all;
    }
}
