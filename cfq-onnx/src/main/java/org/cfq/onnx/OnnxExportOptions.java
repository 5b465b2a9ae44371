package org.cfq.onnx;

/**
 * How a model is exported.
 *
 * @param opset the ONNX opset to target, in [{@value OnnxExporter#MIN_OPSET},
 *              {@value OnnxExporter#MAX_OPSET}], or {@value #AUTO} for the smallest one that
 *              expresses the model (13, or 21 when weights of 2 to 4 bits need 4-bit tensors)
 */
public record OnnxExportOptions(int opset) {
    /** Let the exporter pick the smallest opset that expresses the model. */
    public static final int AUTO = 0;

    public OnnxExportOptions {
        if (opset != AUTO && (opset < OnnxExporter.MIN_OPSET || opset > OnnxExporter.MAX_OPSET)) {
            throw new IllegalArgumentException("opset must be " + AUTO + " (auto) or in [" + OnnxExporter.MIN_OPSET
                    + ", " + OnnxExporter.MAX_OPSET + "], got " + opset);
        }
    }

    /** The smallest opset that expresses the model. */
    public static OnnxExportOptions defaults() {
        return new OnnxExportOptions(AUTO);
    }
}
