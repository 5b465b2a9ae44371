package org.cfq.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NaturalDomainTest {
    @Test
    void numeric_rangeAndStep_containAndSnap() {
        NaturalDomain d = NaturalDomain.numeric(0, Double.POSITIVE_INFINITY, 1);
        assertThat(d.isNumeric()).isTrue();
        assertThat(d.contains(-0.5)).isFalse();
        assertThat(d.contains(1e12)).isTrue();
        assertThat(d.onStep(5246, 1e-9)).isTrue();
        assertThat(d.onStep(5246.3, 1e-3)).isFalse();
        assertThat(d.nearestOnStep(78.66)).isEqualTo(79);
    }

    @Test
    void constructor_badRangeOrStep_fails() {
        assertThatThrownBy(() -> NaturalDomain.numeric(5, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("min <= max");
        assertThatThrownBy(() -> NaturalDomain.numeric(0, 1, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("step");
    }

    @Test
    void levels_notTargetsAndForbiddenTransitions_areNotAllowedButStayingIs() {
        NaturalDomain d = NaturalDomain.levels(Set.of("unknown"), List.of(new NaturalDomain.Transition("own", "rent")));
        assertThat(d.allows("own", "rent")).isFalse();
        assertThat(d.allows("rent", "own")).isTrue();
        assertThat(d.allows("rent", "unknown")).isFalse();
        assertThat(d.allows("unknown", "unknown")).isTrue();
    }

    @Test
    void featureSpec_domainOfWrongKindOrUnknownLevel_fails() {
        assertThatThrownBy(() -> FeatureSpec.integer("n", Actionability.FREE)
                .withNatural(NaturalDomain.levels(Set.of(), List.of()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("numeric natural domain");
        assertThatThrownBy(() -> FeatureSpec.categorical("c", List.of("a", "b"), Actionability.FREE)
                .withNatural(NaturalDomain.levels(Set.of("z"), List.of()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[z]");
        assertThat(FeatureSpec.integer("n", Actionability.FREE).step()).isEqualTo(1);
        assertThat(FeatureSpec.continuous("m", Actionability.FREE).withNatural(NaturalDomain.numeric(0, 9, 0.5)).step())
                .isEqualTo(0.5);
    }

    @Test
    void schema_ruleOnUnknownFeatureOrLevel_failsAndWithoutNaturalDomainDropsAll() {
        List<FeatureSpec> fs = List.of(FeatureSpec.categorical("rel", List.of("Husband", "Wife"), Actionability.FREE),
                FeatureSpec.binary("sex", List.of("Female", "Male"), Actionability.IMMUTABLE));
        assertThatThrownBy(() -> new FeatureSchema("s", fs, "y", "1", List.of(new ConsistencyRule("rel",
                Set.of("Husband"), "sex", Set.of("Man"), "")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Man'");
        FeatureSchema s = new FeatureSchema("s", fs, "y", "1", List.of(new ConsistencyRule("rel", Set.of("Husband"),
                "sex", Set.of("Male"), "")));
        assertThat(s.hasNaturalDomain()).isTrue();
        assertThat(s.withoutNaturalDomain().hasNaturalDomain()).isFalse();
        assertThat(s.withActionability(java.util.Map.of("rel", Actionability.IMMUTABLE)).rules()).hasSize(1);
    }
}
