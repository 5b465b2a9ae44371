package org.cfq.io.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.NaturalDomain;
import org.cfq.data.encode.ModelSpaceLayout;
import org.junit.jupiter.api.Test;

class DatasetRegistryTest {
    private final DatasetRegistry registry = DatasetRegistry.builtIn();

    @Test
    void names_builtIn_listsSevenDatasets() {
        assertThat(registry.names()).containsExactly("adult", "german", "compas", "bank", "bank-duration", "default",
                "synthetic");
    }

    @Test
    void get_unknownName_failsListingValidNames() {
        assertThatThrownBy(() -> registry.get("mnist")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'mnist'").hasMessageContaining("[adult, german, compas, bank, bank-duration, default, synthetic]")
                .hasMessageContaining("--csv FILE --schema FILE");
    }

    @Test
    void find_anyCaseOrUnknown_givesDatasetOrEmpty() {
        assertThat(registry.find(" Adult ")).containsSame(registry.get("adult"));
        assertThat(registry.find("mnist")).isEmpty();
        assertThat(registry.find(null)).isEmpty();
    }

    @Test
    void publishedSparsity_builtIns_areAdult5German4Compas3AndNoneForSynthetic() {
        assertThat(registry.get("adult").publishedSparsity()).isEqualTo(5);
        assertThat(registry.get("german").publishedSparsity()).isEqualTo(4);
        assertThat(registry.get("compas").publishedSparsity()).isEqualTo(3);
        assertThat(registry.get("synthetic").publishedSparsity()).isZero();
        assertThat(registry.get("bank").publishedSparsity()).isEqualTo(5);
        assertThat(registry.get("bank-duration").publishedSparsity()).isEqualTo(5);
        assertThat(registry.get("default").publishedSparsity()).isEqualTo(4);
    }

    @Test
    void withPreset_bankAndDefault_paperFixesAgeOrSexAndRealisticLeavesTheClientsLevers() {
        assertThat(immutable(DatasetRegistry.withPreset(registry.get("bank"), ActionPreset.PAPER)))
                .containsExactly("age");
        assertThat(immutable(DatasetRegistry.withPreset(registry.get("default"), ActionPreset.PAPER)))
                .containsExactly("SEX");
        FeatureSchema bank = DatasetRegistry.withPreset(registry.get("bank"), ActionPreset.REALISTIC);
        assertThat(bank.features().stream().filter(f -> f.actionability() != Actionability.IMMUTABLE)
                .map(FeatureSpec::name).toList()).containsExactly("job", "education", "balance", "housing", "loan");
        assertThat(bank.feature(bank.indexOf("balance")).actionability()).isEqualTo(Actionability.INCREASE_ONLY);
        assertThat(bank.feature(bank.indexOf("education")).natural().allows("tertiary", "secondary")).isFalse();
        assertThat(bank.feature(bank.indexOf("education")).natural().allows("secondary", "tertiary")).isTrue();
        assertThat(bank.feature(bank.indexOf("loan")).natural().allows("no", "yes")).isFalse();
        assertThat(bank.feature(bank.indexOf("job")).natural().allows("admin.", "unknown")).isFalse();
        assertThat(bank.indexOf("duration")).as("duration dropped").isNegative();
        FeatureSchema withDuration = DatasetRegistry.withPreset(registry.get("bank-duration"), ActionPreset.REALISTIC);
        assertThat(withDuration.feature(withDuration.indexOf("duration")).actionability())
                .isEqualTo(Actionability.IMMUTABLE);
        FeatureSchema credit = DatasetRegistry.withPreset(registry.get("default"), ActionPreset.REALISTIC);
        assertThat(credit.features().stream().filter(f -> f.actionability() != Actionability.IMMUTABLE)
                .map(FeatureSpec::name).toList()).containsExactly("LIMIT_BAL", "EDUCATION");
        assertThat(credit.feature(credit.indexOf("LIMIT_BAL")).actionability()).isEqualTo(Actionability.DECREASE_ONLY);
        // the paper preset drops the natural domain
        FeatureSchema paperBank = DatasetRegistry.withPreset(registry.get("bank"), ActionPreset.PAPER);
        assertThat(paperBank.hasNaturalDomain()).isFalse();
    }

    private static List<String> immutable(FeatureSchema s) {
        return s.features().stream().filter(f -> f.actionability() == Actionability.IMMUTABLE)
                .map(FeatureSpec::name).toList();
    }

    @Test
    void withPreset_paper_makesOnlyProtectedAttributesImmutable() {
        assertThat(immutable(DatasetRegistry.withPreset(registry.get("adult"), ActionPreset.PAPER)))
                .containsExactly("age", "race", "sex", "native-country");
        assertThat(immutable(DatasetRegistry.withPreset(registry.get("german"), ActionPreset.PAPER)))
                .containsExactly("personal_status_sex", "age", "foreign_worker");
        assertThat(immutable(DatasetRegistry.withPreset(registry.get("compas"), ActionPreset.PAPER)))
                .containsExactly("age", "sex", "race");
        FeatureSchema adult = DatasetRegistry.withPreset(registry.get("adult"), ActionPreset.PAPER);
        assertThat(adult.features().stream().filter(f -> f.actionability() != Actionability.IMMUTABLE)
                .allMatch(f -> f.actionability() == Actionability.FREE)).isTrue();
    }

    @Test
    void withPreset_realistic_keepsPaperImmutablesAndAddsMonotoneRules() {
        FeatureSchema adult = DatasetRegistry.withPreset(registry.get("adult"), ActionPreset.REALISTIC);
        assertThat(immutable(adult)).contains("age", "race", "sex", "native-country");
        assertThat(adult.feature(adult.indexOf("education-num")).actionability()).isEqualTo(Actionability.INCREASE_ONLY);
        FeatureSchema compas = DatasetRegistry.withPreset(registry.get("compas"), ActionPreset.REALISTIC);
        assertThat(compas.feature(compas.indexOf("priors_count")).actionability())
                .isEqualTo(Actionability.IMMUTABLE);
        assertThat(compas.features()).allMatch(f -> f.actionability() == Actionability.IMMUTABLE);
        FeatureSchema german = DatasetRegistry.withPreset(registry.get("german"), ActionPreset.REALISTIC);
        assertThat(german.feature(german.indexOf("credit_history")).actionability())
                .isEqualTo(Actionability.IMMUTABLE);
    }

    @Test
    void withPreset_realistic_keepsTheNaturalDomainAndPaperDropsIt() {
        for (String name : registry.names()) {
            FeatureSchema real = DatasetRegistry.withPreset(registry.get(name), ActionPreset.REALISTIC);
            FeatureSchema paper = DatasetRegistry.withPreset(registry.get(name), ActionPreset.PAPER);
            assertThat(real.hasNaturalDomain()).as(name).isTrue();
            assertThat(real.numericWithoutNatural()).as(name + " numeric features without a natural range").isEmpty();
            assertThat(paper.hasNaturalDomain()).as(name).isFalse();
        }
        FeatureSchema adult = DatasetRegistry.withPreset(registry.get("adult"), ActionPreset.REALISTIC);
        NaturalDomain loss = adult.feature(adult.indexOf("capital-loss")).natural();
        assertThat(loss.min()).isZero();
        assertThat(loss.step()).isEqualTo(1);
        assertThat(adult.feature(adult.indexOf("hours-per-week")).natural().max()).isEqualTo(99);
        assertThat(adult.feature(adult.indexOf("workclass")).natural().allows("Private", "Never-worked")).isFalse();
        assertThat(adult.feature(adult.indexOf("workclass")).natural().allows("Private", "Self-emp-inc")).isTrue();
        assertThat(adult.feature(adult.indexOf("marital-status")).actionability()).isEqualTo(Actionability.IMMUTABLE);
        assertThat(adult.feature(adult.indexOf("relationship")).actionability()).isEqualTo(Actionability.IMMUTABLE);
        assertThat(adult.rules()).anyMatch(r -> r.ifFeature().equals("relationship") && r.thenFeature().equals("sex")
                && !r.holds("Wife", "Male"));
        FeatureSchema german = DatasetRegistry.withPreset(registry.get("german"), ActionPreset.REALISTIC);
        assertThat(german.feature(german.indexOf("installment_rate")).natural().max()).isEqualTo(4);
        assertThat(german.feature(german.indexOf("purpose")).levels()).contains("radio/television");
        assertThat(german.feature(german.indexOf("checking_status")).natural().allows("< 0 DM", "no account"))
                .isFalse();
    }

    @Test
    void schema_builtIns_haveDocumentedModelSpaceWidths() {
        // adult: 1 + 9 + 1 + 7 + 15 + 6 + 5 + 1 + 1 + 1 + 1 + 42 = 90
        assertThat(ModelSpaceLayout.of(registry.get("adult").schema()).width()).isEqualTo(90);
        // german: 4+1+5+11+1+5+1+1+5+3+1+4+1+3+3+1+4+1+1+1 = 57
        assertThat(ModelSpaceLayout.of(registry.get("german").schema()).width()).isEqualTo(57);
        // compas: 1 + 1 + 6 + 1 + 1 + 1 + 1 + 1 = 13
        assertThat(ModelSpaceLayout.of(registry.get("compas").schema()).width()).isEqualTo(13);
        // bank: 1 + 12 + 3 + 4 + 1 + 1 + 1 + 1 + 3 + 1 + 12 + 1 + 1 + 1 + 4 = 47; with duration 48
        assertThat(ModelSpaceLayout.of(registry.get("bank").schema()).width()).isEqualTo(47);
        assertThat(ModelSpaceLayout.of(registry.get("bank-duration").schema()).width()).isEqualTo(48);
        // default: LIMIT_BAL + SEX + 7 education + 4 marriage + AGE + 6 PAY + 6 BILL_AMT + 6 PAY_AMT = 32
        assertThat(ModelSpaceLayout.of(registry.get("default").schema()).width()).isEqualTo(32);
        // synthetic: 4 numeric + ordinal + 4 one-hot + binary = 10
        assertThat(ModelSpaceLayout.of(registry.get("synthetic").schema()).width()).isEqualTo(10);
    }

    @Test
    void load_synthetic_needsNoFilesAndAppliesPreset() {
        Dataset d = registry.load("synthetic", ActionPreset.REALISTIC, new DataDirectory(List.of(
                java.nio.file.Path.of("/nonexistent"))), Downloader.standard(), false);
        assertThat(d.train().rows() + d.validation().rows() + d.test().rows()).isEqualTo(4000);
        assertThat(d.schema().feature(d.schema().indexOf("education")).actionability())
                .isEqualTo(Actionability.INCREASE_ONLY);
    }

    @Test
    void load_syntheticOtherSplitSeed_keepsTheRowsAndRedrawsTheSplit() {
        DataDirectory none = new DataDirectory(List.of(java.nio.file.Path.of("/nonexistent")));
        Dataset s0 = registry.load("synthetic", ActionPreset.PAPER, none, Downloader.standard(), false);
        Dataset s0b = registry.load("synthetic", ActionPreset.PAPER, none, Downloader.standard(), false, 0);
        Dataset s3 = registry.load("synthetic", ActionPreset.PAPER, none, Downloader.standard(), false, 3);
        assertThat(s0b.test().column(1)).containsExactly(s0.test().column(1));
        assertThat(s3.test().rows()).isEqualTo(s0.test().rows());
        assertThat(s3.test().column(1)).isNotEqualTo(s0.test().column(1));
        // the same 4,000 rows: the sums of a column over all parts agree
        assertThat(sum(s3, 1)).isCloseTo(sum(s0, 1), org.assertj.core.api.Assertions.within(1e-6));
    }

    private static double sum(Dataset d, int c) {
        double s = 0;
        for (var t : List.of(d.train(), d.validation(), d.test())) {
            for (double v : t.column(c)) {
                s += v;
            }
        }
        return s;
    }

    @Test
    void actionPreset_parse_unknownNameListsPresets() {
        assertThat(ActionPreset.parse("Realistic")).isEqualTo(ActionPreset.REALISTIC);
        assertThatThrownBy(() -> ActionPreset.parse("strict")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("strict").hasMessageContaining("[paper, realistic]");
    }

    @Test
    void compasKeep_propublicaFilter_keepsOnlyMatchingRows() {
        assertThat(CompasLoader.keep("-30", "0", "F", "Low")).isTrue();
        assertThat(CompasLoader.keep("30", "1", "M", "High")).isTrue();
        assertThat(CompasLoader.keep("31", "1", "M", "High")).isFalse();
        assertThat(CompasLoader.keep("", "1", "M", "High")).isFalse();
        assertThat(CompasLoader.keep("0", "-1", "M", "High")).isFalse();
        assertThat(CompasLoader.keep("0", "1", "O", "High")).isFalse();
        assertThat(CompasLoader.keep("0", "1", "F", "N/A")).isFalse();
    }
}
