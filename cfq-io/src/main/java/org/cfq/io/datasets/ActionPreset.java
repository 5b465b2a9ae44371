package org.cfq.io.datasets;

import java.util.Arrays;
import java.util.Locale;
import org.cfq.InvalidInputException;

/**
 * Named actionability rule sets each built-in dataset defines; docs/datasets.md gives each
 * rule's reason.
 */
public enum ActionPreset {
    /**
     * The published setup: the protected attributes are immutable, everything else free, inside
     * the training box widened by 5% (no natural domain), to reproduce the paper.
     */
    PAPER,
    /**
     * The paper's immutables, features describing the past immutable, monotone rules for
     * features that only move one way, and the dataset's natural domain (natural ranges, steps,
     * levels never advised, consistency rules).
     */
    REALISTIC;

    /** The name on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@return the preset named on the command line, or empty when the text is not a preset name} */
    public static java.util.Optional<ActionPreset> find(String text) {
        for (ActionPreset p : values()) {
            if (p.cliName().equalsIgnoreCase(text.trim())) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    /** Parses a preset name. @throws InvalidInputException listing the valid names */
    public static ActionPreset parse(String text) {
        return find(text).orElseThrow(() -> new InvalidInputException("--actions '" + text + "'",
                "not a preset", "Use one of " + Arrays.stream(values()).map(ActionPreset::cliName).toList()
                        + " or the path of an actionability rules file"));
    }
}
