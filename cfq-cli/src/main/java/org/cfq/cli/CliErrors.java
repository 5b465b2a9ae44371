package org.cfq.cli;

import org.cfq.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place that turns exceptions into messages and exit codes: 0 ok, 1 failure,
 * 2 bad input. Stack traces only with {@code --verbose}.
 */
final class CliErrors implements IExecutionExceptionHandler {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int BAD_INPUT = 2;

    /**
     * Checks an option value.
     *
     * @throws InvalidInputException naming the input, the problem and the fix when {@code ok} is false
     */
    static void require(boolean ok, String what, String problem, String fix) {
        if (!ok) {
            throw new InvalidInputException(what, problem, fix);
        }
    }

    /**
     * Parses an option value.
     *
     * @throws InvalidInputException naming the option and value, the problem and the fix when the parser
     *                               throws {@link IllegalArgumentException}
     */
    static <T> T parse(String option, String value, java.util.function.Function<String, T> parser, String problem,
                       String fix) {
        try {
            return parser.apply(value == null ? "" : value.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(option + " " + value, problem, fix);
        }
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        boolean verbose = parsed.hasMatchedOption("--verbose")
                || parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
        var err = cmd.getErr();
        if (ex instanceof InvalidInputException || ex instanceof IllegalArgumentException) {
            err.println("cfq: " + ex.getMessage());
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return BAD_INPUT;
        }
        err.println("cfq: failed: " + ex);
        if (verbose) {
            ex.printStackTrace(err);
        } else {
            err.println("(run again with --verbose for the stack trace)");
        }
        err.flush();
        return FAILURE;
    }
}
