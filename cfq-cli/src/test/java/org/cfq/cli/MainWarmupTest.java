package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainWarmupTest {
    @Test
    void commandsThatTrainOrSearch_warmTheKernels() {
        for (String c : new String[] {"train", "experiment", "quantize", "cfq-quantize", "quant-table", "recourse",
                "audit", "demo"}) {
            assertThat(Main.warms(new String[] {c, "--dataset", "adult"}, null)).as(c).isTrue();
        }
    }

    @Test
    void otherCommands_help_version_andCfqWarmup0_doNot() {
        for (String c : new String[] {"bench", "bench-recourse", "datasets", "export", "import", "report", "schema",
                "help", "--help", "tarin"}) {
            assertThat(Main.warms(new String[] {c}, null)).as(c).isFalse();
        }
        assertThat(Main.warms(new String[] {}, null)).isFalse();
        assertThat(Main.warms(new String[] {"train", "--help"}, null)).isFalse();
        assertThat(Main.warms(new String[] {"experiment", "-V"}, null)).isFalse();
        assertThat(Main.warms(new String[] {"train", "--dataset", "adult"}, "0")).isFalse();
        assertThat(Main.warms(new String[] {"train", "--dataset", "adult"}, "1")).isTrue();
    }
}
