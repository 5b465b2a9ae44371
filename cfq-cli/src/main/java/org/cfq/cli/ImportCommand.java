package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.cfq.InvalidInputException;
import org.cfq.provenance.Digests;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;
import org.cfq.data.Range;
import org.cfq.data.Table;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.InputLayout;
import org.cfq.data.encode.Scaling;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.json.ProvenanceJson;
import org.cfq.io.layout.InputLayoutFiles;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.ModelOrigin;
import org.cfq.io.model.SavedModel;
import org.cfq.io.schema.SchemaFiles;
import org.cfq.model.Mlp;
import org.cfq.model.imported.ImportedNetwork;
import org.cfq.onnx.OnnxImporter;
import org.cfq.provenance.DatasetFingerprint;
import org.cfq.provenance.ImportSource;
import org.cfq.provenance.Provenance;
import picocli.CommandLine.Command;
import org.cfq.io.files.FileChecks;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cfq import}: turns a float MLP from an ONNX file, with the input layout it was
 * trained behind, into a cfq teacher model file that {@code quantize}, {@code recourse},
 * {@code audit} and {@code export} take like one cfq trained.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = {
    "Import a float MLP classifier from ONNX (Gemm or MatMul+Add, Relu, optional final Sigmoid/Softmax; "
            + "opsets 9-21) as a cfq teacher model file.",
    "The input layout JSON says what each model input is (standardize, min_max, one_hot of a level, "
            + "pass_through of a schema feature); it is folded into the first layer, so the teacher runs on cfq's "
            + "own encoding and counterfactuals read back as rows.",
    "Margin: cfq's margin is the favorable class's log-odds: a one-output model's logit (for a sigmoid model, "
            + "the logit before the sigmoid), or logit[favorable] - logit[other] for two outputs."})
public final class ImportCommand implements Callable<Integer> {

