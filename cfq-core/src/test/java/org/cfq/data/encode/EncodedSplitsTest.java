package org.cfq.data.encode;

import static org.assertj.core.api.Assertions.assertThat;

import org.cfq.data.Dataset;
import org.cfq.data.synthetic.SyntheticCredit;
import org.junit.jupiter.api.Test;

class EncodedSplitsTest {
    @Test
    void of_syntheticData_encodesEachSplitNextToItsLabels() {
        Dataset d = SyntheticCredit.generate(200, 3);
        Encoder enc = Encoder.fit(d.train(), Scaling.STANDARD);

        EncodedSplits s = EncodedSplits.of(enc, d);

        assertThat(s.trainX()).containsExactly(enc.encode(d.train()));
        assertThat(s.trainY()).containsExactly(d.train().labels());
        assertThat(s.validationX()).containsExactly(enc.encode(d.validation()));
        assertThat(s.validationY()).containsExactly(d.validation().labels());
        assertThat(s.testX()).containsExactly(enc.encode(d.test()));
        assertThat(s.testY()).containsExactly(d.test().labels());
        assertThat(s.testX()).hasSize(d.test().rows() * enc.width());
    }
}
