package org.cfq;

import java.util.Objects;

/**
 * A user-input error (a file, a schema, a flag) with three parts: what input, what is
 * wrong with it, and how to fix it. The CLI prints the message alone and exits with 2.
 *
 * <p>Example: {@code adult.data line 1234, column 'age': expected a number, found 'abc'.
 * Fix the row or declare 'age' categorical in the schema.}
 */
public class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String what;
    private final String problem;
    private final String fix;

    public InvalidInputException(String what, String problem, String fix) {
        this(what, problem, fix, null);
    }

    public InvalidInputException(String what, String problem, String fix, Throwable cause) {
        super(Objects.requireNonNull(what, "what") + ": " + Objects.requireNonNull(problem, "problem") + ". "
                + Objects.requireNonNull(fix, "fix"), cause);
        this.what = what;
        this.problem = problem;
        this.fix = fix;
    }

    /** The input at fault, e.g. "adult.data line 1234, column 'age'". */
    public String what() {
        return what;
    }

    /** What is wrong with it. */
    public String problem() {
        return problem;
    }

    /** How to fix it. */
    public String fix() {
        return fix;
    }

    /**
     * Checks an input value.
     *
     * @throws InvalidInputException naming the input, the problem and the fix when {@code ok} is false
     */
    public static void require(boolean ok, String what, String problem, String fix) {
        if (!ok) {
            throw new InvalidInputException(what, problem, fix);
        }
    }

    /**
     * Parses an input value (an option's, a field's), trimmed.
     *
     * @throws InvalidInputException naming the input and value, the problem and the fix when the parser
     *                               throws {@link IllegalArgumentException}
     */
    public static <T> T parse(String what, String value, java.util.function.Function<String, T> parser,
                              String problem, String fix) {
        try {
            return parser.apply(value == null ? "" : value.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(what + " " + value, problem, fix);
        }
    }
}
