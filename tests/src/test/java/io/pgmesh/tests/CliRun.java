package io.pgmesh.tests;

import io.pgmesh.orchestrator.cli.PgMesh;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the pgmesh CLI in-process, as a user would from the shell, capturing output and exit code. */
record CliRun(int exitCode, String out, String err) {

    static CliRun pgmesh(String cluster, Path config, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = PgMesh.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--cluster";
        all[args.length + 1] = cluster;
        all[args.length + 2] = "--config";
        all[args.length + 3] = config.toString();
        int code = cli.execute(all);
        System.out.print(out);
        System.err.print(err);
        return new CliRun(code, out.toString(), err.toString());
    }
}
