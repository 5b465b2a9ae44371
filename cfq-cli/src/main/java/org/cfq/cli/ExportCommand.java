package org.cfq.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cfq.InvalidInputException;
import org.cfq.io.files.AtomicFiles;
import org.cfq.io.files.FileChecks;
import org.cfq.io.model.ModelFiles;
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
        ModelFiles.AnyModel any = ModelFiles.read(model, "--model");
        OnnxExporter exporter = new OnnxExporter(options);
        ModelProto onnx;
        ObjectNode root = JsonOutput.object();
        if (any.teacher() != null) {
            onnx = exporter.export(any.teacher().model(), any.teacher().provenance());
            root.put("kind", "float");
        } else {
            SavedQuantizedModel m = any.quantized();
            onnx = exporter.export(m.model(), m.provenance());
            root.put("kind", "quantized").put("method", m.method());
            root.set("bits_per_layer", JsonOutput.snakeCase(m.model().bitsPerLayer()));
        }
        byte[] bytes = OnnxExporter.toBytes(onnx);
        AtomicFiles.write(out, bytes);

        int written = (int) onnx.getOpsetImport(0).getVersion();
        root.put("format", "onnx").put("opset", written).put("bytes", bytes.length).put("model", model.toString())
                .put("out", out.toString());
        JsonOutput.emit(spec.commandLine().getOut(), common.json, root, () -> String.format(Locale.ROOT,
                "wrote %s (%s model, ONNX opset %d, %d bytes)%n", out, root.get("kind").asText(), written,
                bytes.length));
        return CliErrors.OK;
    }
}
