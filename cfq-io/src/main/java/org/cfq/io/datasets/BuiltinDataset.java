package org.cfq.io.datasets;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cfq.data.Actionability;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;

/** A dataset cfq knows by name: its files, its schema, its presets and how to read it. */
public interface BuiltinDataset {
    /** The name users type ("adult"). */
    String name();

    /** One line for listings. */
    String description();

    /** The files it reads, with their download addresses; empty for generated data. */
    List<RemoteFile> files();

    /**
     * The schema with every feature free and its natural domain (natural ranges, steps, levels
     * never advised, consistency rules); presets are applied on top, and the paper preset
     * drops the natural domain ({@link DatasetRegistry#withPreset}).
     */
    FeatureSchema schema();

    /** The rules of a preset: feature name to actionability (features not named stay free). */
    Map<String, Actionability> actions(ActionPreset preset);

    /**
     * {@return the published limit on changed features for recourse on this dataset, or 0
     * for no limit} Adult 5, German 4, COMPAS 3 ({@link org.cfq.recourse.RecourseRequest});
     * datasets without a published limit have none.
     */
    default int publishedSparsity() {
        return 0;
    }

    /**
     * {@return the feature whose groups the subgroup audit compares, or null for none} Adult sex,
     * German personal status, COMPAS race, Bank marital status, Default sex (issue 14); a numeric
     * feature is split at its training median.
     */
    default String subgroupFeature() {
        return null;
    }

    /**
     * {@return level names as the source files spell them, where cfq names the level
     * differently} per feature, from the file's spelling to the schema's level (Adult's
     * {@code ?} is the level {@code unknown}). A model trained elsewhere on the raw files
     * names levels the files' way; its input layout is read through this map.
     */
    default Map<String, Map<String, String>> sourceSpellings() {
        return Map.of();
    }

    /**
     * Reads and splits the dataset with the default split seed ({@link
     * org.cfq.data.Splits#DEFAULT_SEED}), with {@link #schema()} (all features free).
     *
     * @param files one located path per {@link #files()} entry, keyed by file name
     * @throws org.cfq.InvalidInputException when a file's content or shape is wrong
     */
    default Dataset load(Map<String, Path> files) {
        return load(files, org.cfq.data.Splits.DEFAULT_SEED);
    }

    /**
     * Reads and splits the dataset, with {@link #schema()} (all features free). The split seed
     * draws the stratified test and validation parts; a dataset with its own test file (Adult)
     * keeps it and draws only the validation part.
     *
     * @param files     one located path per {@link #files()} entry, keyed by file name
     * @param splitSeed the seed of the split; {@link org.cfq.data.Splits#DEFAULT_SEED} is what every
     *                  command uses unless told otherwise
     * @throws org.cfq.InvalidInputException when a file's content or shape is wrong
     */
    Dataset load(Map<String, Path> files, long splitSeed);
}
