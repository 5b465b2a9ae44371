package org.cfq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.cfq.io.files.FileChecks;
import java.util.concurrent.Callable;
import org.cfq.data.Actionability;
import org.cfq.io.files.AtomicFiles;
import org.cfq.io.schema.SchemaFiles;
import org.cfq.io.schema.SchemaInference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cfq schema}: tools for schema files; {@code cfq schema infer} starts one from a CSV. */
@Command(name = "schema", mixinStandardHelpOptions = true, description = "Schema files: 'cfq schema infer' writes a starting schema for a CSV file.",
        subcommands = {SchemaCommand.Infer.class})
public final class SchemaCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The actionability every inferred feature starts with. */
    enum Start { immutable, free }

    /** {@code cfq schema infer}: prints the schema JSON on stdout, the review notes on stderr. */
    @Command(name = "infer", mixinStandardHelpOptions = true, description = {
        "Infer a starting schema (kinds, levels, observed ranges, integer-ness) from a CSV file with a header row, "
                + "and print it as JSON on stdout; what to review goes to stderr.",
        "Actionability is never guessed: --actionability sets every feature immutable or free; edit each one."})
    static final class Infer implements Callable<Integer> {
        @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The CSV file (header row first).")
        Path csv;

        @Option(names = "--label", required = true, paramLabel = "COL", description = "The label column.")
        String label;

        @Option(names = "--favorable", required = true, paramLabel = "VALUE",
                description = "The label value that is the favorable outcome.")
        String favorable;

        @Option(names = "--actionability", required = true, paramLabel = "immutable|free",
                description = "The actionability every feature starts with (review each afterwards).")
        Start start;

        @Option(names = "--name", paramLabel = "NAME", description = "The schema's name (default: the file name "
                + "without extension).")
        String name;

        @Option(names = "--out", paramLabel = "FILE", description = "Also write the schema to FILE (atomically).")
        Path out;

        @Option(names = "--force", description = "Replace an existing --out file even when it is not a schema file.")
        boolean force;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            FileChecks.output(out, "--out", FileChecks.OutputKind.SCHEMA, force, csv);
            String n = name != null ? name : csv.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            SchemaInference.Result r = SchemaInference.infer(csv, n, label, favorable,
                    start == Start.immutable ? Actionability.IMMUTABLE : Actionability.FREE);
            String json = SchemaFiles.toJson(r.schema());
            if (out != null) {
                AtomicFiles.writeString(out, json);
            }
            PrintWriter o = spec.commandLine().getOut();
            o.print(json);
            o.flush();
            PrintWriter err = spec.commandLine().getErr();
            err.println("review before use (" + r.schema().size() + " features inferred from " + csv + "):");
            for (String note : r.notes()) {
                err.println("  - " + note);
            }
            err.flush();
            return CliErrors.OK;
        }
    }
}
