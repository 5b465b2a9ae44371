package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cfq.InvalidInputException;
import org.cfq.recourse.CostKind;
import org.cfq.recourse.RecourseRequest;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class RecourseOptionsTest {
    @Command(name = "probe")
    static final class Probe {
        @Mixin
        RecourseOptions recourse;
    }

    private static RecourseOptions parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.recourse;
    }

    @Test
    void request_noOptions_isDefaultsWithPublishedSparsityAndSeed() {
        RecourseRequest r = parse().request("german", 7);
        assertThat(r).isEqualTo(new RecourseRequest(0, 0, CostKind.L1, 4, 7));
    }

    @Test
    void request_csvDatasetWithoutSparsity_hasNoLimit() {
        assertThat(parse().request(null, 0).sparsity()).isZero();
    }

    @Test
    void request_marginAndSparsityGiven_overrideTheDefaults() {
        RecourseRequest r = parse("--margin", "0.5", "--sparsity", "0").request("adult", 3);
        assertThat(r).isEqualTo(new RecourseRequest(0.5, 0, CostKind.L1, 0, 3));
    }

    @Test
    void request_costMixed_givesTheMixedKindAndAnUnknownKindFailsNamingThem() {
        assertThat(parse("--cost", "mixed").request("adult", 3).cost()).isEqualTo(CostKind.MIXED);
        assertThat(parse("--cost", "L2").request("adult", 3).cost()).isEqualTo(CostKind.L2);
        assertThatThrownBy(() -> parse("--cost", "l3").request("adult", 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--cost 'l3'")
                .hasMessageContaining("l1, mad, l0, l2 or mixed");
    }

    @Test
    void request_negativeSparsity_failsNamingTheOption() {
        assertThatThrownBy(() -> parse("--sparsity", "-1").request("adult", 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--sparsity -1")
                .hasMessageContaining("must be >= 0").hasMessageContaining("0 for no limit");
    }

    @Test
    void request_negativeOrInfiniteMargin_failsNamingTheOption() {
        assertThatThrownBy(() -> parse("--margin", "-0.1").request("adult", 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--margin -0.1")
                .hasMessageContaining("finite number >= 0");
        assertThatThrownBy(() -> parse("--margin", "Infinity").request("adult", 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--margin Infinity");
        assertThatThrownBy(() -> parse("--margin", "NaN").request("adult", 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--margin NaN");
    }
}