    @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "The ONNX model file.")
    Path onnx;

    @Option(names = "--layout", required = true, paramLabel = "FILE", description = "The input layout JSON file.")
    Path layout;

    @Option(names = "--favorable-index", paramLabel = "0|1",
            description = "Which of two outputs is the favorable class (required for two outputs; a one-output "
                    + "model gives the favorable class's logit or probability).")
    Integer favorableIndex;

    @Mixin
    DatasetOptions data;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the cfq model file.")
    Path out;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        FileChecks.readable(onnx, "--onnx");
        FileChecks.output(out, "--out", FileChecks.OutputKind.MODEL, common.force, onnx, layout);
        OnnxImporter.Imported onnxModel = OnnxImporter.read(onnx,
                favorableIndex == null ? OptionalInt.empty() : OptionalInt.of(favorableIndex));
        String layoutText = Files.readString(requireFile(layout, "--layout"));
        InputLayout inputLayout = InputLayoutFiles.fromJson(layoutText, layout.toString());

        Dataset dataset = null;
        FeatureSchema schema;
        Map<String, Map<String, String>> spellings = Map.of();
        if (data.dataset != null || data.csv != null) {
            dataset = data.load();
            schema = dataset.schema();
            if (data.dataset != null) {
                spellings = DatasetRegistry.builtIn().get(data.dataset).sourceSpellings();
            }
        } else if (data.schema != null) {
            schema = SchemaFiles.read(data.schema);
        } else {
            throw new InvalidInputException("cfq import", "no schema was given", "Give --dataset NAME, or --schema FILE "
                    + "(with --csv FILE for the data's ranges and the checks on its rows)");
        }
        InputLayoutFiles.checkLabel(layoutText, layout.toString(), schema);
        InputLayout.Resolved resolved = inputLayout.resolve(schema, spellings, layout.toString());
        ImportedNetwork net = onnxModel.network();
        if (resolved.width() != net.inputDim()) {
            throw new InvalidInputException(layout.toString(), "the layout describes " + resolved.width()
                    + " inputs but " + onnx + " takes " + net.inputDim(),
                    "List exactly one entry per model input column, in the model's input order");
        }
        Encoder encoder = encoder(resolved, dataset == null ? null : dataset.train());
        Mlp teacher = net.toCfq(resolved.affine(encoder));

        ImportSource source = new ImportSource("onnx", onnx.getFileName().toString(), onnxModel.sha256(),
                onnxModel.producerName(), onnxModel.producerVersion(), onnxModel.opset(), net.head().describe(),
                Digests.sha256Hex(layoutText.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String fingerprint = dataset == null ? "none (imported without data)" : DatasetFingerprint.of(dataset.train());
        Provenance provenance = Provenance.of(0, "import onnx " + onnx.getFileName() + " (" + net.head().describe()
                + ", opset " + onnxModel.opset() + ") layout " + layout.getFileName(), fingerprint, Provenance.now());
        SavedModel saved = new SavedModel(teacher, encoder, new ModelOrigin.Imported(source), provenance);
        ModelFile.write(out, saved);

        List<String> unused = inputLayout.unusedFeatures(schema);
        if (!unused.isEmpty()) {
            err.println("note: the model uses no input from " + unused + "; recourse may change them without effect");
        }
        Check check = dataset == null ? null : check(net, teacher, resolved, encoder, dataset.test());
        ObjectNode o = JsonOutput.object();
        o.put("kind", saved.kind());
        o.put("onnx", onnx.toString());
        o.put("sha256", source.sha256());
        o.put("producer_name", source.producerName());
        o.put("producer_version", source.producerVersion());
        o.put("opset", source.opset());
        o.put("output", source.output());
        o.put("margin", net.head().outputs() == 1 ? "the model's logit (log-odds of the favorable class)"
                : "logit[" + net.head().favorableIndex() + "] - logit[" + (1 - net.head().favorableIndex()) + "]");
        o.put("inputs", net.inputDim());
        ArrayNode hidden = o.putArray("hidden");
        for (int h : teacher.hiddenSizes()) {
            hidden.add(h);
        }
        o.put("model_space_width", encoder.width());
        o.put("schema", schema.name());
        ArrayNode u = o.putArray("unused_features");
        unused.forEach(u::add);
        if (check != null) {
            o.put("test_rows", check.rows);
            o.put("test_accuracy", check.accuracy);
            o.put("max_margin_difference", check.maxMarginDiff);
            o.put("decisions_agree", check.disagreements == 0);
        }
        o.put("out", out.toString());
        o.set("provenance", ProvenanceJson.toJson(provenance));
        if (common.json) {
            JsonOutput.print(spec.commandLine().getOut(), o);
        } else {
            PrintWriter pw = spec.commandLine().getOut();
            pw.printf(Locale.ROOT, "imported %s (%s %s, opset %d): %d inputs, hidden %s, %s%n", onnx,
                    source.producerName(), source.producerVersion(), source.opset(), net.inputDim(),
                    java.util.Arrays.toString(teacher.hiddenSizes()), source.output());
            if (check != null) {
                pw.printf(Locale.ROOT, "on %d test rows: accuracy %.4f; cfq teacher vs the graph: max margin "
                                + "difference %.3g, %d decisions differ%n", check.rows, check.accuracy,
                        check.maxMarginDiff, check.disagreements);
            }
            pw.printf(Locale.ROOT, "teacher model file written to %s%n", out);
            pw.flush();
        }
        return CliErrors.OK;
    }

    /**
     * cfq's encoder for the imported model: the layout's centre and scale where it has a
     * numeric column (so the fold is exact), else those fitted on training rows; boxes from
     * the schema's ranges, the levels, min-max columns, or the training rows.
     */
    private Encoder encoder(InputLayout.Resolved r, Table train) {
        FeatureSchema schema = r.schema();
        int n = schema.size();
        double[] center = new double[n];
        double[] scale = new double[n];
        java.util.Arrays.fill(scale, 1);
        Range[] box = r.impliedBoxes();
        if (train != null) {
            Encoder fitted = Encoder.fit(train, Scaling.STANDARD);
            for (int i = 0; i < n; i++) {
                if (!schema.feature(i).kind().hasLevels() || schema.feature(i).kind() == org.cfq.data.FeatureKind.ORDINAL) {
                    center[i] = fitted.center(i);
                    scale[i] = fitted.scale(i);
                }
                if (box[i] == null) {
                    box[i] = fitted.box(i);
                }
            }
        }
        List<String> noBox = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (box[i] == null) {
                noBox.add(schema.feature(i).name());
            }
        }
        if (!noBox.isEmpty()) {
            throw new InvalidInputException("--schema " + data.schema, "features " + noBox + " have no range, and "
                    + "no data was given to take one from", "Add a range to each in the schema, or pass --csv FILE");
        }
        double[][] cs = r.encoderScaling(center, scale);
        boolean allMinMax = r.layout().columns().stream().noneMatch(c -> c.transform() instanceof InputLayout.Standardize)
                && r.layout().columns().stream().anyMatch(c -> c.transform() instanceof InputLayout.MinMax);
        return new Encoder(schema, allMinMax ? Scaling.MIN_MAX : Scaling.STANDARD, cs[0], cs[1], box);
    }

    private record Check(int rows, double accuracy, double maxMarginDiff, int disagreements) {
    }

    /** The imported teacher against the graph itself (evaluated in Java on the layout's inputs). */
    private static Check check(ImportedNetwork net, Mlp teacher, InputLayout.Resolved r, Encoder encoder, Table test) {
        int rows = test.rows();
        float[] margins = teacher.margins(encoder.encode(test), rows);
        ImportedNetwork logitsOnly = new ImportedNetwork(net.layers(), new org.cfq.model.imported.OutputHead(
                net.head().outputs(), org.cfq.model.imported.OutputHead.FinalActivation.NONE, net.head().favorableIndex()));
        float[] y = logitsOnly.outputs(r.encode(test), rows);
        int k = net.head().outputs();
        int fav = net.head().favorableIndex();
        double maxDiff = 0;
        int disagree = 0;
        int correct = 0;
        for (int i = 0; i < rows; i++) {
            double m = k == 1 ? y[i] : (double) y[i * 2 + fav] - y[i * 2 + 1 - fav];
            maxDiff = Math.max(maxDiff, Math.abs(m - margins[i]));
            disagree += (m > 0) != (margins[i] > 0) ? 1 : 0;
            correct += (margins[i] > 0 ? 1 : 0) == test.label(i) ? 1 : 0;
        }
        return new Check(rows, rows == 0 ? Double.NaN : (double) correct / rows, maxDiff, disagree);
    }

    private static Path requireFile(Path p, String option) {
        if (!Files.isRegularFile(p)) {
            throw new InvalidInputException(p.toString(), "file not found", "Check the path given to " + option);
        }
        return p;
    }
}
