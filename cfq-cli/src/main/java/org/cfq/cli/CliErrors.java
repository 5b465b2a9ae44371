package org.cfq.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import org.cfq.io.files.Failure;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The picocli glue of {@link Failure}, which maps exceptions to messages and exit codes: 0 ok,
 * 1 failure, 2 bad input. Stack traces only with {@code --verbose}. With {@code --json}, a failure
 * also prints one JSON object on stdout: {@code {"error": {"input", "problem", "fix"}, "exit_code"}}.
 */
final class CliErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final int OK = Failure.OK;
    static final int FAILURE = Failure.FAILURE;
    static final int BAD_INPUT = Failure.BAD_INPUT;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        boolean verbose = matched(parsed, "--verbose");
        boolean json = matched(parsed, "--json");
        return report(cmd, ex, verbose, json);
    }

    /** Usage errors (a missing or malformed option): the message, the command's usage on stderr, exit 2. */
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("cfq: " + ex.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            cmd.usage(err);
        }
        err.flush();
        if (Arrays.asList(args).contains("--json")) {
            JsonOutput.print(cmd.getOut(), new Failure(String.join(" ", args), ex.getMessage(),
                    "Run 'cfq " + commandPath(cmd) + " --help' for the options", BAD_INPUT, "").toJson());
        }
        return BAD_INPUT;
    }

    /** Reports any throwable (including errors such as running out of memory) and returns the exit code. */
    static int report(CommandLine cmd, Throwable ex, boolean verbose, boolean json) {
        PrintWriter err = cmd.getErr();
        Failure f = Failure.of(ex, commandPath(cmd));
        err.println(f.line());
        if (verbose) {
            ex.printStackTrace(err);
        } else if (f.exitCode() == FAILURE) {
            err.println("(run again with --verbose for the stack trace)");
        }
        err.flush();
        if (json) {
            JsonOutput.print(cmd.getOut(), f.toJson());
        }
        return f.exitCode();
    }

    private static boolean matched(ParseResult parsed, String option) {
        if (parsed == null) {
            return false;
        }
        if (parsed.hasMatchedOption(option)) {
            return true;
        }
        for (ParseResult p : parsed.subcommands()) {
            if (matched(p, option)) {
                return true;
            }
        }
        return false;
    }

    private static String commandPath(CommandLine cmd) {
        String q = cmd.getCommandSpec().qualifiedName(" ");
        return q.startsWith("cfq ") ? q.substring(4) : q.equals("cfq") ? "" : q;
    }
}
