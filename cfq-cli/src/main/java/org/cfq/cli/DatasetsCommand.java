package org.cfq.cli;

import java.util.concurrent.Callable;
import org.cfq.experiment.DatasetCatalog;
import org.cfq.report.DatasetsText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cfq datasets}: lists the built-in datasets, their splits and where they were read from. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "List the built-in datasets: rows per split, features, model-space width, favorable rate, "
                + "and where each was read from (or why it is unavailable).")
final class DatasetsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--split-seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the stratified splits whose sizes are listed (default: ${DEFAULT-VALUE}).")
    long splitSeed;

    @Option(names = "--download", description = "Download missing files (off by default: listing never touches the network).")
    boolean download;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        DatasetCatalog.Listing listing = DatasetCatalog.list(dataDir.dir, download, splitSeed);
        JsonOutput.emit(spec.commandLine().getOut(), common.json, DatasetCatalog.toJson(listing, JsonOutput.object()),
                () -> DatasetsText.render(listing));
        return CliErrors.OK;
    }
}
