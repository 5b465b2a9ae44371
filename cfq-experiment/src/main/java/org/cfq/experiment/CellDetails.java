package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.cfq.audit.TeacherRecourse;
import org.cfq.data.encode.Encoder;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseDiff;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.RecourseResult;

/**
 * The per-applicant facts of one experiment cell that a report draws and the aggregate row
 * cannot hold: the teacher's and the student's margins at the teacher's counterfactuals
 * (points with a negative student margin are broken recourse), and a few example applicants
 * with the teacher's counterfactual, whether the student honours it, and the student's own,
 * as readable diffs.
 *
 * <pre>
 * "details": {
 *   "margins_at_teacher_cf": {"teacher": [...], "student": [...]},   first N found, 4 decimals
 *   "examples": [{"test_row", "teacher_cf", "teacher_margin", "student_margin_at_teacher_cf",
 *                 "student_honours", "student_cf", "student_cf_cost", "teacher_cf_cost"}]
 * }
 * </pre>
 */
public final class CellDetails {
    /** Margin pairs kept per cell (the first found factuals), so result files stay small. */
    static final int MAX_POINTS = 200;
    /** Example applicants per cell: broken ones first, then honoured ones. */
    static final int EXAMPLES = 3;

    private CellDetails() {
    }

    public static ObjectNode of(DifferentiableClassifier teacher, DifferentiableClassifier student, TeacherRecourse tr,
                         Encoder encoder, RecourseGenerator<DifferentiableClassifier> generator) {
        RecourseBatch batch = tr.batch();
        int w = tr.width();
        float[] factuals = tr.factuals();
        int[] rows = tr.testRows();
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) instanceof RecourseResult.Found) {
                found.add(i);
            }
        }
        int n = found.size();
        float[] cfs = new float[n * w];
        for (int k = 0; k < n; k++) {
            ((RecourseResult.Found) batch.get(found.get(k))).copyTo(cfs, k * w);
        }
        float[] studentMargins = n == 0 ? new float[0] : student.margins(cfs, n);
        ObjectNode o = org.cfq.io.json.Json.mapper().createObjectNode();
        ObjectNode m = o.putObject("margins_at_teacher_cf");
        ArrayNode tm = m.putArray("teacher");
        ArrayNode sm = m.putArray("student");
        for (int k = 0; k < Math.min(n, MAX_POINTS); k++) {
            tm.add(round(((RecourseResult.Found) batch.get(found.get(k))).margin()));
            sm.add(round(studentMargins[k]));
        }
        double threshold = tr.request().threshold();
        List<Integer> picks = new ArrayList<>();
        for (int pass = 0; pass < 2 && picks.size() < EXAMPLES; pass++) {
            for (int k = 0; k < n && picks.size() < EXAMPLES; k++) {
                boolean broken = !(studentMargins[k] > threshold);
                if (broken == (pass == 0)) {
                    picks.add(k);
                }
            }
        }
        ArrayNode ex = o.putArray("examples");
        for (int k : picks) {
            int i = found.get(k);
            RecourseResult.Found f = (RecourseResult.Found) batch.get(i);
            float[] x = new float[w];
            System.arraycopy(factuals, i * w, x, 0, w);
            ObjectNode e = ex.addObject();
            e.put("test_row", rows[i]);
            e.put("teacher_cf", RecourseDiff.of(encoder, x, 0, f.counterfactual(), 0).toString());
            e.put("teacher_cf_cost", round(f.cost()));
            e.put("teacher_margin", round(f.margin()));
            e.put("student_margin_at_teacher_cf", round(studentMargins[k]));
            e.put("student_honours", studentMargins[k] > threshold);
            RecourseResult own = generator.generate(student, x, 1, tr.request()).get(0);
            if (own instanceof RecourseResult.Found sf) {
                e.put("student_cf", RecourseDiff.of(encoder, x, 0, sf.counterfactual(), 0).toString());
                e.put("student_cf_cost", round(sf.cost()));
            } else {
                e.put("student_cf", "not found (" + ((RecourseResult.NotFound) own).reason().name().toLowerCase(
                        java.util.Locale.ROOT) + ")");
                e.putNull("student_cf_cost");
            }
        }
        return o;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
