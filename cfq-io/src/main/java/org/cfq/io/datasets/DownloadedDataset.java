package org.cfq.io.datasets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cfq.data.Actionability;
import org.cfq.data.ConsistencyRule;
import org.cfq.data.FeatureSchema;
import org.cfq.data.NaturalDomain;

/**
 * What the built-in datasets read from downloaded files share: their fixed facts (name,
 * description, files, all-free schema, published sparsity) and the shape of their presets,
 * where some features are immutable under every preset and the realistic preset adds rules of
 * its own. Each loader keeps its facts and how it parses its files ({@link #load}).
 */
abstract class DownloadedDataset implements BuiltinDataset {
    private final String name;
    private final String description;
    private final List<RemoteFile> files;
    private final FeatureSchema schema;
    private final int publishedSparsity;
    private final List<String> immutable;
    private final List<Map.Entry<String, Actionability>> realistic;

    /**
     * @param immutable features immutable under every preset
     * @param realistic the realistic preset's further rules, applied in this order after {@code immutable}
     */
    DownloadedDataset(String name, String description, List<RemoteFile> files, FeatureSchema schema,
                      int publishedSparsity, List<String> immutable,
                      List<Map.Entry<String, Actionability>> realistic) {
        this(name, description, files, schema, publishedSparsity, immutable, realistic, Map.of(), List.of());
    }

    /**
     * @param natural the natural domain of each feature (docs/datasets.md gives each one's reason)
     * @param rules   the cross-feature consistency rules
     */
    DownloadedDataset(String name, String description, List<RemoteFile> files, FeatureSchema schema,
                      int publishedSparsity, List<String> immutable,
                      List<Map.Entry<String, Actionability>> realistic, Map<String, NaturalDomain> natural,
                      List<ConsistencyRule> rules) {
        this.name = name;
        this.description = description;
        this.files = List.copyOf(files);
        this.schema = schema.withNaturalDomain(natural, rules);
        this.publishedSparsity = publishedSparsity;
        this.immutable = List.copyOf(immutable);
        this.realistic = List.copyOf(realistic);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final List<RemoteFile> files() {
        return files;
    }

    @Override
    public final FeatureSchema schema() {
        return schema;
    }

    @Override
    public final int publishedSparsity() {
        return publishedSparsity;
    }

    @Override
    public final Map<String, Actionability> actions(ActionPreset preset) {
        Map<String, Actionability> m = new LinkedHashMap<>();
        for (String f : immutable) {
            m.put(f, Actionability.IMMUTABLE);
        }
        if (preset == ActionPreset.REALISTIC) {
            for (Map.Entry<String, Actionability> e : realistic) {
                m.put(e.getKey(), e.getValue());
            }
        }
        return m;
    }
}
