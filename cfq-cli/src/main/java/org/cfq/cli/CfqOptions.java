package org.cfq.cli;

import org.cfq.faithful.CfqConfig;
import picocli.CommandLine.Option;

/**
 * The options only CFQ has, for {@code cfq quantize --method cfq} (and the hidden measuring
 * command): the counterfactual term, the optional hinge and matching, the budget penalty and
 * the exact budget projection. The other settings come from the command's shared options.
 */
public final class CfqOptions {
    @Option(names = "--eta", paramLabel = "ETA", defaultValue = "1.0",
            description = "cfq: weight of CE(student(x + d_T), favorable) at the teacher's counterfactuals "
                    + "(default ${DEFAULT-VALUE}; 0 turns it off).")
    double eta = 1.0;

    @Option(names = "--project-budget",
            description = "cfq: choose the final widths by the exact allocator so the student never exceeds the "
                    + "budget (off by default, as published: the argmax widths can end above it).")
    boolean project;

    @Option(names = "--no-pact", description = "cfq: keep hidden activations in float (PACT is on by default).")
    boolean noPact;

    @Option(names = "--hinge", paramLabel = "BETA", defaultValue = "0",
            description = "cfq: weight of relu(gamma - margin) at the counterfactuals (default ${DEFAULT-VALUE}: off).")
    double hinge;

    @Option(names = "--hinge-margin", paramLabel = "GAMMA", defaultValue = "0.25",
            description = "cfq: the hinge's margin gamma (default ${DEFAULT-VALUE}).")
    double hingeMargin = 0.25;

    @Option(names = "--match", paramLabel = "MU", defaultValue = "0",
            description = "cfq: weight of student-teacher margin matching at the counterfactuals "
                    + "(default ${DEFAULT-VALUE}: off).")
    double match;

    @Option(names = "--lambda", paramLabel = "L",
            description = "cfq: weight of the budget penalty lambda * relu(E[bits] - B)^2 (default 1e-2).")
    Double lambda;

    /** {@return the config with these options applied} @throws IllegalArgumentException on a bad value */
    CfqConfig apply(CfqConfig c) {
        c = c.withEta(eta).withProjection(project).withHinge(hinge, hingeMargin).withMatching(match);
        if (noPact) {
            c = c.withPact(false, c.activationBits());
        }
        return lambda == null ? c : c.withBudgetWeight(lambda);
    }
}
