package org.cfq.cli;

import java.nio.file.Path;
import org.cfq.data.Dataset;
import org.cfq.data.Splits;
import org.cfq.experiment.DatasetSource;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;


/**
 * Options that choose a dataset, for every command that needs one (train, recourse,
 * quantize, audit): {@code --dataset NAME} or {@code --csv FILE --schema FILE},
 * {@code --actions paper|realistic|FILE} and {@code --data-dir DIR}. Use it with
 * {@code @Mixin DatasetOptions data;} and call {@link #load()}.
 */
public final class DatasetOptions {
    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Built-in dataset: adult, german, compas, bank, bank-duration, default or synthetic.")
    String dataset;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Your own CSV file with a header row (needs --schema); split 70/30 stratified, "
                    + "then 15%% of training for validation, with the split seed (--split-seed).")
    Path csv;

    @Option(names = "--schema", paramLabel = "FILE", description = "Schema JSON for --csv.")
    Path schema;

    @Option(names = "--actions", paramLabel = "paper|realistic|FILE", defaultValue = "realistic",
            description = "Actionability: a preset of the built-in dataset, or a JSON rules file "
                    + "(feature -> immutable|free|increase_only|decrease_only). Default: ${DEFAULT-VALUE} "
                    + "(natural ranges, steps, levels never advised, consistency rules; see docs/datasets.md); "
                    + "'paper' is the paper's setup (the 5%%-widened training box alone). With --csv, "
                    + "'realistic' keeps the schema file as written and 'paper' drops its natural domain.")
    String actions = "realistic";

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--split-seed", paramLabel = "S", defaultValue = "" + Splits.DEFAULT_SEED,
            description = "Seed of the stratified train/validation/test split (default: ${DEFAULT-VALUE}); adult keeps "
                    + "its test file and re-draws only validation. Use the same value for train, quantize and audit.")
    long splitSeed = Splits.DEFAULT_SEED;

    /**
     * {@return the files this dataset choice reads (the CSV, the schema, a rules file)}, for
     * the check that an output never replaces an input, followed by {@code more} (e.g. a teacher file)
     */
    public Path[] files(Path... more) {
        return source().files(more);
    }

    /** {@return the chosen dataset source} */
    public DatasetSource source() {
        return new DatasetSource(dataset, csv, schema, actions, dataDir.dir, splitSeed);
    }

    /** The name of the chosen dataset, for messages and provenance. */
    public String describe() {
        return source().describe();
    }

    /**
     * Loads the chosen dataset with the chosen actionability (see {@link DatasetSource#load()}).
     *
     * @throws org.cfq.InvalidInputException on a bad combination of options, an unknown name or bad files
     */
    public Dataset load() {
        return source().load();
    }
}
