package org.cfq.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Level sets of natural domains and consistency rules are kept in the feature's level order, so
 * model files do not depend on the order a set iterates in. {@code Set.of} iterates in an order
 * that changes with each JVM start (a per-run salt), which made two trainings with the same seed
 * write different bytes; here the two orders are forced with insertion-ordered sets, so the test
 * does not depend on the hash seed of the JVM running it.
 */
class LevelOrderTest {
    private static final List<String> JOBS = List.of("clerk", "manager", "retired", "student", "unknown");

    private static Set<String> inOrder(String... levels) {
        return new LinkedHashSet<>(List.of(levels));
    }

    @Test
    void featureSpec_notTargetsInAnyOrder_areListedInLevelOrder() {
        FeatureSpec a = FeatureSpec.categorical("job", JOBS, Actionability.FREE)
                .withNatural(NaturalDomain.levels(inOrder("unknown", "retired", "student"), List.of()));
        FeatureSpec b = FeatureSpec.categorical("job", JOBS, Actionability.FREE)
                .withNatural(NaturalDomain.levels(inOrder("student", "unknown", "retired"), List.of()));

        assertThat(List.copyOf(a.natural().notTargets())).containsExactly("retired", "student", "unknown");
        assertThat(List.copyOf(b.natural().notTargets())).containsExactly("retired", "student", "unknown");
        assertThat(a).isEqualTo(b);
    }

    @Test
    void schema_ruleLevelsInAnyOrder_areListedInLevelOrder() {
        List<FeatureSpec> fs = List.of(FeatureSpec.categorical("rel", List.of("Husband", "Wife", "Single"),
                Actionability.FREE), FeatureSpec.categorical("marital", List.of("Married", "Married-AF", "Never"),
                Actionability.FREE));
        FeatureSchema a = new FeatureSchema("s", fs, "y", "1", List.of(new ConsistencyRule("rel",
                inOrder("Wife", "Husband"), "marital", inOrder("Married-AF", "Married"), "")));
        FeatureSchema b = new FeatureSchema("s", fs, "y", "1", List.of(new ConsistencyRule("rel",
                inOrder("Husband", "Wife"), "marital", inOrder("Married", "Married-AF"), "")));

        for (FeatureSchema s : List.of(a, b)) {
            assertThat(List.copyOf(s.rules().get(0).ifLevels())).containsExactly("Husband", "Wife");
            assertThat(List.copyOf(s.rules().get(0).thenLevels())).containsExactly("Married", "Married-AF");
        }
        assertThat(a.rules().get(0).toString()).isEqualTo(b.rules().get(0).toString());
    }

    @Test
    void standaloneDomainAndRule_keepTheOrderGiven() {
        // Only a schema fixes the order (it knows the levels); a lone domain keeps its caller's order.
        assertThat(List.copyOf(NaturalDomain.levels(inOrder("b", "a"), List.of()).notTargets())).containsExactly("b", "a");
        assertThat(List.copyOf(new ConsistencyRule("x", inOrder("b", "a"), "y", inOrder("d", "c"), "").ifLevels()))
                .containsExactly("b", "a");
    }
}
