package org.cfq.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.Locale;
import org.cfq.InvalidInputException;
import org.cfq.model.Mlp;
import org.cfq.provenance.Provenance;
import org.cfq.quant.QuantizedMlp;

/**
 * A model exported as the bytes of an ONNX file ({@code cfq export}): a float network as a
 * Gemm/Relu graph, a quantized one as QDQ ({@link OnnxExporter}), with the opset written.
 *
 * @param bytes the {@code .onnx} file's content
 * @param opset the opset the graph declares
 */
public record OnnxExport(byte[] bytes, int opset) {
    /**
     * {@return the export options of a format (only onnx) and an opset (null: the smallest that expresses the model)}
     *
     * @throws InvalidInputException naming {@code --format} or {@code --opset}
     */
    public static OnnxExportOptions options(String format, Integer opset) {
        InvalidInputException.require("onnx".equals(format.toLowerCase(Locale.ROOT)), "--format " + format,
                "not a supported export format", "Use --format onnx");
        if (opset == null) {
            return OnnxExportOptions.defaults();
        }
        InvalidInputException.require(opset >= OnnxExporter.MIN_OPSET && opset <= OnnxExporter.MAX_OPSET,
                "--opset " + opset, "cfq writes opsets " + OnnxExporter.MIN_OPSET + " to " + OnnxExporter.MAX_OPSET,
                "Pass --opset 13 or --opset 21, or leave it out");
        return new OnnxExportOptions(opset);
    }

    /** {@return a float network exported} @param provenance where it came from, or null */
    public static OnnxExport of(OnnxExportOptions options, Mlp model, Provenance provenance) {
        return of(new OnnxExporter(options).export(model, provenance));
    }

    /**
     * {@return a quantized network exported in QDQ form} @param provenance where it came from, or null
     *
     * @throws InvalidInputException when the opset cannot express the model
     */
    public static OnnxExport of(OnnxExportOptions options, QuantizedMlp model, Provenance provenance) {
        return of(new OnnxExporter(options).export(model, provenance));
    }

    private static OnnxExport of(ModelProto onnx) {
        return new OnnxExport(OnnxExporter.toBytes(onnx), (int) onnx.getOpsetImport(0).getVersion());
    }
}
