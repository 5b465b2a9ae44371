package org.cfq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code cfq} command: it only lists and dispatches the subcommands. */
@Command(name = "cfq", mixinStandardHelpOptions = true, version = "cfq " + org.cfq.provenance.Provenance.CFQ_VERSION,
        description = "Quantize tabular classifiers without breaking algorithmic recourse.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            DatasetsCommand.class,
            TrainCommand.class,
            QuantizeCommand.class,
            QuantTableCommand.class,
            ExportCommand.class,
            RecourseCommand.class,
            BenchCommand.class,
            BenchRecourseCommand.class,
            AuditCommand.class,
            ExperimentCommand.class,
            CfqQuantizeCommand.class,
            ImportCommand.class,
            SchemaCommand.class,
            ReportCommand.class,
        })
public final class CfqCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with cfq's exception handling and exit codes. */
    public static CommandLine commandLine() {
        return new CommandLine(new CfqCommand())
                .setExecutionExceptionHandler(new CliErrors());
    }

    /** Runs cfq with the given arguments and returns the exit code. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }
}
