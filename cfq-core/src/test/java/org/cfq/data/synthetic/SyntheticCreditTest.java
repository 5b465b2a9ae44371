package org.cfq.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.cfq.data.Actionability;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureKind;
import org.cfq.data.Table;
import org.junit.jupiter.api.Test;

class SyntheticCreditTest {
    @Test
    void generate_sameSeed_givesIdenticalData() {
        Dataset a = SyntheticCredit.generate(500, 42);
        Dataset b = SyntheticCredit.generate(500, 42);
        for (int c = 0; c < a.schema().size(); c++) {
            assertThat(a.train().column(c)).isEqualTo(b.train().column(c));
            assertThat(a.test().column(c)).isEqualTo(b.test().column(c));
        }
        assertThat(a.train().labels()).isEqualTo(b.train().labels());
    }

    @Test
    void generate_otherSeed_givesOtherData() {
        assertThat(SyntheticCredit.generate(500, 1).train().column(1))
                .isNotEqualTo(SyntheticCredit.generate(500, 2).train().column(1));
    }

    @Test
    void generate_4000Rows_splitsSeventyThirtyWithFifteenPercentValidation() {
        Dataset d = SyntheticCredit.generate(4000, 0);
        int total = d.train().rows() + d.validation().rows() + d.test().rows();
        assertThat(total).isEqualTo(4000);
        assertThat(d.test().rows()).isBetween(1199, 1201);
        assertThat(d.validation().rows()).isBetween(419, 421);
    }

    @Test
    void schema_paper_onlyAgeImmutable() {
        var s = SyntheticCredit.schema();
        assertThat(s.feature(s.indexOf("age")).actionability()).isEqualTo(Actionability.IMMUTABLE);
        assertThat(s.features().stream().filter(f -> f.actionability() != Actionability.FREE).count()).isEqualTo(1);
        assertThat(s.feature(s.indexOf("education")).kind()).isEqualTo(FeatureKind.ORDINAL);
        assertThat(s.feature(s.indexOf("employment")).kind()).isEqualTo(FeatureKind.CATEGORICAL);
        assertThat(s.feature(s.indexOf("has_default_history")).kind()).isEqualTo(FeatureKind.BINARY);
    }

    @Test
    void logit_handRow_matchesDocumentedFormula() {
        // age 46, income 36, debt 21, savings 11, education index 1, full_time (2), no default:
        // 0.3 + 0 + 0 + 0 + 0.5 * (1 - 1.3) + 0.4 - 0 + 0 = 0.55
        assertThat(SyntheticCredit.logit(new double[] {46, 36, 21, 11, 1, 2, 0})).isCloseTo(0.55, within(1e-12));
        // Same row with a past default and unemployed: 0.55 - 0.4 - 1.0 - 2.0 = -2.85
        assertThat(SyntheticCredit.logit(new double[] {46, 36, 21, 11, 1, 0, 1})).isCloseTo(-2.85, within(1e-12));
    }

    @Test
    void table_groundTruth_reachesDocumentedBayesAccuracy() {
        Table t = SyntheticCredit.table(20_000, new SplittableRandom(5));
        int correct = 0;
        for (int r = 0; r < t.rows(); r++) {
            int predicted = SyntheticCredit.logit(t, r) > 0 ? 1 : 0;
            correct += predicted == t.label(r) ? 1 : 0;
        }
        assertThat(correct / (double) t.rows()).isCloseTo(0.84, within(0.015));
        assertThat(t.favorableRate()).isCloseTo(0.517, within(0.02));
    }

    @Test
    void table_values_stayInDocumentedRanges() {
        Table t = SyntheticCredit.table(2000, new SplittableRandom(9));
        for (int r = 0; r < t.rows(); r++) {
            assertThat(t.value(r, SyntheticCredit.AGE)).isBetween(18.0, 75.0);
            assertThat(t.value(r, SyntheticCredit.INCOME)).isGreaterThanOrEqualTo(5.0);
            assertThat(t.value(r, SyntheticCredit.DEBT)).isGreaterThanOrEqualTo(0.0);
            assertThat(t.value(r, SyntheticCredit.SAVINGS)).isGreaterThanOrEqualTo(0.0);
        }
    }

    @Test
    void table_tooFewRows_throws() {
        assertThatThrownBy(() -> SyntheticCredit.table(5, new SplittableRandom(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("20").hasMessageContaining("5");
    }
}
