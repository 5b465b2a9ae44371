package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Arrays;
import org.cfq.InvalidInputException;
import org.cfq.io.files.FileChecks;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place that turns exceptions into messages and exit codes: 0 ok, 1 failure,
 * 2 bad input. Stack traces only with {@code --verbose}. With {@code --json}, a failure also
 * prints one JSON object on stdout: {@code {"error": {"input", "problem", "fix"}, "exit_code"}}.
 */
final class CliErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {
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
            printJson(cmd.getOut(), String.join(" ", args), ex.getMessage(),
                    "Run 'cfq " + commandPath(cmd) + " --help' for the options", BAD_INPUT);
        }
        return BAD_INPUT;
    }

    /** Reports any throwable (including errors such as running out of memory) and returns the exit code. */
    static int report(CommandLine cmd, Throwable ex, boolean verbose, boolean json) {
        PrintWriter err = cmd.getErr();
        InvalidInputException bad = FileChecks.asBadInput(ex);
        int code;
        String input;
        String problem;
        String fix;
        if (bad != null) {
            code = BAD_INPUT;
            input = bad.what();
            problem = bad.problem();
            fix = bad.fix();
            err.println("cfq: " + bad.getMessage());
        } else if (ex instanceof IllegalArgumentException) {
            code = BAD_INPUT;
            input = "cfq " + commandPath(cmd);
            problem = String.valueOf(ex.getMessage());
            fix = "Check the option values (cfq " + commandPath(cmd) + " --help)";
            err.println("cfq: " + problem);
        } else if (ex instanceof OutOfMemoryError) {
            code = FAILURE;
            input = "cfq " + commandPath(cmd);
            problem = "Java ran out of memory (" + ex.getMessage() + ")";
            fix = "Give Java more memory (e.g. CFQ_JAVA_OPTS=-Xmx8g ./cfq ...) or make the job smaller "
                    + "(smaller --hidden, fewer rows)";
            err.println("cfq: failed: " + problem + ". " + fix);
        } else {
            code = FAILURE;
            input = "cfq " + commandPath(cmd);
            problem = String.valueOf(ex);
            fix = "Run again with --verbose for the stack trace, and report it if it looks like a bug";
            err.println("cfq: failed: " + ex);
        }
        if (verbose) {
            ex.printStackTrace(err);
        } else if (code == FAILURE) {
            err.println("(run again with --verbose for the stack trace)");
        }
        err.flush();
        if (json) {
            printJson(cmd.getOut(), input, problem, fix, code);
        }
        return code;
    }

    private static void printJson(PrintWriter out, String input, String problem, String fix, int code) {
        ObjectNode root = JsonOutput.object();
        root.putObject("error").put("input", input).put("problem", problem).put("fix", fix);
        JsonOutput.print(out, root.put("exit_code", code));
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
