package org.cfq.io.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureKind;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Range;
import org.cfq.io.json.Json;

/**
 * The schema part of a model file. Kept here, package-private, until the shared schema
 * file format ({@code org.cfq.io.schema.SchemaFiles}) is on main; then this class should
 * delegate to it. The JSON is the schema file format of that class (branch feat/data):
 * {@code name}, {@code labelColumn}, {@code favorableLabel}, {@code features[]} of
 * {@code name}, {@code kind}, {@code levels}, {@code range {min, max}},
 * {@code actionability} (lowercase enum names), so the swap will not change the file.
 */
final class SchemaJson {
    private SchemaJson() {
    }

    static ObjectNode write(FeatureSchema s) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("name", s.name());
        o.put("labelColumn", s.labelColumn());
        o.put("favorableLabel", s.favorableLabel());
        ArrayNode fs = o.putArray("features");
        for (FeatureSpec f : s.features()) {
            ObjectNode fo = fs.addObject();
            fo.put("name", f.name());
            fo.put("kind", lower(f.kind().name()));
            if (f.kind().hasLevels()) {
                ArrayNode lv = fo.putArray("levels");
                f.levels().forEach(lv::add);
            }
            if (f.range() != null) {
                ObjectNode r = fo.putObject("range");
                r.put("min", f.range().min());
                r.put("max", f.range().max());
            }
            fo.put("actionability", lower(f.actionability().name()));
        }
        return o;
    }

    static FeatureSchema read(JsonNode o, Fields in) {
        String name = in.text(o, "name");
        String label = in.text(o, "labelColumn");
        String favorable = in.text(o, "favorableLabel");
        JsonNode fs = in.array(o, "features");
        List<FeatureSpec> features = new ArrayList<>();
        for (int i = 0; i < fs.size(); i++) {
            Fields at = in.at("features[" + i + "]");
            JsonNode fo = fs.get(i);
            String fname = at.text(fo, "name");
            FeatureKind kind = at.enumValue(fo, "kind", FeatureKind.class);
            Actionability act = at.enumValue(fo, "actionability", Actionability.class);
            List<String> levels = new ArrayList<>();
            if (fo.has("levels")) {
                JsonNode lv = at.array(fo, "levels");
                for (int k = 0; k < lv.size(); k++) {
                    levels.add(at.at("levels").textAt(lv, k));
                }
            }
            Range range = null;
            if (fo.has("range") && !fo.get("range").isNull()) {
                Fields rin = at.at("range");
                JsonNode ro = at.object(fo, "range");
                double min = rin.doubleValue(ro, "min");
                double max = rin.doubleValue(ro, "max");
                range = at.build(() -> new Range(min, max));
            }
            Range finalRange = range;
            features.add(at.build(() -> new FeatureSpec(fname, kind, levels, finalRange, act)));
        }
        return in.build(() -> new FeatureSchema(name, features, label, favorable));
    }

    private static String lower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }
}
