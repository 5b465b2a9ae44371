package org.cfq.experiment;

import static org.cfq.InvalidInputException.parse;
import static org.cfq.InvalidInputException.require;

import java.util.List;
import java.util.Locale;
import org.cfq.InvalidInputException;
import org.cfq.faithful.CfqConfig;
import org.cfq.quant.Granularity;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.method.QuantMethod;
import org.cfq.quant.method.QuantizeRequest;
import org.cfq.quant.mixed.BitBudget;
import org.cfq.quant.mixed.SensitivityMethod;
import org.cfq.quant.qat.ModelSelection;
import org.cfq.quant.qat.QatConfig;

/**
 * How a user asks to quantize a teacher ({@code cfq quantize}): activation width, granularity,
 * the candidates and sensitivity of mixed precision, and the fine-tuning schedule, distillation
 * and epoch selection (null: the method's default); checked with messages naming the option and
 * turned into a {@link QuantizeRequest}, or into a {@link CfqConfig} for CFQ.
 *
 * @param activationBits bits of the hidden activations; 0 keeps them in float (pact: the weight width)
 * @param granularity    tensor or channel
 * @param candidates     the widths mixed precision chooses from
 * @param sensitivity    loss or hutchinson
 * @param epochs         fine-tuning epochs, or null
 * @param learningRate   AdamW step of fine-tuning, or null
 * @param distill        weight of distillation from the teacher in [0, 1], or null
 * @param temperature    distillation temperature
 * @param selection      fidelity or accuracy, or null for the method's default
 */
public record QuantizeSettings(int activationBits, String granularity, List<Integer> candidates, String sensitivity,
                               Integer epochs, Double learningRate, Double distill, double temperature,
                               String selection) {
    /** The method id of CFQ, which {@link #cfq} configures ({@link #request} takes the others). */
    public static final String CFQ = "cfq";

    /** {@return whether the method name is CFQ's} */
    public static boolean isCfq(String method) {
        return method != null && CFQ.equalsIgnoreCase(method.trim());
    }

    /**
     * Checks a weight width or budget before any work: every method writes one in [2, 8].
     *
     * @throws InvalidInputException naming {@code --bits}
     */
    public static void checkBits(double bits) {
        require(bits >= QuantSpec.MIN_BITS && bits <= QuantSpec.MAX_BITS, "--bits " + TeacherQuantization.bits(bits),
                "weight bits must be in [2, 8] (a whole width for ptq, qat, lsq and pact; an average budget for "
                        + "mixed and cfq)", "Pass e.g. --bits 4");
    }

    /** {@return the request of a method at a width or budget, with these settings} @throws InvalidInputException */
    public QuantizeRequest request(String method, double bits) {
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

    /** {@return the weight granularity} @throws InvalidInputException naming {@code --granularity} */
    public Granularity parseGranularity() {
        return parse("--granularity", granularity, v -> Granularity.valueOf(v.toUpperCase(Locale.ROOT)),
                "unknown granularity", "Use tensor or channel");
    }

    /**
     * {@return CFQ's config at the budget: {@code bits} and the candidates are the budget, the
     * activation bits the PACT width (0 = CFQ's default 8), granularity, epochs, learning rate,
     * distillation and temperature as named, then {@code cfq}; without settings the published method}
     *
     * @throws InvalidInputException naming the options when a value is out of range
     */
    public CfqConfig cfq(double bits, CfqSettings cfq) {
        try {
            CfqConfig base = CfqConfig.defaults().withBudget(new BitBudget(bits, candidates))
                    .withGranularity(parseGranularity());
            // Without --distill, CFQ keeps its own default (the published method: no distillation).
            CfqConfig cfg = base.withDistillation(distill != null ? distill : base.loss().distillWeight(), temperature);
            if (activationBits != 0) {
                cfg = cfg.withPact(true, activationBits);
            }
            if (epochs != null || learningRate != null) {
                cfg = cfg.withTraining(epochs != null ? epochs : cfg.optimiser().epochs(), cfg.optimiser().batchSize(),
                        learningRate != null ? learningRate : cfg.optimiser().learningRate());
            }
            return cfq.apply(cfg);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--method cfq --bits " + bits + " --candidates " + candidates,
                    e.getMessage(), "Fix the option values");
        }
    }
}
