package org.cfq.cli;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code cfq} command: it only lists and dispatches the subcommands. */
@Command(name = "cfq", mixinStandardHelpOptions = true, version = "cfq " + org.cfq.provenance.Provenance.CFQ_VERSION,
        description = "Quantize tabular classifiers without breaking algorithmic recourse.")
public final class CfqCommand implements Callable<Integer> {
    /** The subcommands, in the order the usage lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
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
            ReportCommand.class);

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

    /** Builds the command line with every subcommand, cfq's exception handling and exit codes. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line for running {@code args}: when the first argument names a subcommand, only
     * that one is built (picocli reads every option of every subcommand it is given, ~0.1 s of a
     * fresh process for the sixteen); anything else (help, a typo, no command) gets all of them.
     */
    static CommandLine commandLine(String first) {
        CliErrors errors = new CliErrors();
        CommandLine cl = new CommandLine(new CfqCommand());
        Class<?> only = null;
        if (first != null && !first.equals("help")) {
            for (Class<?> c : SUBCOMMANDS) {
                if (c.getAnnotation(Command.class).name().equals(first)) {
                    only = c;
                }
            }
        }
        for (Class<?> c : SUBCOMMANDS) {
            if (only == null || c == only) {
                cl.addSubcommand(c);
            }
        }
        // Handlers set after the subcommands are added, so they reach every one (as before).
        return cl.setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors);
    }

    /** Runs cfq with the given arguments and returns the exit code. */
    public static int execute(String... args) {
        CommandLine cl = commandLine(args.length > 0 ? args[0] : null);
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // Errors pass picocli's handler; they too get a message and no stack trace without --verbose.
            return CliErrors.report(cl, e, Arrays.asList(args).contains("--verbose"),
                    Arrays.asList(args).contains("--json"));
        }
    }
}
