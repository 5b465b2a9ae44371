package org.cfq.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.cfq.model.Classifier;

/** An exported graph loaded in ONNX Runtime, seen as a {@link Classifier} for comparisons. */
final class OrtModel implements Classifier, AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final int inputDim;

    OrtModel(byte[] onnx, int inputDim) {
        this.inputDim = inputDim;
        try {
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            o.setIntraOpNumThreads(1);
            this.session = env.createSession(onnx, o);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime rejected the exported model: " + e.getMessage(), e);
        }
    }

    Map<String, String> metadata() {
        try {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int inputDim() {
        return inputDim;
    }

    @Override
    public void logits(float[] x, int rows, float[] out) {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x, 0, rows * inputDim),
                new long[] {rows, inputDim});
             OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, t))) {
            float[][] y = (float[][]) r.get(0).getValue();
            for (int i = 0; i < rows; i++) {
                out[2 * i] = y[i][0];
                out[2 * i + 1] = y[i][1];
            }
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
