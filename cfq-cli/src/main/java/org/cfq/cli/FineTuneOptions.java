package org.cfq.cli;

import java.util.List;
import org.cfq.experiment.QuantizeSettings;
import picocli.CommandLine.Option;

/**
 * How {@code cfq quantize} quantizes and fine-tunes: activation width, granularity, the
 * candidates and sensitivity of mixed precision, and the fine-tuning schedule, distillation
 * and epoch selection; checked and turned into a request by {@link QuantizeSettings}.
 */
public final class FineTuneOptions {
    @Option(names = "--activation-bits", paramLabel = "A", defaultValue = "0",
            description = "Bits of the hidden activations (unsigned); 0 keeps them in float (pact: default B).")
    int activationBits;

    @Option(names = "--granularity", paramLabel = "tensor|channel", defaultValue = "tensor",
            description = "One weight scale per tensor (default) or per output channel.")
    String granularity;

    @Option(names = "--candidates", paramLabel = "LIST", split = ",", defaultValue = "2,3,4,8",
            description = "Widths mixed precision chooses from (default ${DEFAULT-VALUE}).")
    List<Integer> candidates;

    @Option(names = "--sensitivity", paramLabel = "loss|hutchinson", defaultValue = "loss",
            description = "How mixed precision scores each layer at each width: measured loss increase (default) "
                    + "or Hutchinson Hessian-trace estimate.")
    String sensitivity;

    @Option(names = "--epochs", paramLabel = "N", description = "Fine-tuning epochs (default 8, cfq 20; ignored by ptq).")
    Integer epochs;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "AdamW step for fine-tuning (default 5e-4, cfq 1e-3).")
    Double learningRate;

    @Option(names = "--distill", paramLabel = "W",
            description = "Weight in [0, 1] of distillation from the teacher; the task loss gets 1 - W (default 1 "
                    + "for lsq, pact, mixed: distillation only; qat and cfq: 0).")
    Double distill;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "2", description = "Distillation temperature (2).")
    double temperature;

    @Option(names = "--selection", paramLabel = "fidelity|accuracy",
            description = "Which fine-tuning epoch to keep, on the validation rows (epoch 0, the starting "
                    + "quantization, included): fidelity = lowest distillation loss to the teacher (default for "
                    + "lsq, pact, mixed), accuracy = highest accuracy (default for qat).")
    String selection;

    /** {@return these options as settings: {@link QuantizeSettings#request} and {@link QuantizeSettings#cfq} check them} */
    QuantizeSettings settings() {
        return new QuantizeSettings(activationBits, granularity, candidates, sensitivity, epochs, learningRate, distill,
                temperature, selection);
    }
}
