package org.cfq.recourse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.cfq.data.Actionability;
import org.cfq.data.FeatureKind;
import org.cfq.data.Table;
import org.junit.jupiter.api.Test;

class ActionSpaceTest {

    @Test
    void of_mixedEncoder_readsColumnsBoxesAndWeights() {
        ActionSpace s = ActionSpace.of(TinyRecourse.mixed());
        assertThat(s.width()).isEqualTo(9);
        assertThat(s.features()).isEqualTo(7);
        assertThat(s.start(4)).isEqualTo(4);
        assertThat(s.span(4)).isEqualTo(3);
        assertThat(s.kind(3)).isEqualTo(FeatureKind.ORDINAL);
        assertThat(s.actionability(2)).isEqualTo(Actionability.IMMUTABLE);
        // hours: box [1, 99] original, center 40, scale 10 -> model space [-3.9, 5.9]
        assertThat(s.encode(5, s.boxLo(5))).isCloseTo(-3.9, within(1e-12));
        assertThat(s.gridStep(5)).isCloseTo(0.1, within(1e-12));
        assertThat(s.l1Weights()).containsExactly(1f, 1f, 1f, 1f, 0.5f, 0.5f, 0.5f, 1f, 1f);
    }

    @Test
    void of_withTrainingRows_weighsNumericColumnsByScaleOverMad() {
        var enc = TinyRecourse.mixed();
        // income values 0, 1, 2, 3, 10: median 2, |v - 2| = 2, 1, 0, 1, 8 -> MAD 1; scale 1 -> weight 1
        // savings values 0, 0, 0, 2, 4: median 0, deviations 0, 0, 0, 2, 4 -> MAD 0 -> falls back to 1
        // hours 30, 40, 40, 45, 60: median 40, deviations 10, 0, 0, 5, 20 -> MAD 5; scale 10 -> weight 2
        double[][] cols = {
            {0, 1, 2, 3, 10}, {0, 0, 0, 2, 4}, {30, 30, 30, 30, 30}, {0, 1, 2, 3, 1}, {0, 1, 2, 0, 1},
            {30, 40, 40, 45, 60}, {0, 1, 0, 1, 0}};
        Table t = new Table(enc.schema(), cols, new int[] {0, 1, 0, 1, 0});
        float[] w = ActionSpace.of(enc, t).columnWeights(CostKind.L1_MAD);
        assertThat(w[0]).isEqualTo(1f);
        assertThat(w[1]).isEqualTo(1f);
        assertThat(w[7]).isEqualTo(2f);
        assertThat(w[4]).isEqualTo(0.5f);
    }
}
