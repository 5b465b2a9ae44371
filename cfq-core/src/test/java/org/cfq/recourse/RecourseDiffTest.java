package org.cfq.recourse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecourseDiffTest {

    @Test
    void of_changedFeatures_listsThemInOriginalUnits() {
        float[] x = {0f, 0f, -1f, 0f, 1f, 0f, 0f, 0f, 0f};
        float[] cf = {0f, 0f, -1f, 1f, 0f, 0f, 1f, 0.5f, 1f}; // education msc, job c, hours 45, owner yes
        RecourseDiff d = RecourseDiff.of(TinyRecourse.mixed(), x, 0, cf, 0);
        assertThat(d.toString()).isEqualTo("education bsc -> msc; job a -> c; hours 40 -> 45; owner no -> yes");
    }

    @Test
    void of_sameRow_saysNoChange() {
        float[] x = {0f, 0f, -1f, 0f, 1f, 0f, 0f, 0f, 0f};
        assertThat(RecourseDiff.of(TinyRecourse.mixed(), x, 0, x, 0).toString()).isEqualTo("(no change)");
    }
}
