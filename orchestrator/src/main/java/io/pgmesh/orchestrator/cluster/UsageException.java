package io.pgmesh.orchestrator.cluster;

/**
 * What the user asked for cannot be done as asked: an argument is out of range or names something the cluster
 * does not have (an unknown node, a table that is not replicated), found after the command line parsed. It
 * carries the argument ({@code --nodes}, {@code NODE}, ...) and the problem; the message is
 * {@code "argument: problem"}. The CLI exits with 2 (usage) for it and for nothing else that a command throws;
 * a plain {@link IllegalArgumentException} is a bug and exits with 1.
 *
 * <p>It extends {@link IllegalArgumentException} so that callers of the use cases as a library (the JUnit
 * extension, the benchmarks) see the type they saw before this class existed.
 */
public final class UsageException extends IllegalArgumentException {

    private final String argument;
    private final String problem;

    /**
     * @param argument the option or parameter as the user wrote it or as the help names it, e.g. "--nodes", "NODE"
     * @param problem  what is wrong with it, naming the value and what would be accepted
     */
    public UsageException(String argument, String problem) {
        super(argument + ": " + problem);
        this.argument = argument;
        this.problem = problem;
    }

    public String argument() {
        return argument;
    }

    public String problem() {
        return problem;
    }
}
