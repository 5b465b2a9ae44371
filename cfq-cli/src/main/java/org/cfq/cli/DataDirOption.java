package org.cfq.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir DIR}: where the built-in datasets are read from, for every command that reads them. */
final class DataDirOption {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory holding the dataset files (else $CFQ_DATA_DIR, else ~/.cache/cfq/datasets).")
    Path dir;
}
