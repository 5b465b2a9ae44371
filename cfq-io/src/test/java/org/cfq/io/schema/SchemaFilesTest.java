package org.cfq.io.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Range;
import org.cfq.data.synthetic.SyntheticCredit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaFilesTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema("loans", List.of(
            FeatureSpec.integer("age", Actionability.IMMUTABLE).withRange(new Range(18, 90)),
            FeatureSpec.continuous("income", Actionability.FREE),
            FeatureSpec.categorical("housing", List.of("rent", "own"), Actionability.FREE),
            FeatureSpec.ordinal("edu", List.of("low", "high"), Actionability.INCREASE_ONLY),
            FeatureSpec.binary("phone", List.of("no", "yes"), Actionability.DECREASE_ONLY)), "approved", "yes");

    @Test
    void writeThenRead_anySchema_returnsEqualSchema(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.json");
        SchemaFiles.write(f, SCHEMA);
        assertThat(SchemaFiles.read(f)).isEqualTo(SCHEMA);
        assertThat(SchemaFiles.fromJson(SchemaFiles.toJson(SyntheticCredit.schema()), "x"))
                .isEqualTo(SyntheticCredit.schema());
    }

    @Test
    void toJson_kindsAndActionability_areLowerCase() {
        String json = SchemaFiles.toJson(SCHEMA);
        assertThat(json).contains("\"kind\" : \"integer\"").contains("\"actionability\" : \"increase_only\"")
                .contains("\"labelColumn\" : \"approved\"");
    }

    @Test
    void fromJson_unknownKind_failsNamingFileFieldAndAllowedValues() {
        String json = "{\"name\":\"n\",\"labelColumn\":\"y\",\"favorableLabel\":\"1\",\"features\":["
                + "{\"name\":\"a\",\"kind\":\"float\",\"actionability\":\"free\"}]}";
        assertThatThrownBy(() -> SchemaFiles.fromJson(json, "my.json")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("my.json").hasMessageContaining("features[0] ('a')")
                .hasMessageContaining("'kind'").hasMessageContaining("float")
                .hasMessageContaining("continuous, integer, binary, categorical, ordinal");
    }

    @Test
    void fromJson_unknownActionability_failsListingAllowedValues() {
        String json = "{\"name\":\"n\",\"labelColumn\":\"y\",\"favorableLabel\":\"1\",\"features\":["
                + "{\"name\":\"a\",\"kind\":\"integer\",\"actionability\":\"sometimes\"}]}";
        assertThatThrownBy(() -> SchemaFiles.fromJson(json, "my.json")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("my.json").hasMessageContaining("'actionability'")
                .hasMessageContaining("sometimes").hasMessageContaining("immutable, free, increase_only, decrease_only");
    }

    @Test
    void fromJson_missingField_failsNamingIt() {
        String json = "{\"name\":\"n\",\"favorableLabel\":\"1\",\"features\":["
                + "{\"name\":\"a\",\"kind\":\"integer\",\"actionability\":\"free\"}]}";
        assertThatThrownBy(() -> SchemaFiles.fromJson(json, "my.json")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("my.json, field 'labelColumn'").hasMessageContaining("missing field");
        String noKind = "{\"name\":\"n\",\"labelColumn\":\"y\",\"favorableLabel\":\"1\",\"features\":["
                + "{\"name\":\"a\",\"actionability\":\"free\"}]}";
        assertThatThrownBy(() -> SchemaFiles.fromJson(noKind, "my.json"))
                .hasMessageContaining("features[0] ('a'), field 'kind'").hasMessageContaining("missing field");
    }

    @Test
    void fromJson_binaryWithThreeLevels_failsNamingFeatureAndFix() {
        String json = "{\"name\":\"n\",\"labelColumn\":\"y\",\"favorableLabel\":\"1\",\"features\":["
                + "{\"name\":\"b\",\"kind\":\"binary\",\"levels\":[\"x\",\"y\",\"z\"],\"actionability\":\"free\"}]}";
        assertThatThrownBy(() -> SchemaFiles.fromJson(json, "my.json")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("('b')").hasMessageContaining("exactly 2");
    }

    @Test
    void fromJson_badSyntax_failsWithLocation() {
        assertThatThrownBy(() -> SchemaFiles.fromJson("{\"name\": ", "my.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("my.json at line 1")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void read_missingFile_failsNamingOption(@TempDir Path dir) {
        assertThatThrownBy(() -> SchemaFiles.read(dir.resolve("nope.json"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("nope.json").hasMessageContaining("--schema");
    }

    @Test
    void readActions_validFile_mapsNamesToActionability(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.json");
        Files.writeString(f, "{\"age\": \"immutable\", \"income\": \"Increase-Only\"}");
        assertThat(SchemaFiles.readActions(f)).containsExactly(Map.entry("age", Actionability.IMMUTABLE),
                Map.entry("income", Actionability.INCREASE_ONLY));
    }

    @Test
    void writeActionsThenRead_returnsSameRules(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.json");
        Map<String, Actionability> rules = Map.of("edu", Actionability.DECREASE_ONLY);
        SchemaFiles.writeActions(f, rules);
        assertThat(SchemaFiles.readActions(f)).isEqualTo(rules);
    }

    @Test
    void actionsFromJson_unknownActionability_failsNamingFeature() {
        assertThatThrownBy(() -> SchemaFiles.actionsFromJson("{\"age\": \"frozen\"}", "rules.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("rules.json, feature 'age'")
                .hasMessageContaining("frozen").hasMessageContaining("immutable, free");
    }

    @Test
    void applyActions_unknownFeature_failsListingFeatures() {
        assertThatThrownBy(() -> SchemaFiles.applyActions(SCHEMA, Map.of("salary", Actionability.FREE), "rules.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'salary'")
                .hasMessageContaining("[age, income, housing, edu, phone]");
    }

    @Test
    void applyActions_knownFeature_changesOnlyIt() {
        FeatureSchema s = SchemaFiles.applyActions(SCHEMA, Map.of("income", Actionability.IMMUTABLE), "r");
        assertThat(s.feature(1).actionability()).isEqualTo(Actionability.IMMUTABLE);
        assertThat(s.feature(3).actionability()).isEqualTo(Actionability.INCREASE_ONLY);
    }

    @Test
    void fromJson_misspelledFeatureKey_failsNamingKeyAndSuggestion() {
        String json = "{\"name\": \"s\", \"labelColumn\": \"y\", \"favorableLabel\": \"1\", \"features\": ["
                + "{\"name\": \"age\", \"kind\": \"integer\", \"actionability\": \"free\", "
                + "\"rnage\": {\"min\": 18, \"max\": 90}}]}";
        assertThatThrownBy(() -> SchemaFiles.fromJson(json, "s.json")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("s.json, features[0] ('age'), field 'rnage'")
                .hasMessageContaining("unknown field (did you mean 'range'?)")
                .hasMessageContaining("rename it to 'range'");
    }

    @Test
    void fromJson_unknownTopLevelAndRangeKeys_fail() {
        String top = "{\"name\": \"s\", \"labelColumn\": \"y\", \"favorableLabel\": \"1\", \"comment\": \"x\", "
                + "\"features\": [{\"name\": \"a\", \"kind\": \"continuous\", \"actionability\": \"free\"}]}";
        assertThatThrownBy(() -> SchemaFiles.fromJson(top, "s.json")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("s.json, field 'comment'").hasMessageContaining("unknown field");
        String range = "{\"name\": \"s\", \"labelColumn\": \"y\", \"favorableLabel\": \"1\", \"features\": ["
                + "{\"name\": \"a\", \"kind\": \"continuous\", \"actionability\": \"free\", "
                + "\"range\": {\"min\": 0, \"mx\": 1}}]}";
        assertThatThrownBy(() -> SchemaFiles.fromJson(range, "s.json")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("field 'range', field 'mx'").hasMessageContaining("did you mean 'max'?");
    }

    @Test
    void fromJson_truncatedJson_namesLineWithoutParserInternals() {
        assertThatThrownBy(() -> SchemaFiles.fromJson("{\"name\": \"s\",\n \"features\": [", "s.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("s.json at line")
                .hasMessageContaining("not valid JSON")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Source").doesNotContain("REDACTED")
                        .doesNotContain("StreamReadFeature"));
    }

    @Test
    void toJson_levelSetsInAnyOrder_writeTheSameBytesInLevelOrder() {
        // The same schema with its level sets in two orders (as Set.of gives them in two JVM runs).
        String json = """
                {"name": "n", "labelColumn": "y", "favorableLabel": "1", "features": [
                  {"name": "job", "kind": "categorical", "levels": ["a", "b", "c", "unknown"], "actionability": "free",
                   "natural": {"notTargets": [%s], "forbidden": []}},
                  {"name": "sex", "kind": "binary", "levels": ["F", "M"], "actionability": "immutable"}],
                 "rules": [{"if": "job", "ifLevels": [%s], "then": "sex", "thenLevels": [%s]}]}
                """;
        String one = SchemaFiles.toJson(SchemaFiles.fromJson(json.formatted("\"unknown\", \"c\", \"a\"",
                "\"b\", \"a\"", "\"M\", \"F\""), "one.json"));
        String two = SchemaFiles.toJson(SchemaFiles.fromJson(json.formatted("\"a\", \"unknown\", \"c\"",
                "\"a\", \"b\"", "\"F\", \"M\""), "two.json"));
        assertThat(one).isEqualTo(two);
        assertThat(one.replaceAll("\\s+", "")).contains("\"notTargets\":[\"a\",\"c\",\"unknown\"]")
                .contains("\"ifLevels\":[\"a\",\"b\"]").contains("\"thenLevels\":[\"F\",\"M\"]");
    }

    @Test
    void toJson_builtInSchemas_listEveryLevelSetInLevelOrder() {
        // Adult, Bank and Default build these sets with Set.of, whose order changes with each JVM start.
        for (String name : org.cfq.io.datasets.DatasetRegistry.builtIn().names()) {
            FeatureSchema real = org.cfq.io.datasets.DatasetRegistry.withPreset(
                    org.cfq.io.datasets.DatasetRegistry.builtIn().get(name), org.cfq.io.datasets.ActionPreset.REALISTIC);
            com.fasterxml.jackson.databind.JsonNode tree = SchemaFiles.toTree(real);
            for (com.fasterxml.jackson.databind.JsonNode f : tree.path("features")) {
                assertInLevelOrder(name + " " + f.path("name").asText(), f.path("natural").path("notTargets"),
                        f.path("levels"));
            }
            for (com.fasterxml.jackson.databind.JsonNode r : tree.path("rules")) {
                assertInLevelOrder(name + " rule", r.path("ifLevels"), levelsOf(tree, r.path("if").asText()));
                assertInLevelOrder(name + " rule", r.path("thenLevels"), levelsOf(tree, r.path("then").asText()));
            }
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode levelsOf(com.fasterxml.jackson.databind.JsonNode tree,
                                                                    String feature) {
        for (com.fasterxml.jackson.databind.JsonNode f : tree.path("features")) {
            if (f.path("name").asText().equals(feature)) {
                return f.path("levels");
            }
        }
        throw new AssertionError("no feature " + feature);
    }

    private static void assertInLevelOrder(String what, com.fasterxml.jackson.databind.JsonNode set,
                                           com.fasterxml.jackson.databind.JsonNode levels) {
        List<String> order = new java.util.ArrayList<>();
        levels.forEach(l -> order.add(l.asText()));
        List<Integer> at = new java.util.ArrayList<>();
        set.forEach(l -> at.add(order.indexOf(l.asText())));
        assertThat(at).as(what + ": " + set + " in the order of " + levels).doesNotContain(-1).isSorted();
    }

    @Test
    void toJson_builtInNaturalDomains_roundTripExactly() {
        for (String name : org.cfq.io.datasets.DatasetRegistry.builtIn().names()) {
            FeatureSchema real = org.cfq.io.datasets.DatasetRegistry.withPreset(
                    org.cfq.io.datasets.DatasetRegistry.builtIn().get(name), org.cfq.io.datasets.ActionPreset.REALISTIC);
            assertThat(SchemaFiles.fromJson(SchemaFiles.toJson(real), "t")).as(name).isEqualTo(real);
        }
    }

    @Test
    void fromJson_naturalDomainAndRules_areRead() {
        String json = """
                {"name": "n", "labelColumn": "y", "favorableLabel": "1", "features": [
                  {"name": "hours", "kind": "integer", "actionability": "free", "natural": {"min": 1, "max": 99}},
                  {"name": "money", "kind": "continuous", "actionability": "free", "natural": {"min": 0, "step": 1}},
                  {"name": "job", "kind": "categorical", "levels": ["a", "b", "unknown"], "actionability": "free",
                   "natural": {"notTargets": ["unknown"], "forbidden": [{"from": "a", "to": "b"}]}},
                  {"name": "sex", "kind": "binary", "levels": ["F", "M"], "actionability": "immutable"}],
                 "rules": [{"if": "job", "ifLevels": ["b"], "then": "sex", "thenLevels": ["M"], "reason": "r"}]}
                """;
        FeatureSchema s = SchemaFiles.fromJson(json, "t.json");
        assertThat(s.feature(0).natural().step()).isEqualTo(1); // integer default
        assertThat(s.feature(1).natural().max()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.feature(2).natural().allows("a", "b")).isFalse();
        assertThat(s.feature(2).natural().allows("b", "a")).isTrue();
        assertThat(s.feature(2).natural().allows("a", "unknown")).isFalse();
        assertThat(s.rules()).hasSize(1);
        assertThat(s.rules().get(0).holds("b", "F")).isFalse();
        assertThat(s.numericWithoutNatural()).isEmpty();
        assertThat(SchemaFiles.fromJson(SchemaFiles.toJson(s), "t")).isEqualTo(s);
    }

    @Test
    void fromJson_badNaturalDomain_failsNamingFeatureAndFix() {
        String json = """
                {"name": "n", "labelColumn": "y", "favorableLabel": "1", "features": [
                  {"name": "job", "kind": "categorical", "levels": ["a", "b"], "actionability": "free",
                   "natural": {"notTargets": ["zzz"]}}]}
                """;
        assertThatThrownBy(() -> SchemaFiles.fromJson(json, "t.json")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'job'").hasMessageContaining("zzz");
        String rule = """
                {"name": "n", "labelColumn": "y", "favorableLabel": "1", "features": [
                  {"name": "job", "kind": "categorical", "levels": ["a", "b"], "actionability": "free"}],
                 "rules": [{"if": "job", "ifLevels": ["a"], "then": "nope", "thenLevels": ["x"]}]}
                """;
        assertThatThrownBy(() -> SchemaFiles.fromJson(rule, "t.json")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("nope").hasMessageContaining("rules");
    }
}
