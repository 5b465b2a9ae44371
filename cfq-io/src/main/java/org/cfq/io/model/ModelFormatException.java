package org.cfq.io.model;

import org.cfq.InvalidInputException;

/**
 * A model file that cannot be used: truncated or corrupt, written by another format
 * version, or trained on another dataset than the one it is used with.
 */
public class ModelFormatException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String what, String problem, String fix) {
        super(what, problem, fix);
    }

    public ModelFormatException(String what, String problem, String fix, Throwable cause) {
        super(what, problem, fix, cause);
    }
}
