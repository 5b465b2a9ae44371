package org.cfq.recourse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecourseBatchTest {

    @Test
    void costs_areTheFoundCostsAndZeroElsewhere() {
        RecourseBatch b = RecourseBatch.of(2, new RecourseResult[] {
                new RecourseResult.Found(new float[] {1f, 2f}, 1.5, 1, 0.2),
                new RecourseResult.NotFound(RecourseResult.Reason.values()[0]),
                new RecourseResult.Found(new float[] {0f, 3f}, 0.25, 2, 0.1)});
        assertThat(b.costs()).containsExactly(1.5, 0.0, 0.25);
        assertThat(b.foundMask()).containsExactly(true, false, true);
    }
}
