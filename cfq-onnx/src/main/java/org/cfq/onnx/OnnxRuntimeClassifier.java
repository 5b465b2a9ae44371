package org.cfq.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.cfq.model.Classifier;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantizedMlp;

/**
 * An exported cfq graph running in ONNX Runtime, seen as a {@link Classifier}: the deployed
 * form that the audit can judge, and the tests compare with the Java engines. One
 * intra-op thread, so results do not depend on the machine's core count.
 *
 * <p>Close it to free the native session.
 */
public final class OnnxRuntimeClassifier implements Classifier, AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final int inputDim;

    /**
     * @param onnx     the bytes of a graph from {@link OnnxExporter}
     * @param inputDim the model-space width it takes
     * @throws IllegalStateException when ONNX Runtime rejects the graph
     */
    public OnnxRuntimeClassifier(byte[] onnx, int inputDim) {
        this.inputDim = inputDim;
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            this.session = env.createSession(onnx, o);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime rejected the exported model: " + e.getMessage(), e);
        }
    }

    /** {@return the float network exported with the default options (no provenance), in ONNX Runtime} */
    public static OnnxRuntimeClassifier of(Mlp model) {
        return new OnnxRuntimeClassifier(OnnxExporter.toBytes(new OnnxExporter(OnnxExportOptions.defaults())
                .export(model, null)), model.inputDim());
    }

    /** {@return the quantized network's QDQ graph with the default options (no provenance), in ONNX Runtime} */
    public static OnnxRuntimeClassifier of(QuantizedMlp model) {
        return new OnnxRuntimeClassifier(OnnxExporter.toBytes(new OnnxExporter(OnnxExportOptions.defaults())
                .export(model, null)), model.inputDim());
    }

    /** {@return the graph's metadata_props} */
    public Map<String, String> metadata() {
        try {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read the graph's metadata: " + e.getMessage(), e);
        }
    }

    @Override
    public int inputDim() {
        return inputDim;
    }

    @Override
    public void logits(float[] x, int rows, float[] out) {
        if (rows == 0) {
            return;
        }
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x, 0, rows * inputDim),
                new long[] {rows, inputDim});
             OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, t))) {
            float[][] y = (float[][]) r.get(0).getValue();
            for (int i = 0; i < rows; i++) {
                out[2 * i] = y[i][0];
                out[2 * i + 1] = y[i][1];
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to score " + rows + " rows: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
