package org.cfq.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitsTest {
    /** 20 rows: rows 0..5 are class 1 (6 rows), rows 6..19 class 0 (14 rows). */
    private static int[] labels() {
        int[] y = new int[20];
        for (int i = 0; i < 6; i++) {
            y[i] = 1;
        }
        return y;
    }

    @Test
    void stratified_sameSeed_givesSameRows() {
        Splits.Partition a = Splits.stratified(labels(), 0.3, new SplittableRandom(7));
        Splits.Partition b = Splits.stratified(labels(), 0.3, new SplittableRandom(7));
        assertThat(a.heldOut()).isEqualTo(b.heldOut());
        assertThat(a.kept()).isEqualTo(b.kept());
    }

    @Test
    void stratified_differentSeeds_giveDifferentRows() {
        int[] y = new int[1000];
        Arrays.fill(y, 0, 400, 1);
        Splits.Partition a = Splits.stratified(y, 0.3, new SplittableRandom(1));
        Splits.Partition b = Splits.stratified(y, 0.3, new SplittableRandom(2));
        assertThat(a.heldOut()).isNotEqualTo(b.heldOut());
    }

    @Test
    void stratified_thirtyPercent_holdsOutRoundedShareOfEachClass() {
        Splits.Partition p = Splits.stratified(labels(), 0.3, new SplittableRandom(3));
        // class 1: round(6 * 0.3) = round(1.8) = 2; class 0: round(14 * 0.3) = round(4.2) = 4.
        long ones = Arrays.stream(p.heldOut()).filter(r -> r < 6).count();
        assertThat(ones).isEqualTo(2);
        assertThat(p.heldOut()).hasSize(6);
        assertThat(p.kept()).hasSize(14);
    }

    @Test
    void stratified_anySeed_partitionsAllRowsOnceInAscendingOrder() {
        Splits.Partition p = Splits.stratified(labels(), 0.25, new SplittableRandom(11));
        int[] all = IntStream.concat(Arrays.stream(p.kept()), Arrays.stream(p.heldOut())).sorted().toArray();
        assertThat(all).isEqualTo(IntStream.range(0, 20).toArray());
        assertThat(p.kept()).isSorted();
        assertThat(p.heldOut()).isSorted();
    }

    @Test
    void stratified_fractionOutOfRange_throwsNamingValue() {
        assertThatThrownBy(() -> Splits.stratified(labels(), 1.0, new SplittableRandom(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1)").hasMessageContaining("1.0");
        assertThatThrownBy(() -> Splits.stratified(labels(), Double.NaN, new SplittableRandom(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @Test
    void stratified_labelNotBinary_throws() {
        assertThatThrownBy(() -> Splits.stratified(new int[] {0, 2}, 0.5, new SplittableRandom(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1").hasMessageContaining("2");
    }

    @Test
    void trainValidationTest_defaults_splitsSeventyThirtyThenFifteenPercent() {
        FeatureSchema s = new FeatureSchema("t", List.of(FeatureSpec.continuous("x", Actionability.FREE)), "y", "1");
        int n = 200;
        double[] x = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = i < 80 ? 1 : 0;
        }
        Dataset d = Splits.trainValidationTest("t", new Table(s, new double[][] {x}, y), "src", 0);
        // test: round(80*0.3)=24 + round(120*0.3)=36 = 60; train 140 = 56 ones + 84 zeros;
        // validation: round(56*0.15)=round(8.4)=8 + round(84*0.15)=round(12.6)=13 = 21.
        assertThat(d.test().rows()).isEqualTo(60);
        assertThat(d.validation().rows()).isEqualTo(21);
        assertThat(d.train().rows()).isEqualTo(119);
        assertThat(d.test().favorableRate()).isEqualTo(0.4);
        Dataset again = Splits.trainValidationTest("t", new Table(s, new double[][] {x.clone()}, y.clone()), "src", 0);
        assertThat(again.validation().column(0)).isEqualTo(d.validation().column(0));
    }

    @Test
    void sampleIndices_isSeededDistinctAndInRange() {
        int[] a = Splits.sampleIndices(50, 20, new SplittableRandom(7));
        assertThat(a).hasSize(20).doesNotHaveDuplicates();
        assertThat(Arrays.stream(a).allMatch(i -> i >= 0 && i < 50)).isTrue();
        assertThat(a).containsExactly(Splits.sampleIndices(50, 20, new SplittableRandom(7)));
        assertThat(a).isNotEqualTo(Splits.sampleIndices(50, 20, new SplittableRandom(8)));
        assertThat(Splits.sampleIndices(5, 5, new SplittableRandom(1))).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    }

    @Test
    void sampleIndices_sizeOutOfRange_throwsNamingValue() {
        assertThatThrownBy(() -> Splits.sampleIndices(5, 6, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 5]").hasMessageContaining("6");
    }

    @Test
    void minimumClassRows_defaultFractions_isSix() {
        // n=5: test round(1.5)=2, rest 3, validation round(0.45)=0; n=6: test 2, rest 4, validation 1, train 3.
        assertThat(Splits.minimumClassRows(Splits.DEFAULT_TEST_FRACTION, Splits.DEFAULT_VALIDATION_FRACTION)).isEqualTo(6);
        assertThat(Splits.minimumClassRows(0, Splits.DEFAULT_VALIDATION_FRACTION)).isEqualTo(4);
    }

    @Test
    void trainValidationTest_threeRows_failsSayingHowManyRowsAreNeeded() {
        FeatureSchema s = new FeatureSchema("t", List.of(FeatureSpec.continuous("x", Actionability.FREE)), "y", "yes");
        Table three = new Table(s, new double[][] {{1, 2, 3}}, new int[] {1, 0, 1});
        // Before: the validation split was empty and training reported "val loss NaN".
        assertThatThrownBy(() -> Splits.trainValidationTest("t", three, "tiny.csv", 0))
                .isInstanceOf(org.cfq.InvalidInputException.class).hasMessageContaining("tiny.csv")
                .hasMessageContaining("the favorable class ('yes') has 2 rows of 3")
                .hasMessageContaining("needs at least 6 rows of each class");
    }

    @Test
    void trainValidationTest_oneClassOnly_failsNamingTheMissingClass() {
        FeatureSchema s = new FeatureSchema("t", List.of(FeatureSpec.continuous("x", Actionability.FREE)), "y", "yes");
        double[] x = new double[40];
        int[] ones = new int[40];
        java.util.Arrays.fill(ones, 1);
        assertThatThrownBy(() -> Splits.trainValidationTest("t", new Table(s, new double[][] {x}, ones), "one.csv", 0))
                .isInstanceOf(org.cfq.InvalidInputException.class)
                .hasMessageContaining("the unfavorable class (labels other than 'yes') has 0 rows of 40");
    }
}
