package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.data.synthetic.SyntheticCredit;
import org.junit.jupiter.api.Test;

class EncodedSplitsTest {
    @Test
    void of_syntheticData_encodesEachSplitNextToItsLabels() {
        Dataset d = SyntheticCredit.generate(200, 3);
        Encoder enc = Encoder.fit(d.train(), Scaling.STANDARD);

        EncodedSplits s = EncodedSplits.of(enc, d);

        assertThat(s.x).containsExactly(enc.encode(d.train()));
        assertThat(s.y).containsExactly(d.train().labels());
        assertThat(s.xv).containsExactly(enc.encode(d.validation()));
        assertThat(s.yv).containsExactly(d.validation().labels());
        assertThat(s.xt).containsExactly(enc.encode(d.test()));
        assertThat(s.yt).containsExactly(d.test().labels());
        assertThat(s.xt).hasSize(d.test().rows() * enc.width());
    }
}
