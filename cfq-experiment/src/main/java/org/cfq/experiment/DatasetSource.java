package org.cfq.experiment;

import java.nio.file.Files;
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

/**
 * Where a dataset comes from: a built-in dataset by name, or a CSV file with its schema file;
 * with an actionability preset ({@code paper}, {@code realistic}) or a JSON rules file, and
 * the directory built-in files are read from (null: {@code $CFQ_DATA_DIR}, else
 * {@code ~/.cache/cfq/datasets}).
 *
 * @param name    a built-in dataset name, or null for a CSV file
 * @param csv     a CSV file with a header row (with {@code schema}), or null
 * @param schema  the schema JSON of {@code csv}, or null
 * @param actions a preset name or the path of a rules file; null means {@code paper}. With a CSV
 *                file, {@code realistic} keeps the schema file as written (its natural domain in
 *                force) and {@code paper} drops its natural domain
 * @param dataDir directory of the built-in files, or null for the default resolution
 * @param splitSeed the seed of the stratified split ({@link Splits#DEFAULT_SEED} unless told
 *                otherwise); Adult keeps its test file and re-draws only the validation part
 */
public record DatasetSource(String name, Path csv, Path schema, String actions, Path dataDir, long splitSeed) {
    public DatasetSource {
        actions = actions == null ? ActionPreset.PAPER.cliName() : actions;
    }

    /** A source with the default split seed. */
    public DatasetSource(String name, Path csv, Path schema, String actions, Path dataDir) {
        this(name, csv, schema, actions, dataDir, Splits.DEFAULT_SEED);
    }

    /** {@return the built-in dataset of that name with the paper's actionability} */
    public static DatasetSource builtIn(String name) {
        return new DatasetSource(name, null, null, null, null);
    }

    /** {@return a CSV file and its schema; with the paper preset, the schema's own actionability holds} */
    public static DatasetSource csv(Path csv, Path schema) {
        return new DatasetSource(null, csv, schema, null, null);
    }

    /**
     * {@return the files this source reads (the CSV, the schema, a rules file; null where none), then
     * {@code more}}, for the check that an output never replaces an input
     */
    public Path[] files(Path... more) {
        Path[] all = java.util.Arrays.copyOf(new Path[] {csv, schema,
            ActionPreset.find(actions).isEmpty() ? Path.of(actions) : null}, 3 + more.length);
        System.arraycopy(more, 0, all, 3, more.length);
        return all;
    }

    public DatasetSource withActions(String a) {
        return new DatasetSource(name, csv, schema, a, dataDir, splitSeed);
    }

    public DatasetSource withDataDir(Path dir) {
        return new DatasetSource(name, csv, schema, actions, dir, splitSeed);
    }

    /** {@return this source split with another seed} */
    public DatasetSource withSplitSeed(long seed) {
        return new DatasetSource(name, csv, schema, actions, dataDir, seed);
    }

    /** The name of the dataset, for messages and provenance. */
    public String describe() {
        return name != null ? name : csv + " (schema " + schema + ")";
    }

    /** {@return the published sparsity limit of a built-in dataset (Adult 5, German 4, COMPAS 3), else 0} */
    public int publishedSparsity() {
        return DatasetRegistry.builtIn().publishedSparsity(name);
    }

    /**
     * Loads the dataset with the chosen actionability; a built-in file that is missing is
     * downloaded into the data directory. A CSV file is split 70/30 stratified, then 15% of
     * training for validation, with the split seed.
     *
     * @throws InvalidInputException on a bad combination, an unknown name or bad files
     */
    public Dataset load() {
        if (name != null && (csv != null || schema != null)) {
            throw new InvalidInputException("--dataset with --csv/--schema", "both a built-in dataset and a CSV file "
                    + "were given", "Give either --dataset NAME or --csv FILE --schema FILE");
        }
        if (name != null) {
            return loadBuiltin();
        }
        if (csv == null || schema == null) {
            throw new InvalidInputException(csv == null && schema == null ? "dataset options" : csv == null
                    ? "--schema without --csv" : "--csv without --schema", "no complete dataset was chosen",
                    "Give --dataset NAME (one of " + DatasetRegistry.builtIn().names()
                            + ") or both --csv FILE and --schema FILE");
        }
        Optional<ActionPreset> preset = ActionPreset.find(actions);
        FeatureSchema s = SchemaFiles.read(schema);
        if (preset.isEmpty()) {
            s = SchemaFiles.applyActions(s, SchemaFiles.readActions(actionsFile()), actions);
        }
        if (preset.isPresent() && preset.get() == ActionPreset.PAPER) {
            s = s.withoutNaturalDomain(); // the paper's box alone
        } else if (!s.numericWithoutNatural().isEmpty()) {
            System.err.println("cfq: warning: schema " + schema + " states no natural range for "
                    + s.numericWithoutNatural() + "; recourse moves them inside the training box widened by 5% "
                    + "(add \"natural\": {\"min\": ..., \"max\": ..., \"step\": ...} to each; see docs/datasets.md)");
        }
        Table all = CsvTableReader.read(csv, s);
        return Splits.trainValidationTest(s.name(), all, csv.toString(), splitSeed);
    }

    private Dataset loadBuiltin() {
        DatasetRegistry registry = DatasetRegistry.builtIn();
        DataDirectory dirs = DataDirectory.resolve(dataDir);
        Optional<ActionPreset> preset = ActionPreset.find(actions);
        Dataset d = registry.load(name, preset.orElse(ActionPreset.PAPER), dirs, Downloader.standard(), true,
                splitSeed);
        if (preset.isEmpty()) {
            // Rules files are applied on top of an all-free schema, so the file says everything that is fixed.
            FeatureSchema base = registry.get(name).schema();
            d = d.withSchema(SchemaFiles.applyActions(base, SchemaFiles.readActions(actionsFile()), actions));
        }
        return d;
    }

    private Path actionsFile() {
        Path p = Path.of(actions);
        if (!Files.isRegularFile(p)) {
            throw new InvalidInputException("--actions " + actions, "neither a preset nor an existing file",
                    "Use paper, realistic, or the path of a JSON rules file");
        }
        return p;
    }
}
