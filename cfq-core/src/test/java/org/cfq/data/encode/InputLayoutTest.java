package org.cfq.data.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Range;
import org.cfq.data.Table;
import org.junit.jupiter.api.Test;

public class InputLayoutTest {
    public static final FeatureSchema SCHEMA = new FeatureSchema("t", List.of(
            FeatureSpec.integer("age", Actionability.IMMUTABLE),
            FeatureSpec.categorical("job", List.of("a", "b", "unknown"), Actionability.FREE),
            FeatureSpec.binary("sex", List.of("F", "M"), Actionability.IMMUTABLE),
            FeatureSpec.continuous("income", Actionability.FREE)), "y", "yes");

    static InputLayout layout() {
        return new InputLayout(List.of(
                new InputLayout.Column("age", new InputLayout.Standardize(40, 10)),
                new InputLayout.Column("job", new InputLayout.OneHot("?")),
                new InputLayout.Column("job", new InputLayout.OneHot("b")),
                new InputLayout.Column("sex", new InputLayout.OneHot("F")),
                new InputLayout.Column("sex", new InputLayout.OneHot("M")),
                new InputLayout.Column("income", new InputLayout.MinMax(0, 200))));
    }

    public static InputLayout layoutForTests() {
        return layout();
    }

    public static Table rowsForTests() {
        return rows();
    }

    static Table rows() {
        // age 50, job unknown (2), sex M (1), income 50; age 30, job a (0), sex F (0), income 100
        return new Table(SCHEMA, new double[][] {{50, 30}, {2, 0}, {1, 0}, {50, 100}}, new int[] {1, 0});
    }

    @Test
    void encode_rawRows_giveTheModelsInputs() {
        InputLayout.Resolved r = layout().resolve(SCHEMA, Map.of("job", Map.of("?", "unknown")), "l.json");
        float[] x = r.encode(rows());
        assertThat(x).containsExactly(1f, 1f, 0f, 0f, 1f, 0.25f, -1f, 0f, 0f, 1f, 0f, 0.5f);
    }

    @Test
    void affine_encoderWithLayoutScaling_isIdentityForStandardizedAndCategorical() {
        InputLayout.Resolved r = layout().resolve(SCHEMA, Map.of("job", Map.of("?", "unknown")), "l.json");
        double[][] cs = r.encoderScaling(new double[4], new double[] {1, 1, 1, 1});
        assertThat(cs[0][0]).isEqualTo(40);
        assertThat(cs[1][0]).isEqualTo(10);
        assertThat(cs[0][3]).isEqualTo(0);
        assertThat(cs[1][3]).isEqualTo(200);
        Range[] box = r.impliedBoxes();
        assertThat(box[0]).isNull();
        box[0] = new Range(0, 100);
        Encoder enc = new Encoder(SCHEMA, Scaling.STANDARD, cs[0], cs[1], box);
        InputLayout.Affine a = r.affine(enc);
        // z columns: age 0, job 1..3, sex 4, income 5
        assertThat(a.column()).containsExactly(0, 3, 2, 4, 4, 5);
        assertThat(a.coef()).containsExactly(1, 1, 1, -1, 1, 1);
        assertThat(a.offset()).containsExactly(0, 0, 0, 1, 0, 0);
        // the affine map applied to cfq's encoding gives the layout's own inputs
        float[] z = enc.encode(rows());
        float[] x = r.encode(rows());
        for (int row = 0; row < 2; row++) {
            for (int j = 0; j < 6; j++) {
                assertThat(a.coef()[j] * z[row * 6 + a.column()[j]] + a.offset()[j]).isEqualTo(x[row * 6 + j]);
            }
        }
        assertThat(r.impliedBoxes()[3]).isEqualTo(new Range(0, 200));
    }

    @Test
    void resolve_unknownLevel_failsNamingColumnLevelAndLevels() {
        assertThatThrownBy(() -> layout().resolve(SCHEMA, Map.of(), "l.json"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("l.json, inputs[1] ('job' one_hot)")
                .hasMessageContaining("no level '?'").hasMessageContaining("[a, b, unknown]");
    }

    @Test
    void resolve_unknownFeature_failsListingFeatures() {
        InputLayout l = new InputLayout(List.of(new InputLayout.Column("salary", new InputLayout.PassThrough())));
        assertThatThrownBy(() -> l.resolve(SCHEMA, Map.of(), "l.json"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("inputs[0] ('salary' pass_through)").hasMessageContaining("[age, job, sex, income]");
    }

    @Test
    void resolve_oneHotOfNumericOrScaledCategorical_fails() {
        InputLayout oneHotAge = new InputLayout(List.of(new InputLayout.Column("age", new InputLayout.OneHot("30"))));
        assertThatThrownBy(() -> oneHotAge.resolve(SCHEMA, Map.of(), "l.json"))
                .hasMessageContaining("one_hot needs a categorical or binary feature");
        InputLayout scaledJob = new InputLayout(List.of(new InputLayout.Column("job", new InputLayout.Standardize(1, 2))));
        assertThatThrownBy(() -> scaledJob.resolve(SCHEMA, Map.of(), "l.json"))
                .hasMessageContaining("'job' is categorical");
    }

    @Test
    void resolve_levelTwice_fails() {
        InputLayout twice = new InputLayout(List.of(new InputLayout.Column("job", new InputLayout.OneHot("a")),
                new InputLayout.Column("job", new InputLayout.OneHot("a"))));
        assertThatThrownBy(() -> twice.resolve(SCHEMA, Map.of(), "l.json")).hasMessageContaining("inputs[0] is already");
    }

    @Test
    void standardize_zeroStd_isRejected() {
        assertThatThrownBy(() -> new InputLayout.Standardize(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("std");
    }
}
