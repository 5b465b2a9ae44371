package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cfq.audit.Audit;
import org.cfq.audit.AuditConfig;
import org.cfq.audit.AuditReport;
import org.cfq.audit.FactualSelection;
import org.cfq.InvalidInputException;
import org.cfq.audit.TeacherRecourse;
import org.cfq.data.Dataset;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.data.encode.Encoder;
import org.cfq.io.json.Json;
import org.cfq.io.model.SavedModel;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.provenance.Provenance;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.RecourseRequest;
import org.cfq.bounds.DeploymentSet;
import org.cfq.bounds.Neighbourhood;

/**
 * The audit of one teacher / student pair ({@code cfq audit}): the teacher's recourse on the
 * test split, then {@link Audit#run} of the student at it, with the teacher's plausibility
 * scores; its JSON and its report row.
 */
public final class PairAudit {
    private final SavedModel teacher;
    private final Deployments.Student student;
    private final Encoder encoder;
    private final ActionSpace space;
    private final RecourseGenerator<DifferentiableClassifier> generator;
    private TeacherRecourse teacherRecourse;
    private AuditReport report;

    /** Prepares the audit of {@code student} against {@code teacher} on {@code data}'s test split. */
    public PairAudit(Dataset data, SavedModel teacher, Deployments.Student student, RecourseMethod method) {
        this.teacher = teacher;
        this.student = student;
        this.encoder = Teachers.withSchema(teacher.encoder(), data.schema());
        this.space = Teachers.actionSpace(encoder, data);
        this.generator = method.generator(space).orElseThrow();
    }

    /** {@return the teacher's encoder, with the dataset's schema} */
    public Encoder encoder() {
        return encoder;
    }

    /** {@return the actions recourse may take (none when every feature is immutable)} */
    public ActionSpace space() {
        return space;
    }

    /** Runs the audit. {@return this} */
    public PairAudit run(Dataset data, RecourseMethod method, RecourseRequest request, AuditConfig config) {
        EncodedSplits splits = EncodedSplits.of(encoder, data);
        teacherRecourse = Audit.teacherRecourse(teacher.model(), splits, generator, method.settings(), request,
                config);
        report = Audit.run(teacher.model(), student.scorer(), splits, encoder.layout(), teacherRecourse, generator,
                config, Teachers.plausibility(teacher.model(), encoder, data, request.threshold(), config.seed()));
        return this;
    }

    /** {@return the audit's report} */
    public AuditReport report() {
        return report;
    }

    /** {@return the certificate of the teacher's recourse on every model of {@code set} over {@code nb}} */
    public Deployments.Certificate certify(DeploymentSet set, Neighbourhood nb, double requiredMargin) {
        return Deployments.certify(set, nb, teacherRecourse, requiredMargin);
    }

    /**
     * {@return the audit as JSON: the command, dataset, model files and student runtime, then {@link AuditJson}}
     */
    public ObjectNode json(String dataset, String teacherFile, String studentFile, String runtime) {
        ObjectNode root = Json.mapper().createObjectNode().put("command", "audit").put("dataset", dataset)
                .put("teacher", teacherFile).put("student", studentFile).put("student_runtime", runtime);
        AuditJson.put(root, report);
        return root;
    }

    /**
     * {@return the factual selection a user names: negatives (the teacher's unfavorable test rows) or paper}
     *
     * @throws InvalidInputException naming {@code --factuals} and the selections
     */
    public static FactualSelection factuals(String s) {
        return InvalidInputException.parse("--factuals", s, FactualSelection::parse, "unknown factual selection",
                "Use negatives (the teacher's unfavorable test rows) or paper (the first "
                        + FactualSelection.PAPER_ROWS + " test rows)");
    }

    /** Puts the provenance of the run (cfq and Java versions, operating system, seed). */
    public static void putProvenance(ObjectNode root, long seed) {
        root.putObject("provenance").put("cfq_version", Provenance.CFQ_VERSION).put("seed", seed)
                .put("java_version", System.getProperty("java.version", "unknown"))
                .put("os", System.getProperty("os.name", "unknown"));
    }

    /** {@return the audit as one result row, as {@link AuditCell#row} writes it for the HTML report} */
    public ObjectNode row(String dataset, String studentName, long seed) {
        return AuditCell.row(dataset, studentName, seed, student.quantized(), teacher.model(), student.scorer(),
                report, teacherRecourse, encoder, generator);
    }
}
