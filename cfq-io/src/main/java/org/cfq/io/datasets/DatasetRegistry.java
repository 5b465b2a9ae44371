package org.cfq.io.datasets;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;

/** The built-in datasets by name, and the one way to load one with a preset applied. */
public final class DatasetRegistry {
    private final Map<String, BuiltinDataset> byName = new LinkedHashMap<>();

    private DatasetRegistry(List<BuiltinDataset> all) {
        for (BuiltinDataset d : all) {
            byName.put(d.name(), d);
        }
    }

    /**
     * adult, german, compas, bank (Bank Marketing without the call's duration), bank-duration
     * (with it, the authors' feature set), default (Default of Credit Card Clients) and synthetic.
     */
    public static DatasetRegistry builtIn() {
        return new DatasetRegistry(List.of(new AdultLoader(), new GermanLoader(), new CompasLoader(),
                new BankLoader(false), new BankLoader(true), new DefaultCreditLoader(), new SyntheticLoader()));
    }

    /** The names, in listing order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** {@return the built-in dataset of that name (any case, blanks around ignored), or empty} */
    public Optional<BuiltinDataset> find(String name) {
        return Optional.ofNullable(byName.get(name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT)));
    }

    /**
     * {@return the published limit on changed features of a built-in dataset (Adult 5, German 4,
     * COMPAS 3, Bank 5, Default 4), else 0 (none): a dataset fact, see {@link BuiltinDataset#publishedSparsity()}}
     *
     * @param name a built-in name (any case), or null or another name for a CSV dataset
     */
    public int publishedSparsity(String name) {
        return find(name).map(BuiltinDataset::publishedSparsity).orElse(0);
    }

    /** {@return the subgroup feature of a built-in dataset ({@link BuiltinDataset#subgroupFeature()}), or null} */
    public String subgroupFeature(String name) {
        return find(name).map(BuiltinDataset::subgroupFeature).orElse(null);
    }

    /** @throws InvalidInputException listing the valid names when the name is unknown */
    public BuiltinDataset get(String name) {
        BuiltinDataset d = find(name).orElse(null);
        if (d == null) {
            throw new InvalidInputException("--dataset '" + name + "'", "not a built-in dataset",
                    "Use one of " + names() + ", or give your own with --csv FILE --schema FILE");
        }
        return d;
    }

    /**
     * Locates (downloading when allowed) and loads a dataset, with a preset's actionability.
     *
     * @throws InvalidInputException when a file is missing and cannot be fetched, or is malformed
     */
    public Dataset load(String name, ActionPreset preset, DataDirectory dirs, Downloader downloader, boolean download) {
        return load(name, preset, dirs, downloader, download, org.cfq.data.Splits.DEFAULT_SEED);
    }

    /**
     * {@link #load(String, ActionPreset, DataDirectory, Downloader, boolean)} with another split
     * seed (see {@link BuiltinDataset#load(Map, long)}).
     */
    public Dataset load(String name, ActionPreset preset, DataDirectory dirs, Downloader downloader, boolean download,
                        long splitSeed) {
        BuiltinDataset d = get(name);
        Dataset raw = d.load(locate(d, dirs, downloader, download), splitSeed);
        return raw.withSchema(withPreset(d, preset));
    }

    /**
     * The dataset's schema with only the preset's rules in force (other features free): the
     * realistic preset keeps the natural domain, the paper preset drops it (the paper's box
     * alone, to reproduce the paper).
     */
    public static FeatureSchema withPreset(BuiltinDataset d, ActionPreset preset) {
        Objects.requireNonNull(preset, "preset");
        Map<String, Actionability> rules = d.actions(preset);
        FeatureSchema s = d.schema().withActionability(rules);
        return preset == ActionPreset.PAPER ? s.withoutNaturalDomain() : s;
    }

    /** Finds each of the dataset's files. */
    public static Map<String, Path> locate(BuiltinDataset d, DataDirectory dirs, Downloader downloader,
                                           boolean download) {
        Map<String, Path> found = new LinkedHashMap<>();
        for (RemoteFile f : d.files()) {
            found.put(f.fileName(), downloader.locate(f, dirs, download));
        }
        return found;
    }
}
