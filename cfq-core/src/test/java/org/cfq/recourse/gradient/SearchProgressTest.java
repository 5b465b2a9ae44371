package org.cfq.recourse.gradient;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.data.synthetic.SyntheticCredit;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;
import org.cfq.recourse.diverse.DiverseConfig;
import org.cfq.recourse.diverse.DiverseGenerator;
import org.junit.jupiter.api.Test;

/** Progress reporting (the bar of {@code cfq recourse}) sees every step and never changes what is found. */
class SearchProgressTest {
    private final Dataset data = SyntheticCredit.generate(1200, 5L);
    private final Encoder enc = Encoder.fit(data.train(), Scaling.STANDARD);
    private final ActionSpace space = ActionSpace.of(enc);
    private final Mlp model = Mlp.initialize(enc.width(), new int[] {16, 8}, new java.util.SplittableRandom(3));
    private final float[] x = enc.encode(data.test());
    private final int rows = data.test().rows();

    private record Report(int done, int total) {
    }

    @Test
    void pgd_reportingProgress_findsTheSameCounterfactualsAndReachesTheTotal() {
        // defaults: 3 restarts with noise and escalation, so the batch shares one random stream
        RecourseBatch plain = new PgdGenerator(space, PgdConfig.defaults()).generate(model, x, rows,
                RecourseRequest.defaults().withSparsity(3));
        List<Report> seen = new ArrayList<>();
        PgdGenerator g = new PgdGenerator(space, PgdConfig.defaults());
        g.reportTo((done, total) -> seen.add(new Report(done, total)));
        RecourseBatch reported = g.generate(model, x, rows, RecourseRequest.defaults().withSparsity(3));

        assertThat(reported.results()).isEqualTo(plain.results());
        int total = PgdConfig.defaults().schedule().totalSteps() + 1;
        assertThat(seen).isNotEmpty().allSatisfy(r -> assertThat(r.total()).isEqualTo(total));
        assertThat(seen.get(0).done()).isZero();
        assertThat(seen.get(seen.size() - 1).done()).isEqualTo(total);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).done()).isGreaterThan(seen.get(i - 1).done());
        }
        assertThat(plain.results()).anyMatch(RecourseResult::found);
    }

    @Test
    void wachter_reportingProgress_findsTheSameCounterfactuals() {
        RecourseBatch plain = new WachterGenerator(space, WachterConfig.defaults()).generate(model, x, rows,
                RecourseRequest.defaults());
        int[] calls = {0};
        WachterGenerator g = new WachterGenerator(space, WachterConfig.defaults());
        g.reportTo((done, total) -> calls[0]++);
        assertThat(g.generate(model, x, rows, RecourseRequest.defaults()).results()).isEqualTo(plain.results());
        assertThat(calls[0]).isPositive();
    }

    @Test
    void diverse_reportingProgress_findsTheSameCounterfactuals() {
        RecourseBatch plain = new DiverseGenerator(space, DiverseConfig.defaults()).generate(model, x, rows,
                RecourseRequest.defaults());
        int[] calls = {0};
        DiverseGenerator g = new DiverseGenerator(space, DiverseConfig.defaults());
        g.reportTo((done, total) -> calls[0]++);
        assertThat(g.generate(model, x, rows, RecourseRequest.defaults()).results()).isEqualTo(plain.results());
        assertThat(calls[0]).isPositive();
    }
}
