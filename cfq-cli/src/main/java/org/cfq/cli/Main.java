package org.cfq.cli;

import java.util.Set;
import org.cfq.train.KernelWarmup;

/** Entry point of the runnable jar. */
public final class Main {
    /**
     * The commands that train a network or search for recourse, and so spend their first second
     * in the kernels' JIT warm-up: for them a {@link KernelWarmup} thread starts before the
     * arguments are even parsed (docs/benchmarks.md, issue 16). Not the benchmarks, which time
     * the warm-up themselves, nor commands that only read or write files.
     */
    static final Set<String> WARM_COMMANDS = Set.of("train", "experiment", "quantize", "cfq-quantize", "quant-table",
            "recourse", "audit", "demo");
    /** Of those, the ones that only train: they warm the training kernels alone. */
    static final Set<String> TRAIN_ONLY = Set.of("train");

    private Main() {
    }

    public static void main(String[] args) {
        if (warms(args, System.getenv("CFQ_WARMUP"))) {
            KernelWarmup.start(!TRAIN_ONLY.contains(args[0]));
        }
        System.exit(CfqCommand.execute(args));
    }

    /** Whether {@code args} name a command that warms the kernels; {@code CFQ_WARMUP=0} turns it off. */
    static boolean warms(String[] args, String env) {
        if ("0".equals(env) || args.length == 0 || !WARM_COMMANDS.contains(args[0])) {
            return false;
        }
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
                return false;
            }
        }
        return true;
    }
}
