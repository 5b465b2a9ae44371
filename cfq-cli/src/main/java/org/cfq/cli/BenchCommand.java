package org.cfq.cli;

import static org.cfq.InvalidInputException.require;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.cfq.bench.BenchSuites;
import org.cfq.bench.Timing;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.recourse.RecourseRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cfq bench}: the speed figures of docs/benchmarks.md, rerunnable by anyone; the suites
 * are {@link BenchSuites}. Each figure is the median of {@code --rounds} runs, printed with all
 * runs and the machine's load average, so a reader can judge the noise.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark suites (kernels, train, quantize, recourse, inference): GFLOP/s, seconds "
                + "per epoch, rows/s; medians of --rounds runs with the load average.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    DatasetOptions data;

    @Option(names = "--suite", split = ",", paramLabel = "NAME,...",
            description = "Suites to run: kernels, train, quantize, recourse, inference (default: all).")
    List<String> suites;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N",
            description = "Runs per figure; the median is reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Teacher model file for quantize, recourse and inference (default: train one with seed 42).")
    Path model;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        require(rounds >= 1, "--rounds", "must be at least 1, got " + rounds,
                "Pass a positive number of runs (3 or more gives a meaningful median)");
        Set<String> chosen = BenchSuites.choose(suites);
        if (data.dataset == null && data.csv == null) {
            data.dataset = "adult";
        }
        ObjectNode root = BenchSuites.head(data.describe(), rounds);
        RecourseRequest request = RecourseRequest.defaults()
                .withSparsity(DatasetRegistry.builtIn().publishedSparsity(data.dataset));
        new BenchSuites(rounds, chosen.equals(Set.of("kernels")) ? null : data.load(), model, request, s -> {
            err.println("bench: " + s);
            err.flush();
        }).run(chosen, root);
        root.put("load_average_end", Timing.loadAverage());
        JsonOutput.print(spec.commandLine().getOut(), root);
        return CliErrors.OK;
    }

    static double median(double[] v) {
        return Timing.median(v);
    }
}
