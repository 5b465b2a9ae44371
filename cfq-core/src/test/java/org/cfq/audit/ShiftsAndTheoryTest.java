package org.cfq.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.cfq.data.Actionability;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.data.encode.Encoder;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.TinyRecourse;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;
import org.junit.jupiter.api.Test;

class ShiftsAndTheoryTest {
    private static final Encoder TWO = TinyRecourse.twoContinuous(Actionability.FREE, Actionability.IMMUTABLE);

    @Test
    void featureNoise_movesOnlyActionableColumnsWithTheRequestedSpreadInsideTheBox() {
        int rows = 4000;
        float[] x = new float[rows * 2];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            x[2 * r] = 1f;
            x[2 * r + 1] = -2f;
        }
        Shifts.Shifted s = Shifts.featureNoise(x, y, ActionSpace.of(TWO), 0.1, new SplittableRandom(1));
        double sum = 0;
        double ss = 0;
        for (int r = 0; r < rows; r++) {
            assertThat(s.x()[2 * r + 1]).as("immutable x1 unchanged").isEqualTo(-2f);
            double d = s.x()[2 * r] - 1.0;
            sum += d;
            ss += d * d;
        }
        assertThat(sum / rows).isCloseTo(0, within(0.01));
        assertThat(Math.sqrt(ss / rows)).isCloseTo(0.1, within(0.01));
        assertThat(x[0]).as("input untouched").isEqualTo(1f);
    }

    @Test
    void reweightAndLabelPrior_drawTheRequestedShares() {
        int rows = 1000;
        float[] x = new float[rows * 2];
        int[] y = new int[rows];
        int[] g = new int[rows];
        for (int r = 0; r < rows; r++) {
            x[2 * r] = r;
            y[r] = r % 2;
            g[r] = r < 100 ? 1 : 0;
        }
        Shifts.Shifted w = Shifts.reweight(x, y, g, 1, 0.75, new SplittableRandom(2));
        int inGroup = 0;
        for (int r = 0; r < rows; r++) {
            inGroup += w.x()[2 * r] < 100 ? 1 : 0;
            assertThat(w.y()[r]).as("labels travel with their rows").isEqualTo(((int) w.x()[2 * r]) % 2);
        }
        assertThat(inGroup).isEqualTo(750);
        Shifts.Shifted p = Shifts.labelPrior(x, y, 0.2, new SplittableRandom(3));
        int fav = 0;
        for (int v : p.y()) {
            fav += v;
        }
        assertThat(fav).isEqualTo(200);
        assertThatThrownBy(() -> Shifts.reweight(x, y, g, 5, 0.75, new SplittableRandom(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 rows in it");
    }

    @Test
    void scaledBox_shrinksNumericBoxesAboutTheirCentre() {
        Encoder e = Shifts.scaledBox(TWO, 0.35);
        // [-5, 5] has centre 0 and span 10: 0.35 of it is [-1.75, 1.75]
        assertThat(e.box(0).min()).isCloseTo(-1.75, within(1e-12));
        assertThat(e.box(0).max()).isCloseTo(1.75, within(1e-12));
        Encoder m = Shifts.scaledBox(TinyRecourse.mixed(), 0.75);
        // age [18, 90]: centre 54, half-span 36 * 0.75 = 27; job (levels) keeps [0, 2]
        assertThat(m.box(2).min()).isCloseTo(27, within(1e-12));
        assertThat(m.box(2).max()).isCloseTo(81, within(1e-12));
        assertThat(m.box(4)).isEqualTo(TinyRecourse.mixed().box(4));
    }

    private static TeacherRecourse recourse(Mlp teacher, float[] x0) {
        float[] x = new float[x0.length * 2];
        for (int i = 0; i < x0.length; i++) {
            x[2 * i] = x0[i];
        }
        PgdGenerator pgd = new PgdGenerator(ActionSpace.of(TWO), PgdConfig.defaults());
        return Audit.teacherRecourse(teacher, EncodedSplits.testOnly(x, new int[x0.length], 2), pgd, "defaults",
                RecourseRequest.defaults().withMargin(1), AuditConfig.defaults());
    }

    @Test
    void theory_studentWithShiftedBias_hasEpsilonOfTheShiftAndTheConditionDecidesCorrectly() {
        Mlp teacher = TinyRecourse.linear(new float[] {1f, 0f}, -1f);
        // The student's favorable logit is 0.2 lower everywhere: eps = 0.2 at every point and neighbour.
        Mlp student = TinyRecourse.linear(new float[] {1f, 0f}, -1.2f);
        TeacherRecourse tr = recourse(teacher, new float[] {-1f, 0f, 0.5f});
        TheoryDiagnostics d = TheoryDiagnostics.of(teacher, student, tr, 0, new SplittableRandom(4));
        assertThat(d.found()).isEqualTo(3);
        assertThat(d.epsilonMean()).isCloseTo(0.2, within(1e-5));
        assertThat(d.epsilonMedian()).isCloseTo(0.2, within(1e-5));
        // recourse margin 1: teacher margin >= 1 at x'_T, student 0.2 lower
        assertThat(d.teacherMarginMean()).isGreaterThanOrEqualTo(1.0 - 1e-5);
        assertThat(d.studentMarginMean()).isCloseTo(d.teacherMarginMean() - 0.2, within(1e-5));
        assertThat(d.transferRate()).isEqualTo(1.0);
        assertThat(d.conditionRate()).isEqualTo(1.0);
        assertThat(d.conditionPrecision()).isEqualTo(1.0);
        assertThat(d.layers()).singleElement().satisfies(l -> {
            assertThat(l.linf()).isZero();
            assertThat(l.l2()).isZero();
        });
    }

    @Test
    void theory_layerErrors_areTheMaxAndFrobeniusNormOfTheWeightDifference() {
        Mlp teacher = TinyRecourse.linear(new float[] {1f, 0f}, -1f);
        Mlp student = TinyRecourse.linear(new float[] {1.3f, -0.4f}, -1f);
        var l = TheoryDiagnostics.layerErrors(teacher, student).get(0);
        assertThat(l.linf()).isCloseTo(0.4, within(1e-6));
        assertThat(l.l2()).isCloseTo(0.5, within(1e-6));
    }
}
