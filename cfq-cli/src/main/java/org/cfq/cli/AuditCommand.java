package org.cfq.cli;

import static org.cfq.InvalidInputException.require;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.cfq.audit.AuditConfig;
import org.cfq.audit.AuditReport;
import org.cfq.audit.FactualSelection;
import org.cfq.data.Dataset;
import org.cfq.experiment.Deployments;
import org.cfq.experiment.PairAudit;
import org.cfq.experiment.RecourseMethod;
import org.cfq.experiment.RecourseMethods;
import org.cfq.experiment.StudentRuntime;
import org.cfq.io.files.FileChecks;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.provenance.DatasetFingerprint;
import org.cfq.recourse.RecourseRequest;
import org.cfq.report.AuditText;
import org.cfq.report.html.HtmlReport;
import org.cfq.report.results.ResultsReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cfq audit}: how well recourse computed on a teacher survives in a student. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Audit a teacher / student pair: accuracy, fidelity and leniency on the test split; teacher "
                + "recourse, the student's validity drop (VD) at it, the student's own recourse (CRG, direction), "
                + "margins, the sound margin certificate and the published (not sound) diagnostic.")
final class AuditCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin DatasetOptions data;
    @Mixin SeedOption seed;
    @Mixin RecourseOptions recourse;
    @Option(names = "--teacher", required = true, paramLabel = "FILE", description = "The teacher's model file.")
    Path teacher;

    @Option(names = "--student", required = true, paramLabel = "FILE",
            description = "The student's model file: a quantized model from 'cfq quantize', or a float cfq model.")
    Path student;

    @Option(names = "--factuals", paramLabel = "negatives|paper", defaultValue = "negatives",
            description = "negatives: the test rows the teacher scores unfavorably (default); paper: the first "
                    + FactualSelection.PAPER_ROWS + " test rows, unfiltered, as the published code does.")
    String factuals = "negatives";

    @Option(names = "--method", paramLabel = "pgd|wachter", defaultValue = "pgd",
            description = "Recourse generator, with its published defaults (default: ${DEFAULT-VALUE}).")
    String method = "pgd";

    @Option(names = "--max-factuals", paramLabel = "N", defaultValue = "0",
            description = "Audit at most the first N selected factuals (default: all).")
    int maxFactuals;

    @Option(names = "--student-runtime", paramLabel = "fake|integer|onnx", defaultValue = "fake",
            description = "Which form of a quantized student scores the rows: fake-quantized (default), the integer "
                    + "engine or ONNX Runtime; recourse takes gradients from the fake-quantized twin.")
    String studentRuntime = "fake";

    @Option(names = "--report", paramLabel = "FILE",
            description = "Also write the audit as a self-contained HTML report (margins at the teacher's "
                    + "counterfactuals, certified fraction, example applicants, provenance) and its SVG plots beside it.")
    Path report;

    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DeploymentOptions deployment;

    @Override
    public Integer call() throws IOException {
        FactualSelection selection = PairAudit.factuals(factuals);
        RecourseMethod m = RecourseMethods.published().get(method);
        RecourseRequest request = recourse.request(data.dataset, seed.seed);
        require(maxFactuals >= 0, "--max-factuals " + maxFactuals, "must be >= 0", "Pass 0 for no limit");
        FileChecks.readable(teacher, "--teacher");
        FileChecks.readable(student, "--student");
        if (report != null) {
            FileChecks.output(report, "--report", FileChecks.OutputKind.HTML, common.force, teacher, student);
        }
        Dataset d = data.load();
        SavedModel t = ModelFile.read(teacher, d.schema());
        PrintWriter err = spec.commandLine().getErr();
        Deployments.Student s = Deployments.student(student, teacher, t, d.schema(), studentRuntime,
                DeploymentOptions.ONNX, w -> {
                    err.println("cfq audit: warning: " + w);
                    err.flush();
                });
        PairAudit pair = new PairAudit(d, t, s, m);
        var nb = deployment.neighbourhood(pair.encoder());
        AuditConfig config = AuditConfig.defaults().withFactuals(selection).withMaxFactuals(maxFactuals)
                .withSeed(seed.seed).withNeighbourhood(nb);
        err.print(AuditText.start(data.describe(), selection.id(), m.id(), pair.space().anyMutable(), data.actions));
        err.flush();
        AuditReport audit = pair.run(d, m, request, config).report();
        ObjectNode root = pair.json(data.describe(), teacher.toString(), student.toString(),
                StudentRuntime.parse(studentRuntime).id());
        if (deployment.given()) {
            pair.certify(deployment.read(teacher, t.model(), d.schema()), nb, request.requiredMargin())
                    .toJson(root.putObject("deployment_certificate"));
        }
        PairAudit.putProvenance(root, seed.seed);
        JsonOutput.emit(spec.commandLine().getOut(), common.json, root, () -> String.format(Locale.ROOT,
                "Audit of %s against %s on %s%n", student, teacher, data.describe()) + AuditText.render(audit));
        if (report != null) {
            String command = "cfq " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            HtmlReport.write(ResultsReader.ofAudit(pair.row(data.describe(), student.getFileName().toString(),
                    seed.seed), student.toString(), command, Map.of(data.describe(), DatasetFingerprint.of(d.train()))),
                    new HtmlReport.Options(OptionalDouble.empty(), command), report);
            err.printf("cfq audit: report written to %s%n", report.toAbsolutePath()).flush();
        }
        return CliErrors.OK;
    }
}
