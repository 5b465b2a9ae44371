package org.cfq.cli;

import picocli.CommandLine.Option;

/** The {@code --seed} option: every random choice a command makes derives from it. */
public final class SeedOption {
    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;
}
