package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cfq.io.files.AtomicFiles;
import org.cfq.io.files.FileChecks;
import org.cfq.io.model.ModelFiles;
import org.cfq.onnx.OnnxExport;
import org.cfq.onnx.OnnxExportOptions;
import org.cfq.report.CommandText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cfq export}: writes a teacher or quantized model file as an ONNX graph (float Gemm/Relu
 * for a teacher, QDQ for a quantized model); see {@link OnnxExport}.
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
        OnnxExportOptions options = OnnxExport.options(format, opset);
        FileChecks.readable(model, "--model");
        FileChecks.output(out, "--out", FileChecks.OutputKind.ONNX, common.force, model);
        ModelFiles.AnyModel any = ModelFiles.read(model, "--model");
        OnnxExport onnx = any.teacher() != null ? OnnxExport.of(options, any.teacher().model(), any.teacher().provenance())
                : OnnxExport.of(options, any.quantized().model(), any.quantized().provenance());
        AtomicFiles.write(out, onnx.bytes());
        ObjectNode root = any.describe().put("format", "onnx").put("opset", onnx.opset())
                .put("bytes", onnx.bytes().length).put("model", model.toString()).put("out", out.toString());
        JsonOutput.emit(spec.commandLine().getOut(), common.json, root, () -> CommandText.export(root));
        return CliErrors.OK;
    }
}
