package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.cfq.InvalidInputException;
import org.cfq.audit.TeacherRecourse;
import org.cfq.bounds.BoundNetwork;
import org.cfq.bounds.DeployedModel;
import org.cfq.bounds.DeploymentSet;
import org.cfq.bounds.Neighbourhood;
import org.cfq.bounds.Verifier;
import org.cfq.data.FeatureSchema;
import org.cfq.data.encode.Encoder;
import org.cfq.io.json.Json;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.QuantizedModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.io.model.SavedQuantizedModel;
import org.cfq.model.Classifier;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.model.Mlp;
import org.cfq.provenance.Digests;
import org.cfq.quant.QuantizedBounds;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.integer.IntegerMlp;

/**
 * What a lender serves and how: the deployment set that certified recourse must hold on (the
 * teacher and model files, each with its runtime), the audited student in its runtime, and the
 * applicant's tolerance neighbourhood. ONNX Runtime lives in {@code cfq-onnx}, which this module
 * does not depend on: callers that have it pass it as an {@link Onnx}.
 */
public final class Deployments {
    private Deployments() {
    }

    /** Serves a float or a quantized network in ONNX Runtime. */
    public record Onnx(Function<Mlp, Classifier> floatModel, Function<QuantizedMlp, Classifier> quantized) {
    }

    /**
     * The neighbourhood of a tolerance: {@code Kx} for K steps of every numeric feature ({@code 0x}: the exact
     * point) or {@code FEATURE=AMOUNT,...} in original units (others keep one step); levels are met exactly.
     *
     * @throws InvalidInputException naming {@code --tolerance} when the text is malformed
     */
    public static Neighbourhood tolerance(Encoder encoder, String text) {
        String t = text == null ? "1x" : text.trim();
        if (t.endsWith("x") && !t.contains("=")) {
            double k;
            try {
                k = Double.parseDouble(t.substring(0, t.length() - 1));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("--tolerance " + t, "not a multiple of the step",
                        "Write e.g. 1x, 2x or 0x, or FEATURE=AMOUNT pairs");
            }
            if (!(k >= 0 && k < Double.POSITIVE_INFINITY)) {
                throw new InvalidInputException("--tolerance " + t, "the multiple must be finite and >= 0",
                        "Write e.g. 1x or 0x");
            }
            return Neighbourhood.steps(encoder, k);
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (String part : t.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("--tolerance " + t, "'" + part + "' is not FEATURE=AMOUNT",
                        "Write e.g. hours-per-week=2,age=1, or 2x");
            }
            try {
                m.put(part.substring(0, eq).trim(), Double.parseDouble(part.substring(eq + 1).trim()));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("--tolerance " + t, "'" + part + "' has no number after '='",
                        "Write e.g. hours-per-week=2");
            }
        }
        return Neighbourhood.of(encoder, m);
    }

    /**
     * The deployment set: the teacher (float) first, then every entry of {@code FILE[:RUNTIME],...}
     * (null or blank: none).
     *
     * @throws InvalidInputException for a missing file, an unknown runtime, or a float model with an integer
     *                               runtime
     */
    public static DeploymentSet deployed(Path teacherFile, Mlp teacher, String entries, FeatureSchema schema,
                                         Onnx onnx) throws IOException {
        List<DeployedModel> models = new ArrayList<>();
        models.add(new DeployedModel(teacherFile.getFileName().toString(), "float", teacher, teacher,
                BoundNetwork.of(teacher)));
        models.addAll(entries(entries, schema, teacher.inputDim(), onnx));
        return new DeploymentSet(models);
    }

    /** {@return the models of {@code FILE[:RUNTIME],...} as a set, or null when there are none} */
    public static DeploymentSet holdout(String entries, FeatureSchema schema, int width, Onnx onnx)
            throws IOException {
        List<DeployedModel> models = entries(entries, schema, width, onnx);
        return models.isEmpty() ? null : new DeploymentSet(models);
    }

