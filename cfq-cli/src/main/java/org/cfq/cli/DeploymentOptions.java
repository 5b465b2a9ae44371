package org.cfq.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.cfq.bounds.DeploymentSet;
import org.cfq.bounds.Neighbourhood;
import org.cfq.data.FeatureSchema;
import org.cfq.data.encode.Encoder;
import org.cfq.experiment.Deployments;
import org.cfq.model.Mlp;
import org.cfq.onnx.OnnxRuntimeClassifier;
import picocli.CommandLine.Option;

/**
 * The deployment set and the applicant's neighbourhood, shared by {@code cfq recourse} and
 * {@code cfq audit}: {@code --deployed FILE[:RUNTIME],...} and {@code --tolerance}.
 */
public final class DeploymentOptions {
    @Option(names = "--deployed", paramLabel = "FILE[:RUNTIME],...",
            description = "Models the lender serves besides the teacher: model files (cfq quantize or cfq train), "
                    + "each optionally with its runtime: fake (default for quantized), integer, onnx, float (default "
                    + "for float models). Certified recourse must hold on every one.")
    String deployed;

    @Option(names = "--holdout", paramLabel = "FILE[:RUNTIME],...",
            description = "With --method certified: models NOT in the deployment set (e.g. a lower width, a teacher "
                    + "retrained with another seed), on which the certified and the plain pgd recourse are only "
                    + "scored (their validity drop is reported).")
    String holdout;

    @Option(names = "--tolerance", paramLabel = "FEATURE=AMOUNT,...|Kx", defaultValue = "1x",
            description = "How far the applicant may land from a changed numeric feature's target, in original "
                    + "units: FEATURE=AMOUNT pairs (others keep one step), or Kx for K steps of every numeric "
                    + "feature (0x: the exact point). Levels (categorical, ordinal, binary) are met exactly. "
                    + "Default: ${DEFAULT-VALUE}.")
    String tolerance = "1x";

    /** ONNX Runtime for {@code :onnx} entries and {@code --student-runtime onnx}. */
    static final Deployments.Onnx ONNX = new Deployments.Onnx(OnnxRuntimeClassifier::of, OnnxRuntimeClassifier::of);

    /** {@return whether {@code --deployed} was given} */
    boolean given() {
        return deployed != null && !deployed.isBlank();
    }

    /** The neighbourhood of {@code --tolerance} over the encoder's features. */
    Neighbourhood neighbourhood(Encoder encoder) {
        return Deployments.tolerance(encoder, tolerance);
    }

    /** The deployment set: the teacher (float) first, then every {@code --deployed} entry. */
    DeploymentSet read(Path teacherFile, Mlp teacher, FeatureSchema schema) throws IOException {
        return Deployments.deployed(teacherFile, teacher, deployed, schema, ONNX);
    }

    /** {@return the {@code --holdout} models, or null when none was given} */
    DeploymentSet holdout(FeatureSchema schema, int width) throws IOException {
        return Deployments.holdout(holdout, schema, width, ONNX);
    }
}
