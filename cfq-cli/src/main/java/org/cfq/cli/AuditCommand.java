package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.cfq.io.files.Digests;
import org.cfq.experiment.AuditCell;
import org.cfq.experiment.AuditJson;
import org.cfq.report.results.ResultsReader;
import org.cfq.experiment.Teachers;
import org.cfq.experiment.RecourseMethods;
import org.cfq.experiment.RecourseMethod;
import org.cfq.InvalidInputException;
import org.cfq.audit.TeacherRecourse;
import org.cfq.bounds.DeploymentSet;
import org.cfq.bounds.Neighbourhood;
import org.cfq.bounds.Verifier;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.audit.Audit;
import org.cfq.audit.AuditConfig;
import org.cfq.audit.AuditReport;
import org.cfq.audit.FactualSelection;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.io.json.Json;
import org.cfq.io.files.FileChecks;
import org.cfq.report.AuditText;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.QuantizedModelFile;
import org.cfq.io.model.SavedQuantizedModel;
import org.cfq.io.model.SavedModel;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.model.Mlp;
import org.cfq.provenance.Provenance;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseRequest;
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

    /** The student's fake-quantized form when it is a quantized model file (its widths go in the report). */
    private org.cfq.quant.QuantizedMlp quantizedStudent;

    @Mixin
    DeploymentOptions deployment;

    @Override
    public Integer call() throws IOException {
        FactualSelection selection = parseSelection(factuals);
        RecourseMethod m = RecourseMethods.published().get(method);
        RecourseRequest request = recourse.request(data.dataset, seed.seed);
        CliErrors.require(maxFactuals >= 0, "--max-factuals " + maxFactuals, "must be >= 0", "Pass 0 for no limit");
        FileChecks.readable(teacher, "--teacher");
        FileChecks.readable(student, "--student");
        if (report != null) {
            FileChecks.output(report, "--report", FileChecks.OutputKind.HTML, common.force, teacher, student);
        }
        Dataset d = data.load();
        SavedModel t = ModelFile.read(teacher, d.schema());
        Mlp teacherNet = t.model();
        DifferentiableClassifier studentNet = readStudent(d, t);
        Encoder encoder = Teachers.withSchema(t.encoder(), d.schema());
        ActionSpace space = Teachers.actionSpace(encoder, d);
        EncodedSplits splits = EncodedSplits.of(encoder, d);
        Neighbourhood nb = deployment.neighbourhood(encoder);
        AuditConfig config = AuditConfig.defaults().withFactuals(selection).withMaxFactuals(maxFactuals)
                .withSeed(seed.seed).withNeighbourhood(nb);
        spec.commandLine().getErr().printf(Locale.ROOT, "cfq audit: %s, %s factuals, %s recourse ...%n",
                data.describe(), selection.id(), m.id());
        if (!space.anyMutable()) {
            spec.commandLine().getErr().printf(Locale.ROOT, "cfq audit: no actionable feature: every feature of %s is "
                    + "immutable under --actions %s, so neither model gives recourse (0 found, reason "
                    + "no_actionable_features); VD and CRG are undefined%n", data.describe(), data.actions);
        }
        spec.commandLine().getErr().flush();
        var gen = m.generator(space).orElseThrow();
        org.cfq.audit.TeacherRecourse tr = Audit.teacherRecourse(teacherNet, splits, gen,
                m.settings(), request, config);
        AuditReport audit = Audit.run(teacherNet, studentNet, splits, encoder.layout(), tr, gen,
                config, Teachers.plausibility(teacherNet, encoder, d, request.threshold(), seed.seed));

        ObjectNode root = JsonOutput.object().put("command", "audit").put("dataset", data.describe())
                .put("teacher", teacher.toString()).put("student", student.toString())
                .put("student_runtime", StudentRuntime.parse(studentRuntime).id());
        AuditJson.put(root, audit);
        if (deployment.given()) {
            putDeploymentCertificate(root, tr, nb, d, request.requiredMargin());
        }
        root.putObject("provenance").put("cfq_version", Provenance.CFQ_VERSION).put("seed", seed.seed)
                .put("java_version", System.getProperty("java.version", "unknown"))
                .put("os", System.getProperty("os.name", "unknown"));
        JsonOutput.emit(spec.commandLine().getOut(), common.json, root, () -> String.format(Locale.ROOT,
                "Audit of %s against %s on %s%n", student, teacher, data.describe()) + AuditText.render(audit));
        if (report != null) {
            writeReport(AuditCell.row(data.describe(), student.getFileName().toString(), seed.seed, quantizedStudent,
                    teacherNet, studentNet, audit, tr, encoder, gen), d);
        }
        return CliErrors.OK;
    }

    private void writeReport(ObjectNode row, Dataset d) throws IOException {
        String command = "cfq " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        var results = ResultsReader.ofAudit(row, student.toString(), command,
                java.util.Map.of(data.describe(), org.cfq.provenance.DatasetFingerprint.of(d.train())));
        ReportCommand.write(results, report, java.util.OptionalDouble.empty(), command);
        spec.commandLine().getErr().println("cfq audit: report written to " + report.toAbsolutePath());
        spec.commandLine().getErr().flush();
    }

    /**
     * Reads the student: a quantized model file (checked against its teacher's SHA-256), or a
     * float model file (e.g. a fine-tuned or dequantized student).
     */
    private DifferentiableClassifier readStudent(Dataset d, SavedModel t) throws IOException {
        String format = "";
        if (Files.isRegularFile(student)) {
            try {
                format = Json.mapper().readTree(Files.readAllBytes(student)).path("format").asText("");
            } catch (IOException e) {
                // Not JSON: ModelFile.read below names the file and the problem.
            }
        }
        if (!QuantizedModelFile.FORMAT.equals(format)) {
            StudentRuntime r = StudentRuntime.parse(studentRuntime);
            if (r != StudentRuntime.FAKE) {
                throw new InvalidInputException("--student-runtime " + studentRuntime, student
                        + " is a float model, which has no integer or ONNX QDQ form",
                        "Leave --student-runtime out for a float student, or pass a quantized model file");
            }
            Mlp floatStudent = ModelFile.read(student, d.schema()).model();
            checkSameNetwork(t.model().hiddenSizes(), floatStudent.hiddenSizes());
            return floatStudent;
        }
        SavedQuantizedModel q = QuantizedModelFile.read(student, d.schema());
        quantizedStudent = q.model();
        checkSameNetwork(t.model().hiddenSizes(), q.model().dequantizedMlp().hiddenSizes());
        checkTeacherHash(q, t);
        return StudentRuntime.parse(studentRuntime).deploy(q.model());
    }

    /**
     * With {@code --deployed}: the share of the teacher's counterfactuals certified for the whole
     * deployment set (teacher, every deployed model) over the neighbourhood, and each model's bound.
     */
    private void putDeploymentCertificate(ObjectNode root, TeacherRecourse tr, Neighbourhood nb, Dataset d,
                                          double required) throws IOException {
        DeploymentSet set = deployment.read(teacher, ModelFile.read(teacher, d.schema()).model(), d.schema());
        boolean[] found = tr.batch().foundMask();
        int n = tr.batch().foundCount();
        int w = tr.width();
        float[] x = new float[n * w];
        float[] cf = new float[n * w];
        float[] all = tr.batch().counterfactualsOrFactuals(tr.factuals());
        for (int i = 0, k = 0; i < found.length; i++) {
            if (found[i]) {
                System.arraycopy(tr.factuals(), i * w, x, k * w, w);
                System.arraycopy(all, i * w, cf, k * w, w);
                k++;
            }
        }
        Verifier.Verification v = Verifier.verify(set, nb, x, cf, n, required);
        ObjectNode o = root.putObject("deployment_certificate");
        o.put("checked", n);
        o.put("certified", v.certifiedCount());
        AuditJson.num(o, "certified_fraction", n == 0 ? Double.NaN : (double) v.certifiedCount() / n);
        ArrayNode models = o.putArray("models");
        for (int k = 0; k < set.size(); k++) {
            int ok = 0;
            for (int r = 0; r < n; r++) {
                if (v.bound(r, k) > required) {
                    ok++;
                }
            }
            ObjectNode mo = models.addObject();
            mo.put("model", set.get(k).label());
            AuditJson.num(mo, "certified_fraction", n == 0 ? Double.NaN : (double) ok / n);
        }
    }

    /**
     * A student is a compressed copy of its teacher, so it has the teacher's layers; the
     * audit compares them layer by layer (the certificate bounds each weight's change).
     */
    private void checkSameNetwork(int[] teacherHidden, int[] studentHidden) {
        if (!java.util.Arrays.equals(teacherHidden, studentHidden)) {
            throw new InvalidInputException("--student " + student, "its network (hidden layers "
                    + java.util.Arrays.toString(studentHidden) + ") is not the teacher's (" + teacher + ": hidden layers "
                    + java.util.Arrays.toString(teacherHidden) + "), so it cannot have been quantized from it",
                    "Pass the teacher the student was made from with --teacher");
        }
    }

    private void checkTeacherHash(SavedQuantizedModel q, SavedModel t) throws IOException {
        // Students record their teacher's content checksum (weights and configuration, not the
        // time it was written); files from before recorded the teacher file's bytes.
        String teacherSha = ModelFile.contentSha256(t);
        if (!teacherSha.equalsIgnoreCase(q.teacherSha256())
                && !Digests.sha256Hex(teacher).equalsIgnoreCase(q.teacherSha256())) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("cfq audit: warning: " + student + " was quantized from a teacher file with SHA-256 "
                    + q.teacherSha256() + ", not from " + teacher + " (" + teacherSha + "); auditing anyway");
            err.flush();
        }
    }

    static FactualSelection parseSelection(String s) {
        return CliErrors.parse("--factuals", s, FactualSelection::parse, "unknown factual selection", "Use negatives "
                + "(the teacher's unfavorable test rows) or paper (the first " + FactualSelection.PAPER_ROWS + " test rows)");
    }

}
