package org.cfq.cli;

import picocli.CommandLine.Option;

/**
 * Options every command that reports results shares: {@code --json}, {@code --verbose} and
 * {@code --force} (replace an existing output file of another kind).
 */
public final class CommonOptions {
    @Option(names = "--json", description = "Print exactly one JSON object on stdout; logs go to stderr.")
    boolean json;

    @Option(names = "--verbose", description = "Show stack traces on failure.")
    boolean verbose;

    @Option(names = "--force", description = "Replace an existing output file even when it is not of the kind this "
            + "command writes (never one of the command's inputs).")
    boolean force;
}
