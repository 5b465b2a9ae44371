package org.cfq.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.cfq.data.Dataset;
import org.cfq.data.synthetic.SyntheticCredit;
import org.cfq.experiment.ExperimentJob;
import org.cfq.experiment.ExperimentRunner;
import org.cfq.experiment.RecourseRun;
import org.cfq.experiment.Teachers;
import org.cfq.io.json.Json;
import org.cfq.recourse.RecourseRequest;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The short texts the commands print: {@link CommandText}, and the lines before a recourse search or an audit. */
class CommandTextTest {
    @TempDir
    Path dir;

    @Test
    void experiment_countsSecondsAndSummaryFile() {
        ExperimentJob job = ExperimentJob.of(ExperimentJob.plan(List.of("synthetic"), List.of(3.0, 4.0),
                List.of("ptq"), List.of(1L), "pgd", List.of(0.0), "negatives", 0, dir, null, "paper",
                TrainingConfig.defaults()), List.of(), null, true, "l1", "cfq experiment");
        String text = CommandText.experiment(job, new ExperimentRunner.Outcome(1, 1, 0, 0, 2.04, List.of()));
        assertThat(text).isEqualTo("2 cells: 1 computed, 1 reused, 0 unavailable, 0 failed in 2.0 s; summary in "
                + dir.resolve("summary.md") + "\n");
    }

    @Test
    void trainQuantTableReportAndExport_nameWhatWasWritten() {
        Dataset d = SyntheticCredit.generate(300, 2L);
        Teachers.Trained t = Teachers.train(d, TrainingConfig.defaults().withHidden(List.of(4)).withMaxEpochs(1),
                "t", e -> { });
        TrainingConfig c = TrainingConfig.defaults().withHidden(List.of(4)).withMaxEpochs(1);
        assertThat(CommandText.train(t.json(d, c, "mlp", "loss", Path.of("t.json"))))
                .startsWith(String.format(java.util.Locale.ROOT, "%s mlp: test accuracy %.4f", d.name(),
                        t.testAccuracy())).contains("(best epoch 1 of 1)").endsWith("model written to t.json\n");
        assertThat(CommandText.quantTable(Path.of("q.md"), 12, 3.4)).isEqualTo("wrote q.md (12 models, 3s)\n");
        assertThat(CommandText.report(dir.resolve("r.html"), dir.resolve("r-plots"), 1.25))
                .isEqualTo("report written to " + dir.resolve("r.html").toAbsolutePath() + " (plots in "
                        + dir.resolve("r-plots") + "; 1.3 s)\n");
        var export = Json.mapper().createObjectNode().put("kind", "quantized").put("opset", 21).put("bytes", 640)
                .put("out", "m.onnx");
        assertThat(CommandText.export(export)).isEqualTo("wrote m.onnx (quantized model, ONNX opset 21, 640 bytes)\n");
    }

    @Test
    void starts_sayWhatRunsAndWhyNothingCanBeAdvisedWithoutActionableFeatures() {
        assertThat(AuditText.start("german", "negatives", "pgd", true, "paper"))
                .isEqualTo("cfq audit: german, negatives factuals, pgd recourse ...\n");
        assertThat(AuditText.start("german", "paper", "wachter", false, "rules.json"))
                .contains("no actionable feature").contains("--actions rules.json").contains("VD and CRG are undefined");
        Dataset d = SyntheticCredit.generate(300, 2L);
        Teachers.Trained t = Teachers.train(d, TrainingConfig.defaults().withHidden(List.of(4)).withMaxEpochs(1),
                "t", e -> { });
        RecourseRun run = new RecourseRun(t.saved().encoder(), t.saved().model(), d, RecourseRequest.defaults(), 5);
        String start = RecourseText.start(run, "pgd", "synthetic", "paper", 3);
        assertThat(start).isEqualTo(String.format(java.util.Locale.ROOT, "cfq recourse: pgd on %d unfavorable test "
                + "instances of synthetic (actions paper, sparsity 3)%n", run.rows()));
    }
}
