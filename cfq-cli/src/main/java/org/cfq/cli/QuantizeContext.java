package org.cfq.cli;

import java.util.Objects;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseRequest;

/**
 * Everything a quantization method of the experiment may use for one teacher: the data in
 * model space, the action space and the recourse request (for recourse-aware methods such
 * as CFQ). The arrays are shared, not copied: methods must treat them as read only.
 */
final class QuantizeContext {
    final Dataset data;
    final Encoder encoder;
    final ActionSpace space;
    final Mlp teacher;
    final float[] trainX;
    final int[] trainY;
    final float[] valX;
    final int[] valY;
    final RecourseRequest request;

    QuantizeContext(Dataset data, Encoder encoder, ActionSpace space, Mlp teacher, float[] trainX, int[] trainY,
                    float[] valX, int[] valY, RecourseRequest request) {
        this.data = Objects.requireNonNull(data, "data");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.space = Objects.requireNonNull(space, "space");
        this.teacher = Objects.requireNonNull(teacher, "teacher");
        this.trainX = Objects.requireNonNull(trainX, "trainX");
        this.trainY = Objects.requireNonNull(trainY, "trainY");
        this.valX = Objects.requireNonNull(valX, "valX");
        this.valY = Objects.requireNonNull(valY, "valY");
        this.request = Objects.requireNonNull(request, "request");
    }

    int trainRows() {
        return trainY.length;
    }
}
