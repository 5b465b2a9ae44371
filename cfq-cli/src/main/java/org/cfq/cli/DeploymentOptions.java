package org.cfq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cfq.InvalidInputException;
import org.cfq.bounds.BoundNetwork;
import org.cfq.bounds.DeployedModel;
import org.cfq.bounds.DeploymentSet;
import org.cfq.bounds.Neighbourhood;
import org.cfq.data.FeatureSchema;
import org.cfq.data.encode.Encoder;
import org.cfq.io.json.Json;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.QuantizedModelFile;
import org.cfq.model.Mlp;
import org.cfq.onnx.OnnxExportOptions;
import org.cfq.onnx.OnnxExporter;
import org.cfq.onnx.OnnxRuntimeClassifier;
import org.cfq.quant.QuantizedBounds;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.integer.IntegerMlp;
import picocli.CommandLine.Option;

/**
 * The deployment set and the applicant's neighbourhood, shared by {@code cfq recourse} and
 * {@code cfq audit}: {@code --deployed FILE[:RUNTIME],...} and {@code --tolerance}.
 */
public final class DeploymentOptions {
    @Option(names = "--deployed", paramLabel = "FILE[:RUNTIME],...",
            description = "Models the lender serves besides the teacher: model files (cfq quantize or cfq train), "
                    + "each optionally with its runtime: fake (default for quantized), integer, onnx, float (default "
                    + "for float models). Certified recourse must hold on every one.")
    String deployed;

    @Option(names = "--holdout", paramLabel = "FILE[:RUNTIME],...",
            description = "With --method certified: models NOT in the deployment set (e.g. a lower width, a teacher "
                    + "retrained with another seed), on which the certified and the plain pgd recourse are only "
                    + "scored (their validity drop is reported).")
    String holdout;

    @Option(names = "--tolerance", paramLabel = "FEATURE=AMOUNT,...|Kx", defaultValue = "1x",
            description = "How far the applicant may land from a changed numeric feature's target, in original "
                    + "units: FEATURE=AMOUNT pairs (others keep one step), or Kx for K steps of every numeric "
                    + "feature (0x: the exact point). Levels (categorical, ordinal, binary) are met exactly. "
                    + "Default: ${DEFAULT-VALUE}.")
    String tolerance = "1x";

    /** {@return whether {@code --deployed} was given} */
    boolean given() {
        return deployed != null && !deployed.isBlank();
    }

    /** The neighbourhood of {@code --tolerance} over the encoder's features. */
    Neighbourhood neighbourhood(Encoder encoder) {
        String t = tolerance == null ? "1x" : tolerance.trim();
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
     * The deployment set: the teacher (float) first, then every {@code --deployed} entry.
     *
     * @throws InvalidInputException for a missing file, an unknown runtime, or a float model with
     *                               an integer runtime
     */
    DeploymentSet read(Path teacherFile, Mlp teacher, FeatureSchema schema) throws IOException {
        List<DeployedModel> models = new ArrayList<>();
        models.add(new DeployedModel(teacherFile.getFileName().toString(), "float", teacher, teacher,
                BoundNetwork.of(teacher)));
        if (given()) {
            for (String entry : deployed.split(",")) {
                models.add(entry(entry.trim(), schema, teacher.inputDim()));
            }
        }
        return new DeploymentSet(models);
    }

    /** {@return the {@code --holdout} models, or null when none was given} */
    DeploymentSet holdout(FeatureSchema schema, int width) throws IOException {
        if (holdout == null || holdout.isBlank()) {
            return null;
        }
        List<DeployedModel> models = new ArrayList<>();
        for (String entry : holdout.split(",")) {
            models.add(entry(entry.trim(), schema, width));
        }
        return new DeploymentSet(models);
    }

    private static DeployedModel entry(String entry, FeatureSchema schema, int width) throws IOException {
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
        String format = Json.mapper().readTree(Files.readAllBytes(p)).path("format").asText("");
        String name = p.getFileName().toString();
        if (QuantizedModelFile.FORMAT.equals(format)) {
            QuantizedMlp q = QuantizedModelFile.read(p, schema).model();
            check(entry, q.inputDim(), width);
            BoundNetwork net = QuantizedBounds.network(q);
            String r = runtime == null ? "fake" : runtime;
            return switch (r) {
                case "fake" -> new DeployedModel(name, r, q, q, net);
                case "integer" -> new DeployedModel(name, r, IntegerMlp.of(q), q, net);
                case "onnx" -> new DeployedModel(name, r, new OnnxRuntimeClassifier(OnnxExporter.toBytes(
                        new OnnxExporter(OnnxExportOptions.defaults()).export(q, null)), q.inputDim()), q, net);
                default -> throw new InvalidInputException("--deployed " + entry, "a quantized model runs as fake, "
                        + "integer or onnx, not " + r, "Use FILE:fake, FILE:integer or FILE:onnx");
            };
        }
        Mlp m = ModelFile.read(p, schema).model();
        check(entry, m.inputDim(), width);
        String r = runtime == null ? "float" : runtime;
        return switch (r) {
            case "float", "fake" -> new DeployedModel(name, "float", m, m, BoundNetwork.of(m));
            case "onnx" -> new DeployedModel(name, r, new OnnxRuntimeClassifier(OnnxExporter.toBytes(
                    new OnnxExporter(OnnxExportOptions.defaults()).export(m, null)), m.inputDim()), m,
                    BoundNetwork.of(m));
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
}
