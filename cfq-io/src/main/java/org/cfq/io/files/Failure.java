package org.cfq.io.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cfq.InvalidInputException;
import org.cfq.io.json.Json;

/**
 * How a failed command is reported: the input at fault, the problem, the fix, the exit code
 * (0 ok, 1 failure, 2 bad input) and the one line a person reads on stderr. Bad input (an
 * {@link InvalidInputException}, a file-system error by {@link FileChecks#asBadInput}, an
 * {@link IllegalArgumentException}) exits 2; anything else, running out of memory included, exits 1.
 *
 * @param input    the input at fault, or the command when no single input is
 * @param problem  what is wrong
 * @param fix      how to fix it
 * @param exitCode {@link #BAD_INPUT} or {@link #FAILURE}
 * @param line     the message for stderr, without the stack trace
 */
public record Failure(String input, String problem, String fix, int exitCode, String line) {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;

    /**
     * {@return the report of {@code ex} thrown by {@code command}}
     *
     * @param command the command's path after "cfq" ("quantize"; empty for the top command)
     */
    public static Failure of(Throwable ex, String command) {
        InvalidInputException bad = FileChecks.asBadInput(ex);
        String cfq = "cfq " + command;
        if (bad != null) {
            return new Failure(bad.what(), bad.problem(), bad.fix(), BAD_INPUT, "cfq: " + bad.getMessage());
        }
        if (ex instanceof IllegalArgumentException) {
            String problem = String.valueOf(ex.getMessage());
            return new Failure(cfq, problem, "Check the option values (" + cfq + " --help)", BAD_INPUT,
                    "cfq: " + problem);
        }
        if (ex instanceof OutOfMemoryError) {
            String problem = "Java ran out of memory (" + ex.getMessage() + ")";
            String fix = "Give Java more memory (e.g. CFQ_JAVA_OPTS=-Xmx8g ./cfq ...) or make the job smaller "
                    + "(smaller --hidden, fewer rows)";
            return new Failure(cfq, problem, fix, FAILURE, "cfq: failed: " + problem + ". " + fix);
        }
        return new Failure(cfq, String.valueOf(ex), "Run again with --verbose for the stack trace, and report it "
                + "if it looks like a bug", FAILURE, "cfq: failed: " + ex);
    }

    /** {@return the JSON object a command prints on stdout with --json: {"error": {input, problem, fix}, "exit_code"}} */
    public ObjectNode toJson() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.putObject("error").put("input", input).put("problem", problem).put("fix", fix);
        return root.put("exit_code", exitCode);
    }
}
