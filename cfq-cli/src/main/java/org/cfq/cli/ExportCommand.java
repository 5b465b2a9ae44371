package org.cfq.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cfq.InvalidInputException;
import org.cfq.io.files.AtomicFiles;
import org.cfq.io.json.Json;
import org.cfq.io.files.FileChecks;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.QuantizedModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.io.model.SavedQuantizedModel;
import org.cfq.onnx.OnnxExportOptions;
import org.cfq.onnx.OnnxExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cfq export}: writes a teacher or quantized model file as an ONNX graph (float Gemm/Relu
 * for a teacher, QDQ for a quantized model); see {@link OnnxExporter} for the graph.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a teacher or quantized model file to ONNX (float Gemm/Relu, or QDQ with int8/int4 weights).")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "A teacher model file or a quantized model file (from 'cfq quantize').")
    Path model;

    @Option(names = "--format", required = true, paramLabel = "onnx", description = "Output format; only onnx.")
    String format;

    @Option(names = "--opset", paramLabel = "N",
            description = "ONNX opset in [13, 21]; default: the smallest that expresses the model "
                    + "(13, or 21 when weights of 2 to 4 bits need int4).")
    Integer opset;

    @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "Where to write the graph.")
    Path out;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!"onnx".equals(format.toLowerCase(Locale.ROOT))) {
            throw new InvalidInputException("--format " + format, "not a supported export format", "Use --format onnx");
        }
        OnnxExportOptions options = OnnxExportOptions.defaults();
        if (opset != null) {
            if (opset < OnnxExporter.MIN_OPSET || opset > OnnxExporter.MAX_OPSET) {
                throw new InvalidInputException("--opset " + opset, "cfq writes opsets " + OnnxExporter.MIN_OPSET
                        + " to " + OnnxExporter.MAX_OPSET, "Pass --opset 13 or --opset 21, or leave it out");
            }
            options = new OnnxExportOptions(opset);
        }
        FileChecks.readable(model, "--model");
        FileChecks.output(out, "--out", FileChecks.OutputKind.ONNX, common.force, model);
        String text = readText(model);
        String kind = formatOf(text);
        OnnxExporter exporter = new OnnxExporter(options);
        ModelProto onnx;
        ObjectNode root = JsonOutput.object();
        if (ModelFile.FORMAT.equals(kind)) {
            SavedModel m = ModelFile.parse(text, model.toString());
            onnx = exporter.export(m.model(), m.provenance());
            root.put("kind", "float");
        } else if (QuantizedModelFile.FORMAT.equals(kind)) {
            SavedQuantizedModel m = QuantizedModelFile.parse(text, model.toString());
            onnx = exporter.export(m.model(), m.provenance());
            root.put("kind", "quantized");
            root.put("method", m.method());
            ArrayNode bits = root.putArray("bits_per_layer");
            for (int b : m.model().bitsPerLayer()) {
                bits.add(b);
            }
        } else {
            throw new InvalidInputException("--model " + model, "its format is '" + kind + "', not '" + ModelFile.FORMAT
                    + "' or '" + QuantizedModelFile.FORMAT + "'", "Pass a teacher model file or one from 'cfq quantize'");
        }
        byte[] bytes = OnnxExporter.toBytes(onnx);
        AtomicFiles.write(out, bytes);

        int written = (int) onnx.getOpsetImport(0).getVersion();
        root.put("format", "onnx");
        root.put("opset", written);
        root.put("bytes", bytes.length);
        root.put("model", model.toString());
        root.put("out", out.toString());
        PrintWriter pw = spec.commandLine().getOut();
        if (common.json) {
            JsonOutput.print(pw, root);
        } else {
            pw.printf(Locale.ROOT, "wrote %s (%s model, ONNX opset %d, %d bytes)%n", out, root.get("kind").asText(),
                    written, bytes.length);
            pw.flush();
        }
        return CliErrors.OK;
    }

    private static String readText(Path file) throws IOException {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("--model " + file, "it does not exist",
                    "Check the path, or write one with 'cfq quantize --out " + file + "'", e);
        }
    }

    private String formatOf(String text) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("--model " + model, "it is not JSON (" + e.getOriginalMessage() + ")",
                    "Pass a cfq model file (teacher or quantized)", e);
        }
        if (root == null || !root.path("format").isTextual()) {
            throw new InvalidInputException("--model " + model, "it has no \"format\" field",
                    "Pass a cfq model file (teacher or quantized)");
        }
        return root.get("format").asText();
    }
}
