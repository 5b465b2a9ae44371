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
}
