package org.cfq.io.datasets;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cfq.data.Actionability;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.NaturalDomain;
import org.cfq.data.Splits;
import org.cfq.data.synthetic.SyntheticCredit;

/** The embedded {@link SyntheticCredit} dataset: 4,000 rows generated with seed 0, split with the split seed. */
final class SyntheticLoader implements BuiltinDataset {
    @Override
    public String name() {
        return SyntheticCredit.NAME;
    }

    @Override
    public String description() {
        return "generated credit data with a known logistic ground truth (no file)";
    }

    @Override
    public List<RemoteFile> files() {
        return List.of();
    }

    @Override
    public FeatureSchema schema() {
        Map<String, Actionability> free = new LinkedHashMap<>();
        for (FeatureSpec f : SyntheticCredit.schema().features()) {
            free.put(f.name(), Actionability.FREE);
        }
        return SyntheticCredit.schema().withActionability(free).withNaturalDomain(NATURAL, java.util.List.of());
    }

    /** Age in whole years from 18; money (thousands) never negative; nobody is advised unemployment. */
    static final Map<String, NaturalDomain> NATURAL = Map.of(
            "age", NaturalDomain.numeric(18, Double.POSITIVE_INFINITY, 1),
            "income", NaturalDomain.numeric(0, Double.POSITIVE_INFINITY, 0),
            "debt", NaturalDomain.numeric(0, Double.POSITIVE_INFINITY, 0),
            "savings", NaturalDomain.numeric(0, Double.POSITIVE_INFINITY, 0),
            "employment", NaturalDomain.levels(java.util.Set.of("unemployed"), java.util.List.of()));

    @Override
    public Map<String, Actionability> actions(ActionPreset preset) {
        return preset == ActionPreset.PAPER ? SyntheticCredit.paperActions() : SyntheticCredit.realisticActions();
    }

    @Override
    public String subgroupFeature() {
        return "age";
    }

    @Override
    public Dataset load(Map<String, Path> files, long splitSeed) {
        // The rows are always those of seed 0; the split seed re-draws only the split.
        Dataset d = SyntheticCredit.generate(SyntheticCredit.DEFAULT_ROWS, Splits.DEFAULT_SEED, splitSeed);
        return d.withSchema(schema());
    }
}