    private static List<DeployedModel> entries(String entries, FeatureSchema schema, int width, Onnx onnx)
            throws IOException {
        List<DeployedModel> models = new ArrayList<>();
        if (entries != null && !entries.isBlank()) {
            for (String entry : entries.split(",")) {
                models.add(entry(entry.trim(), schema, width, onnx));
            }
        }
        return models;
    }

    private static DeployedModel entry(String entry, FeatureSchema schema, int width, Onnx onnx) throws IOException {
        String file = entry;
        String runtime = null;
        int colon = entry.lastIndexOf(':');
        if (colon > 0) {
            String r = entry.substring(colon + 1).toLowerCase(Locale.ROOT);
            if (List.of("fake", "integer", "onnx", "float").contains(r)) {
                file = entry.substring(0, colon);
                runtime = r;
            }
        }
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new InvalidInputException("--deployed " + entry, "no such file: " + file,
                    "Pass model files from cfq quantize or cfq train, e.g. ptq8.json:integer");
        }
        String name = p.getFileName().toString();
        String format = Json.mapper().readTree(Files.readAllBytes(p)).path("format").asText("");
        if (QuantizedModelFile.FORMAT.equals(format)) {
            QuantizedMlp q = QuantizedModelFile.read(p, schema).model();
            check(entry, q.inputDim(), width);
            BoundNetwork net = QuantizedBounds.network(q);
            String r = runtime == null ? "fake" : runtime;
            return switch (r) {
                case "fake" -> new DeployedModel(name, r, q, q, net);
                case "integer" -> new DeployedModel(name, r, IntegerMlp.of(q), q, net);
                case "onnx" -> new DeployedModel(name, r, onnx.quantized().apply(q), q, net);
                default -> throw new InvalidInputException("--deployed " + entry, "a quantized model runs as fake, "
                        + "integer or onnx, not " + r, "Use FILE:fake, FILE:integer or FILE:onnx");
            };
        }
        Mlp m = ModelFile.read(p, schema).model();
        check(entry, m.inputDim(), width);
        String r = runtime == null ? "float" : runtime;
        return switch (r) {
            case "float", "fake" -> new DeployedModel(name, "float", m, m, BoundNetwork.of(m));
            case "onnx" -> new DeployedModel(name, r, onnx.floatModel().apply(m), m, BoundNetwork.of(m));
            default -> throw new InvalidInputException("--deployed " + entry, "a float model has no integer form",
                    "Use FILE (float) or FILE:onnx, or quantize it first");
        };
    }

    private static void check(String entry, int got, int width) {
        if (got != width) {
            throw new InvalidInputException("--deployed " + entry, "the model takes " + got
                    + " inputs but the teacher takes " + width, "Deploy models of the same dataset and encoder");
        }
    }

    /** {@return a model file's {@code format} field, or "" when it is not JSON (the readers then name the problem)} */
    private static String format(Path p) {
        try {
            return Json.mapper().readTree(Files.readAllBytes(p)).path("format").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The audited student.
     *
     * @param scorer    the student as its runtime scores it (gradients from its fake-quantized twin)
     * @param quantized the fake-quantized model when the student file is a quantized model, else null
     */
    public record Student(DifferentiableClassifier scorer, QuantizedMlp quantized) {
    }

    /**
     * Reads the audited student: a quantized model file (checked against its teacher's SHA-256,
     * in the runtime asked for), or a float model file (e.g. a fine-tuned or dequantized student).
     *
     * @param runtime the {@link StudentRuntime} by name
     * @param warn    receives the warning when the student was quantized from another teacher file
     * @throws InvalidInputException when the student's network is not the teacher's, or a float
     *                               student is asked for in a runtime other than fake
     */
    public static Student student(Path studentFile, Path teacherFile, SavedModel teacher,
                                                   FeatureSchema schema, String runtime, Onnx onnx,
                                                   Consumer<String> warn) throws IOException {
        String format = Files.isRegularFile(studentFile) ? format(studentFile) : "";
        if (!QuantizedModelFile.FORMAT.equals(format)) {
            if (StudentRuntime.parse(runtime) != StudentRuntime.FAKE) {
                throw new InvalidInputException("--student-runtime " + runtime, studentFile
                        + " is a float model, which has no integer or ONNX QDQ form",
                        "Leave --student-runtime out for a float student, or pass a quantized model file");
            }
            Mlp floatStudent = ModelFile.read(studentFile, schema).model();
            checkSameNetwork(studentFile, teacherFile, teacher.model().hiddenSizes(), floatStudent.hiddenSizes());
            return new Student(floatStudent, null);
        }
        SavedQuantizedModel q = QuantizedModelFile.read(studentFile, schema);
        checkSameNetwork(studentFile, teacherFile, teacher.model().hiddenSizes(),
                q.model().dequantizedMlp().hiddenSizes());
        // Students record their teacher's content checksum (weights and configuration, not the
        // time it was written); files from before recorded the teacher file's bytes.
        String teacherSha = ModelFile.contentSha256(teacher);
        if (!teacherSha.equalsIgnoreCase(q.teacherSha256())
                && !Digests.sha256Hex(teacherFile).equalsIgnoreCase(q.teacherSha256())) {
            warn.accept(studentFile + " was quantized from a teacher file with SHA-256 " + q.teacherSha256()
                    + ", not from " + teacherFile + " (" + teacherSha + "); auditing anyway");
        }
        return new Student(StudentRuntime.parse(runtime).deploy(q.model(), onnx), q.model());
    }

    /**
     * A student is a compressed copy of its teacher, so it has the teacher's layers; the
     * audit compares them layer by layer (the certificate bounds each weight's change).
     */
    private static void checkSameNetwork(Path student, Path teacher, int[] teacherHidden, int[] studentHidden) {
        if (!Arrays.equals(teacherHidden, studentHidden)) {
            throw new InvalidInputException("--student " + student, "its network (hidden layers "
                    + Arrays.toString(studentHidden) + ") is not the teacher's (" + teacher + ": hidden layers "
                    + Arrays.toString(teacherHidden) + "), so it cannot have been quantized from it",
                    "Pass the teacher the student was made from with --teacher");
        }
    }

    /**
     * The deployment certificate of an audit: of the teacher's counterfactuals, how many are
     * certified for the whole set over the neighbourhood, and for each model alone.
     *
     * @param modelFractions per model of the set, in order: the share whose bound exceeds the required margin
     */
    public record Certificate(int checked, int certified, List<String> models, double[] modelFractions) {
        /** {@return the share certified for every model at once, NaN when nothing was checked} */
        public double certifiedFraction() {
            return checked == 0 ? Double.NaN : (double) certified / checked;
        }

        /** Puts {@code checked}, {@code certified}, {@code certified_fraction} and each model's fraction into {@code o}. */
        public ObjectNode toJson(ObjectNode o) {
            o.put("checked", checked).put("certified", certified);
            AuditJson.num(o, "certified_fraction", certifiedFraction());
            ArrayNode list = o.putArray("models");
            for (int k = 0; k < models.size(); k++) {
                AuditJson.num(list.addObject().put("model", models.get(k)), "certified_fraction", modelFractions[k]);
            }
            return o;
        }
    }

    /** {@return the certificate of the teacher's found counterfactuals on the set over the neighbourhood} */
    public static Certificate certify(DeploymentSet set, Neighbourhood nb, TeacherRecourse tr, double required) {
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
        List<String> names = new ArrayList<>();
        double[] fractions = new double[set.size()];
        for (int k = 0; k < set.size(); k++) {
            int ok = 0;
            for (int r = 0; r < n; r++) {
                if (v.bound(r, k) > required) {
                    ok++;
                }
            }
            names.add(set.get(k).label());
            fractions[k] = n == 0 ? Double.NaN : (double) ok / n;
        }
        return new Certificate(n, v.certifiedCount(), List.copyOf(names), fractions);
    }
}
