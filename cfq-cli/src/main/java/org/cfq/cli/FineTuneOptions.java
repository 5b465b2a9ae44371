package org.cfq.cli;

import static org.cfq.InvalidInputException.parse;
import static org.cfq.InvalidInputException.require;

import java.util.List;
import java.util.Locale;
import org.cfq.InvalidInputException;
import org.cfq.quant.Granularity;
import org.cfq.quant.method.QuantMethod;
import org.cfq.quant.method.QuantizeRequest;
import org.cfq.quant.mixed.SensitivityMethod;
import org.cfq.quant.qat.ModelSelection;
import org.cfq.quant.qat.QatConfig;
import picocli.CommandLine.Option;

/**
 * How {@code cfq quantize} quantizes and fine-tunes: activation width, granularity, the
 * candidates and sensitivity of mixed precision, and the fine-tuning schedule, distillation
 * and epoch selection; checked once and turned into a {@link QuantizeRequest}.
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

    /** {@return the request of a method at a width or budget, with these options} @throws InvalidInputException */
    QuantizeRequest request(String method, double bits) {
        QuantMethod m = parse("--method", method, QuantMethod::parse, "unknown method",
                "Use one of ptq, qat, lsq, pact, mixed, cfq");
        QatConfig training = QuantizeRequest.defaultTraining(m);
        if (epochs != null) {
            require(epochs >= 1, "--epochs " + epochs, "it must be at least 1", "Pass --epochs 1 or more");
            training = training.withEpochs(epochs);
        }
        if (learningRate != null) {
            require(learningRate > 0 && learningRate <= 1, "--learning-rate " + learningRate,
                    "it must be in (0, 1]", "Pass a value such as 5e-4");
            training = training.withLearningRate(learningRate);
        }
        double w = distill != null ? distill : training.distillWeight();
        require(w >= 0 && w <= 1 && temperature > 0 && temperature < 1e6, "--distill " + w
                + " --temperature " + temperature, "distill must be in [0, 1] and temperature > 0",
                "Pass e.g. --distill 0.5 --temperature 2");
        training = training.withDistillation(w, temperature);
        if (selection != null) {
            training = training.withSelection(parse("--selection", selection, ModelSelection::parse,
                    "unknown selection rule", "Use fidelity or accuracy"));
        }
        SensitivityMethod sm = parse("--sensitivity", sensitivity,
                v -> SensitivityMethod.valueOf(v.toUpperCase(Locale.ROOT)), "unknown sensitivity estimate",
                "Use loss or hutchinson");
        try {
            return QuantizeRequest.of(m, bits).withActivationBits(activationBits).withGranularity(parseGranularity())
                    .withTraining(training).withCandidates(candidates).withSensitivity(sm);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--method " + m.id() + " --bits " + bits + " --activation-bits "
                    + activationBits + " --candidates " + candidates, e.getMessage(), "Fix the option values");
        }
    }

    Granularity parseGranularity() {
        return parse("--granularity", granularity, v -> Granularity.valueOf(v.toUpperCase(Locale.ROOT)),
                "unknown granularity", "Use tensor or channel");
    }
}
