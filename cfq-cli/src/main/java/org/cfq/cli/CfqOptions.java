package org.cfq.cli;

import org.cfq.experiment.CfqSettings;
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

    @Option(names = "--path-points", paramLabel = "K", defaultValue = "0",
            description = "cfq: with --match, also match the margins at K evenly spaced points between each factual "
                    + "and its teacher counterfactual (default ${DEFAULT-VALUE}).")
    int pathPoints;

    @Option(names = "--path-span", paramLabel = "S", defaultValue = "1",
            description = "cfq: the path points are spread evenly over the last S of each path, in (0, 1] "
                    + "(default ${DEFAULT-VALUE}: the whole path).")
    double pathSpan = 1;

    @Option(names = "--pin-boundary",
            description = "cfq: make the matching one-sided: the student's margin may not fall below the teacher's at "
                    + "its counterfactuals nor rise above it at the path points.")
    boolean pinBoundary;

    @Option(names = "--teacher-search", paramLabel = "short|full", defaultValue = "short",
            description = "cfq: the teacher's counterfactuals d_T: short = the published 3 steps of 0.08, 1 restart "
                    + "(default); full = the audit's pgd (80 steps of 0.04) from d = 0 only, searched once.")
    String teacherSearch = "short";

    @Option(names = "--teacher-steps", paramLabel = "K",
            description = "cfq: pgd steps K of the teacher search (the paper's depth; default: the search's own, 3 "
                    + "for short).")
    Integer teacherSteps;

    @Option(names = "--teacher-restarts", paramLabel = "R",
            description = "cfq: restarts of the teacher search (default: the search's own, 1 for short); more than "
                    + "one starts from seeded noise and redoes the search in every batch.")
    Integer teacherRestarts;

    @Option(names = "--sensitivity-init",
            description = "cfq: start each layer's width logits at the mixed method's exact allocation under the "
                    + "budget (measured loss increase) instead of at 4 bits.")
    boolean sensitivityInit;

    @Option(names = "--lambda", paramLabel = "L",
            description = "cfq: weight of the budget penalty lambda * relu(E[bits] - B)^2 (default 1e-2).")
    Double lambda;

    /** {@return these options as settings ({@link CfqSettings#apply} puts them on a config)} */
    CfqSettings settings() {
        return new CfqSettings(eta, project, noPact, hinge, hingeMargin, match, pathPoints, pathSpan, pinBoundary,
                teacherSearch, teacherSteps, teacherRestarts, sensitivityInit, lambda);
    }
}
