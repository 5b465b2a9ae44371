package org.cfq.cli;

import java.util.Arrays;
import java.util.concurrent.Callable;
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
public final class CfqCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code cfq} without a command is a usage error: the usage on stderr, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("cfq: no command given");
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().flush();
        return CliErrors.BAD_INPUT;
    }

    /** Builds the command line with cfq's exception handling and exit codes. */
    public static CommandLine commandLine() {
        CliErrors errors = new CliErrors();
        return new CommandLine(new CfqCommand())
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }

    /** Runs cfq with the given arguments and returns the exit code. */
    public static int execute(String... args) {
        CommandLine cl = commandLine();
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // Errors pass picocli's handler; they too get a message and no stack trace without --verbose.
            return CliErrors.report(cl, e, Arrays.asList(args).contains("--verbose"),
                    Arrays.asList(args).contains("--json"));
        }
    }
}
