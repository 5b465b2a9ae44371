package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureKind;
import org.cfq.data.FeatureSchema;
import org.cfq.data.Range;
import org.cfq.data.Table;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.InputLayout;
import org.cfq.data.encode.Scaling;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.json.Json;
import org.cfq.io.json.ProvenanceJson;
import org.cfq.io.layout.InputLayoutFiles;
import org.cfq.io.model.ModelOrigin;
import org.cfq.io.schema.SchemaFiles;
import org.cfq.io.model.SavedModel;
import org.cfq.model.Mlp;
import org.cfq.model.imported.ImportedNetwork;
import org.cfq.model.imported.OutputHead;
import org.cfq.provenance.DatasetFingerprint;
import org.cfq.provenance.ImportSource;
import org.cfq.provenance.Provenance;

/**
 * A float network trained elsewhere (read from ONNX by {@code cfq-onnx}) with the input layout
 * it was trained behind, as a cfq teacher: the layout is folded into the first layer, so the
 * teacher runs on cfq's own encoding and its counterfactuals read back as rows.
 */
public final class TeacherImport {
    private TeacherImport() {
    }

    /** The imported teacher against the graph itself on the test rows: accuracy and agreement. */
    public record Check(int rows, double accuracy, double maxMarginDiff, int disagreements) {
    }

    /**
     * @param saved  the teacher, its encoder, origin and provenance, ready to write
     * @param unused schema features the network takes no input from
     * @param check  the check on the data's test rows, or null when imported without data
     */
    public record Result(SavedModel saved, List<String> unused, Check check) {
        /** {@return the import as JSON: the source graph, the margin, the widths, the check and the provenance} */
        public ObjectNode json(ImportedNetwork net, ImportSource source, Path onnx, Path out) {
            ObjectNode o = Json.mapper().createObjectNode().put("kind", saved.kind()).put("onnx", onnx.toString())
                    .put("sha256", source.sha256()).put("producer_name", source.producerName())
                    .put("producer_version", source.producerVersion()).put("opset", source.opset())
                    .put("output", source.output()).put("margin", net.head().outputs() == 1
                            ? "the model's logit (log-odds of the favorable class)" : "logit["
                            + net.head().favorableIndex() + "] - logit[" + (1 - net.head().favorableIndex()) + "]")
                    .put("inputs", net.inputDim());
            ArrayNode hidden = o.putArray("hidden");
            Arrays.stream(saved.model().hiddenSizes()).forEach(hidden::add);
            o.put("model_space_width", saved.encoder().width()).put("schema", saved.encoder().schema().name());
            ArrayNode none = o.putArray("unused_features");
            unused.forEach(none::add);
            if (check != null) {
                o.put("test_rows", check.rows()).put("test_accuracy", check.accuracy())
                        .put("max_margin_difference", check.maxMarginDiff())
                        .put("decisions_agree", check.disagreements() == 0);
            }
            o.put("out", out.toString()).set("provenance", ProvenanceJson.toJson(saved.provenance()));
            return o;
        }
    }

    /**
     * Builds the teacher.
     *
     * @param source     where the network came from ({@code modelFile}, its digest, producer, opset)
     * @param layoutText the input layout JSON ({@code layoutFile}'s text), resolved against the data's schema
     * @param data       a dataset (its schema, the scaling and ranges the layout leaves open, and the check on
     *                   its test rows), or a schema file alone
     * @throws InvalidInputException when no schema is given, the layout does not fit the schema or the network,
     *                               or a feature has no range and there is no data
     */
    public static Result build(ImportedNetwork net, ImportSource source, Path modelFile, String layoutText,
                               Path layoutFile, DatasetSource data) throws IOException {
        InputLayout inputLayout = InputLayoutFiles.fromJson(layoutText, layoutFile.toString());
        Dataset dataset = null;
        FeatureSchema schema;
        Map<String, Map<String, String>> spellings = Map.of();
        if (data.name() != null || data.csv() != null) {
            dataset = data.load();
            schema = dataset.schema();
            if (data.name() != null) {
                spellings = DatasetRegistry.builtIn().get(data.name()).sourceSpellings();
            }
        } else if (data.schema() != null) {
            schema = SchemaFiles.read(data.schema());
        } else {
            throw new InvalidInputException("cfq import", "no schema was given", "Give --dataset NAME, or --schema FILE "
                    + "(with --csv FILE for the data's ranges and the checks on its rows)");
        }
        InputLayoutFiles.checkLabel(layoutText, layoutFile.toString(), schema);
        return build(net, source, modelFile, inputLayout.resolve(schema, spellings, layoutFile.toString()),
                layoutFile, dataset, "--schema " + data.schema());
    }

