package org.cfq.io.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.encode.InputLayout;
import org.junit.jupiter.api.Test;

class InputLayoutFilesTest {
    @Test
    void fromJson_allFourTransforms_readInOrderIgnoringNotes() {
        InputLayout l = InputLayoutFiles.fromJson("""
                {"made_with": "torch", "inputs": [
                  {"feature": "age", "transform": "standardize", "mean": 38.5, "std": 13.6},
                  {"feature": "hours", "transform": "min_max", "min": 1, "max": 99},
                  {"feature": "job", "transform": "one_hot", "level": "?"},
                  {"feature": "score", "transform": "pass_through"}]}""", "l.json");
        assertThat(l.columns()).containsExactly(
                new InputLayout.Column("age", new InputLayout.Standardize(38.5, 13.6)),
                new InputLayout.Column("hours", new InputLayout.MinMax(1, 99)),
                new InputLayout.Column("job", new InputLayout.OneHot("?")),
                new InputLayout.Column("score", new InputLayout.PassThrough()));
    }

    @Test
    void fromJson_misspeltField_failsNamingInputAndField() {
        assertThatThrownBy(() -> InputLayoutFiles.fromJson("""
                {"inputs": [{"feature": "age", "transform": "standardize", "mean": 1, "std": 2, "stdev": 2}]}""", "l.json"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("l.json, inputs[0] ('age' standardize), field 'stdev'");
    }

    @Test
    void fromJson_unknownTransformOrMissingStd_fails() {
        assertThatThrownBy(() -> InputLayoutFiles.fromJson("""
                {"inputs": [{"feature": "age", "transform": "log"}]}""", "l.json"))
                .hasMessageContaining("unknown transform 'log'").hasMessageContaining("standardize, min_max, one_hot");
        assertThatThrownBy(() -> InputLayoutFiles.fromJson("""
                {"inputs": [{"feature": "age", "transform": "standardize", "mean": 1}]}""", "l.json"))
                .hasMessageContaining("field 'std'").hasMessageContaining("missing");
        assertThatThrownBy(() -> InputLayoutFiles.fromJson("{\"inputs\": []}", "l.json"))
                .hasMessageContaining("non-empty array");
    }

    @Test
    void checkLabel_otherFavorable_fails() {
        FeatureSchema s = new FeatureSchema("s", List.of(FeatureSpec.integer("age", Actionability.FREE)), "income", ">50K");
        InputLayoutFiles.checkLabel("{\"label\": \"income\", \"favorable\": \">50K\"}", "l.json", s);
        assertThatThrownBy(() -> InputLayoutFiles.checkLabel("{\"favorable\": \"<=50K\"}", "l.json", s))
                .hasMessageContaining("l.json, field 'favorable'").hasMessageContaining("'<=50K'");
    }
}
