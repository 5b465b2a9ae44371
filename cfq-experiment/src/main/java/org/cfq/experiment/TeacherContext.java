package org.cfq.experiment;

import java.util.Objects;
import org.cfq.data.Dataset;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.data.encode.Encoder;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseRequest;

/**
 * Everything a quantization method may use for one teacher: the data in model space, the
 * action space and the recourse request (for recourse-aware methods such as CFQ). The splits'
 * arrays are shared, not copied: methods must treat them as read only.
 *
 * @param data    the dataset (its schema carries the actionability in force)
 * @param encoder the teacher's encoder under that schema
 * @param space   the action space behind the encoder
 * @param teacher the float teacher
 * @param splits  the dataset's splits encoded by {@code encoder}
 * @param request the recourse request of the cell (margin, sparsity, seed)
 */
public record TeacherContext(Dataset data, Encoder encoder, ActionSpace space, Mlp teacher, EncodedSplits splits,
                             RecourseRequest request) {
    public TeacherContext {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(teacher, "teacher");
        Objects.requireNonNull(splits, "splits");
        Objects.requireNonNull(request, "request");
    }

    /** {@return the same teacher with another recourse request} */
    public TeacherContext withRequest(RecourseRequest r) {
        return new TeacherContext(data, encoder, space, teacher, splits, r);
    }
}
