package org.cfq.cli;

import picocli.CommandLine.Option;

/** Options every command that reports results shares: {@code --json} and {@code --verbose}. */
public final class CommonOptions {
    @Option(names = "--json", description = "Print exactly one JSON object on stdout; logs go to stderr.")
    boolean json;

    @Option(names = "--verbose", description = "Show stack traces on failure.")
    boolean verbose;
}
