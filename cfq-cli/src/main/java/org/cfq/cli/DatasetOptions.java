package org.cfq.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;
import org.cfq.data.Splits;
import org.cfq.data.Table;
import org.cfq.io.csv.CsvTableReader;
import org.cfq.io.datasets.ActionPreset;
import org.cfq.io.datasets.DataDirectory;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.datasets.Downloader;
import org.cfq.io.schema.SchemaFiles;
import picocli.CommandLine.Option;

/**
 * Options that choose a dataset, for every command that needs one (train, recourse,
 * quantize, audit): {@code --dataset NAME} or {@code --csv FILE --schema FILE},
 * {@code --actions paper|realistic|FILE} and {@code --data-dir DIR}. Use it with
 * {@code @Mixin DatasetOptions data;} and call {@link #load()}.
 */
public final class DatasetOptions {
    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Built-in dataset: adult, german, compas or synthetic.")
    String dataset;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Your own CSV file with a header row (needs --schema); split 70/30 stratified, "
                    + "then 15%% of training for validation, with split seed " + Splits.DEFAULT_SEED + ".")
    Path csv;

    @Option(names = "--schema", paramLabel = "FILE", description = "Schema JSON for --csv.")
    Path schema;

    @Option(names = "--actions", paramLabel = "paper|realistic|FILE", defaultValue = "paper",
            description = "Actionability: a preset of the built-in dataset, or a JSON rules file "
                    + "(feature -> immutable|free|increase_only|decrease_only). Default: ${DEFAULT-VALUE}. "
                    + "With --csv, 'paper' keeps the schema file's actionability.")
    String actions = "paper";

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory holding the dataset files (else $CFQ_DATA_DIR, else ~/.cache/cfq/datasets).")
    Path dataDir;

    /**
     * {@return the files this dataset choice reads (the CSV, the schema, a rules file)}, for
     * the check that an output never replaces an input
     */
    public java.nio.file.Path[] files() {
        Path rules = actions != null && ActionPreset.find(actions).isEmpty() ? Path.of(actions) : null;
        return new Path[] {csv, schema, rules};
    }

    /** The name of the chosen dataset, for messages and provenance. */
    public String describe() {
        return dataset != null ? dataset : csv + " (schema " + schema + ")";
    }

    /**
     * Loads the chosen dataset with the chosen actionability; a built-in file that is
     * missing is downloaded into the data directory.
     *
     * @throws InvalidInputException on a bad combination of options, an unknown name or bad files
     */
    public Dataset load() {
        if (dataset != null && (csv != null || schema != null)) {
            throw new InvalidInputException("--dataset with --csv/--schema", "both a built-in dataset and a CSV file "
                    + "were given", "Give either --dataset NAME or --csv FILE --schema FILE");
        }
        if (dataset != null) {
            return loadBuiltin();
        }
        if (csv == null || schema == null) {
            throw new InvalidInputException(csv == null && schema == null ? "dataset options" : csv == null
                    ? "--schema without --csv" : "--csv without --schema", "no complete dataset was chosen",
                    "Give --dataset NAME (one of " + DatasetRegistry.builtIn().names()
                            + ") or both --csv FILE and --schema FILE");
        }
        Optional<ActionPreset> preset = ActionPreset.find(actions);
        if (preset.isPresent() && preset.get() != ActionPreset.PAPER) {
            throw new InvalidInputException("--actions " + actions, "presets exist only for the built-in datasets",
                    "With --csv, set actionability in the schema file or pass --actions FILE");
        }
        FeatureSchema s = SchemaFiles.read(schema);
        if (preset.isEmpty()) {
            s = SchemaFiles.applyActions(s, SchemaFiles.readActions(actionsFile()), actions);
        }
        Table all = CsvTableReader.read(csv, s);
        return Splits.trainValidationTest(s.name(), all, csv.toString(), Splits.DEFAULT_SEED);
    }

    private Dataset loadBuiltin() {
        DatasetRegistry registry = DatasetRegistry.builtIn();
        DataDirectory dirs = DataDirectory.resolve(dataDir);
        Optional<ActionPreset> preset = ActionPreset.find(actions);
        Dataset d = registry.load(dataset, preset.orElse(ActionPreset.PAPER), dirs, Downloader.standard(), true);
        if (preset.isEmpty()) {
            // Rules files are applied on top of an all-free schema, so the file says everything that is fixed.
            FeatureSchema base = registry.get(dataset).schema();
            d = d.withSchema(SchemaFiles.applyActions(base, SchemaFiles.readActions(actionsFile()), actions));
        }
        return d;
    }

    private Path actionsFile() {
        Path p = Path.of(actions);
        if (!java.nio.file.Files.isRegularFile(p)) {
            throw new InvalidInputException("--actions " + actions, "neither a preset nor an existing file",
                    "Use paper, realistic, or the path of a JSON rules file");
        }
        return p;
    }
}