    private static Result build(ImportedNetwork net, ImportSource source, Path modelFile, InputLayout.Resolved layout,
                                Path layoutFile, Dataset data, String schemaInput) {
        if (layout.width() != net.inputDim()) {
            throw new InvalidInputException(layoutFile.toString(), "the layout describes " + layout.width()
                    + " inputs but " + modelFile + " takes " + net.inputDim(),
                    "List exactly one entry per model input column, in the model's input order");
        }
        Encoder encoder = encoder(layout, data == null ? null : data.train(), schemaInput);
        Mlp teacher = net.toCfq(layout.affine(encoder));
        String fingerprint = data == null ? "none (imported without data)" : DatasetFingerprint.of(data.train());
        String description = "import " + source.format() + " " + modelFile.getFileName() + " (" + source.output()
                + ", opset " + source.opset() + ") layout " + layoutFile.getFileName();
        Provenance provenance = Provenance.of(0, description, fingerprint, Provenance.now());
        SavedModel saved = new SavedModel(teacher, encoder, new ModelOrigin.Imported(source), provenance);
        return new Result(saved, layout.layout().unusedFeatures(layout.schema()),
                data == null ? null : check(net, teacher, layout, encoder, data.test()));
    }

    /**
     * cfq's encoder for the imported model: the layout's centre and scale where it has a
     * numeric column (so the fold is exact), else those fitted on training rows; boxes from
     * the schema's ranges, the levels, min-max columns, or the training rows.
     */
    private static Encoder encoder(InputLayout.Resolved r, Table train, String schemaInput) {
        FeatureSchema schema = r.schema();
        int n = schema.size();
        double[] center = new double[n];
        double[] scale = new double[n];
        Arrays.fill(scale, 1);
        Range[] box = r.impliedBoxes();
        if (train != null) {
            Encoder fitted = Encoder.fit(train, Scaling.STANDARD);
            for (int i = 0; i < n; i++) {
                if (!schema.feature(i).kind().hasLevels() || schema.feature(i).kind() == FeatureKind.ORDINAL) {
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
            throw new InvalidInputException(schemaInput, "features " + noBox + " have no range, and "
                    + "no data was given to take one from", "Add a range to each in the schema, or pass --csv FILE");
        }
        double[][] cs = r.encoderScaling(center, scale);
        boolean allMinMax = r.layout().columns().stream().noneMatch(c -> c.transform() instanceof InputLayout.Standardize)
                && r.layout().columns().stream().anyMatch(c -> c.transform() instanceof InputLayout.MinMax);
        return new Encoder(schema, allMinMax ? Scaling.MIN_MAX : Scaling.STANDARD, cs[0], cs[1], box);
    }

    /** The imported teacher against the graph itself (evaluated in Java on the layout's inputs). */
    private static Check check(ImportedNetwork net, Mlp teacher, InputLayout.Resolved r, Encoder encoder, Table test) {
        int rows = test.rows();
        float[] margins = teacher.margins(encoder.encode(test), rows);
        ImportedNetwork logitsOnly = new ImportedNetwork(net.layers(), new OutputHead(net.head().outputs(),
                OutputHead.FinalActivation.NONE, net.head().favorableIndex()));
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
}
