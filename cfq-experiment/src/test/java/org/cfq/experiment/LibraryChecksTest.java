package org.cfq.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.cfq.InvalidInputException;
import org.cfq.audit.FactualSelection;
import org.cfq.data.Dataset;
import org.cfq.data.synthetic.SyntheticCredit;
import org.cfq.io.json.Json;
import org.cfq.model.Scores;
import org.cfq.quant.method.QuantMethod;
import org.cfq.recourse.CostKind;
import org.cfq.train.TrainingConfig;
import org.cfq.train.TrainingResult;
import org.junit.jupiter.api.Test;

/** The small checks and JSON the commands take from the library rather than writing their own. */
class LibraryChecksTest {
    @Test
    void recourseMethods_costCertifiedAndIds() {
        assertThat(RecourseMethods.cost("mixed")).isEqualTo(CostKind.MIXED);
        assertThatThrownBy(() -> RecourseMethods.cost("l3")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--cost 'l3'").hasMessageContaining("l1, mad, l0, l2 or mixed");
        assertThat(RecourseMethods.isCertified(" Certified ")).isTrue();
        assertThat(RecourseMethods.builtIn().idOrCertified("CERTIFIED")).isEqualTo(RecourseMethods.CERTIFIED);
        assertThat(RecourseMethods.builtIn().idOrCertified("PGD")).isEqualTo("pgd");
        assertThatThrownBy(() -> RecourseMethods.builtIn().idOrCertified("magic"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--method 'magic'");
    }

    @Test
    void recourseRun_checkOptions_namesTheOption() {
        RecourseRun.checkOptions(1.5, 0);
        assertThatThrownBy(() -> RecourseRun.checkOptions(-1, 0)).hasMessageContaining("--max-lof -1.0");
        assertThatThrownBy(() -> RecourseRun.checkOptions(Double.POSITIVE_INFINITY, 0))
                .hasMessageContaining("--max-lof Infinity");
        assertThatThrownBy(() -> RecourseRun.checkOptions(0, -2)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--limit -2");
    }

    @Test
    void pairAuditFactualsAndCfqCheckSplit_parseWhatUsersType() {
        assertThat(PairAudit.factuals(" paper")).isEqualTo(FactualSelection.parse("paper"));
        assertThatThrownBy(() -> PairAudit.factuals("all")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--factuals all").hasMessageContaining("negatives");
        assertThat(CfqCheck.onValidation("Validation")).isTrue();
        assertThat(CfqCheck.onValidation("test")).isFalse();
        assertThatThrownBy(() -> CfqCheck.onValidation("train")).hasMessageContaining("--eval train");
    }

    @Test
    void datasetSource_files_areTheCsvSchemaAndRulesThenTheOthers() {
        Path csv = Path.of("d.csv");
        Path schema = Path.of("d.json");
        Path rules = Path.of("rules.json");
        Path teacher = Path.of("t.json");
        assertThat(new DatasetSource(null, csv, schema, rules.toString(), null).files(teacher))
                .containsExactly(csv, schema, rules, teacher);
        assertThat(DatasetSource.builtIn("german").withActions("realistic").files())
                .containsExactly(null, null, null);
    }

    @Test
    void quantTable_methodsModelsAndJson() {
        assertThat(QuantTable.methods(List.of("ptq", "LSQ"))).containsExactly(QuantMethod.PTQ, QuantMethod.LSQ);
        assertThatThrownBy(() -> QuantTable.methods(List.of("ptq", "zip"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--methods [ptq, zip]");
        QuantTable t = new QuantTable(List.of("german", "adult"), List.of(QuantMethod.PTQ), List.of(8, 4, 2),
                List.of(1L), null, null, null);
        assertThat(t.models()).isEqualTo(6);
        var cell = new QuantTable.Cell("german", 1, "ptq", 4, 0.8, 0.75, 0.9, 4, "[4, 4, 4]", 0, 0.1);
        ObjectNode j = QuantTable.json(List.of(cell), Path.of("t.md"), 2.5);
        ObjectNode back = Json.mapper().valueToTree(j);
        assertThat(back.get("out").asText()).isEqualTo("t.md");
        assertThat(back.get("seconds").asDouble()).isEqualTo(2.5);
        assertThat(back.get("rows").get(0).get("accuracy").asDouble()).isEqualTo(0.75);
    }

    @Test
    void trainedTeacher_json_describesTheRunAndItsFile() {
        Dataset d = SyntheticCredit.generate(400, 3L);
        TrainingConfig c = TrainingConfig.defaults().withHidden(List.of(8)).withMaxEpochs(2).withSeed(5);
        Teachers.Trained t = Teachers.train(d, c, c.summary(), e -> { });
        ObjectNode j = t.json(d, c, "mlp", "loss", Path.of("teacher.json"));
        assertThat(j.get("dataset").asText()).isEqualTo(d.name());
        assertThat(j.get("model").asText()).isEqualTo("mlp");
        assertThat(j.get("hidden")).hasSize(1);
        assertThat(j.get("seed").asLong()).isEqualTo(5);
        assertThat(j.get("test_rows").asInt()).isEqualTo(d.test().rows());
        assertThat(j.get("test_accuracy").asDouble()).isEqualTo(t.testAccuracy()).isBetween(0.0, 1.0);
        assertThat(j.get("epochs").asInt()).isEqualTo(t.result().epochsRun());
        assertThat(j.get("stopping").asText()).isEqualTo("loss");
        assertThat(j.get("out").asText()).isEqualTo("teacher.json");
        assertThat(j.get("provenance").get("seed").asLong()).isEqualTo(5);
        assertThat(j.get("validation_majority_rate").asDouble())
                .isEqualTo(Scores.majorityRate(t.splits().validationY())).isEqualTo(t.validationMajorityRate());
    }

    @Test
    void trainedTeacher_warnsWhenNoBetterThanTheMajorityClassOnValidation() {
        Dataset d = SyntheticCredit.generate(400, 3L);
        TrainingConfig c = TrainingConfig.defaults().withHidden(List.of(8)).withMaxEpochs(2).withSeed(5);
        Teachers.Trained t = Teachers.train(d, c, c.summary(), e -> { });
        int[] y = t.splits().validationY();
        double floor = t.validationMajorityRate();
        assertThat(floor).isBetween(0.5, 1.0);
        // the same run, its chosen epoch's validation accuracy set at, and one row above, the floor
        Teachers.Trained atFloor = withBestValidationAccuracy(t, floor);
        Teachers.Trained above = withBestValidationAccuracy(t, floor + 1.0 / y.length);
        assertThat(atFloor.degenerateWarning()).hasValueSatisfying(w -> assertThat(w)
                .contains("no better than always predicting the majority class")
                .contains(String.format(Locale.ROOT, "majority rate %.4f", floor)).contains("--seed"));
        assertThat(above.degenerateWarning()).isEmpty();
    }

    @Test
    void scores_majorityRate_isTheLargerClassShare() {
        assertThat(Scores.majorityRate(new int[] {1, 1, 0, 1})).isEqualTo(0.75);
        assertThat(Scores.majorityRate(new int[] {0, 0, 0, 1, 1})).isEqualTo(0.6);
        assertThat(Scores.majorityRate(new int[0])).isNaN();
    }

    private static Teachers.Trained withBestValidationAccuracy(Teachers.Trained t, double accuracy) {
        TrainingResult r = t.result();
        TrainingResult changed = new TrainingResult(r.model(), r.config(), 1, 1, List.of(0.5), List.of(0.6),
                List.of(accuracy), r.seconds());
        return new Teachers.Trained(t.saved(), changed, t.splits());
    }
}
