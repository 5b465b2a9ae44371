package org.cfq.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class SplitsPropertiesTest {
    @Property(tries = 200)
    void stratified_anyLabelsAndFraction_holdsOutRoundedShareOfEachClassAndPartitions(
            @ForAll @IntRange(min = 0, max = 300) int ones, @ForAll @IntRange(min = 0, max = 300) int zeros,
            @ForAll @DoubleRange(min = 0.0, max = 0.95) double fraction, @ForAll long seed) {
        int[] y = new int[ones + zeros];
        // Interleave classes so class membership is not a prefix.
        SplittableRandom shuffle = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int placedOnes = 0;
        for (int i = 0; i < y.length; i++) {
            int left = y.length - i;
            if (placedOnes < ones && shuffle.nextInt(left) < ones - placedOnes) {
                y[i] = 1;
                placedOnes++;
            }
        }
        Splits.Partition p = Splits.stratified(y, fraction, new SplittableRandom(seed));
        long heldOnes = Arrays.stream(p.heldOut()).filter(r -> y[r] == 1).count();
        long heldZeros = p.heldOut().length - heldOnes;
        assertThat(heldOnes).isEqualTo(Math.round(ones * fraction));
        assertThat(heldZeros).isEqualTo(Math.round(zeros * fraction));
        int[] all = IntStream.concat(Arrays.stream(p.kept()), Arrays.stream(p.heldOut())).sorted().toArray();
        assertThat(all).isEqualTo(IntStream.range(0, y.length).toArray());
    }
}
