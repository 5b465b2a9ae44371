package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.data.Table;
import org.cfq.data.encode.ModelSpaceLayout;
import org.cfq.io.datasets.ActionPreset;
import org.cfq.io.datasets.DataDirectory;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.datasets.Downloader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cfq datasets}: lists the built-in datasets, their splits and where they were read from. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "List the built-in datasets: rows per split, features, model-space width, favorable rate, "
                + "and where each was read from (or why it is unavailable).")
final class DatasetsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory holding the dataset files (else $CFQ_DATA_DIR, else ~/.cache/cfq/datasets).")
    Path dataDir;

    @Option(names = "--split-seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the stratified splits whose sizes are listed (default: ${DEFAULT-VALUE}).")
    long splitSeed;

    @Option(names = "--download", description = "Download missing files (off by default: listing never touches the network).")
    boolean download;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        DatasetRegistry registry = DatasetRegistry.builtIn();
        DataDirectory dirs = DataDirectory.resolve(dataDir);
        Downloader downloader = Downloader.standard();
        ObjectNode root = JsonOutput.object();
        ArrayNode dirList = root.putArray("data_directories");
        dirs.candidates().forEach(p -> dirList.add(p.toString()));
        ArrayNode list = root.putArray("datasets");
        for (String name : registry.names()) {
            ObjectNode n = list.addObject();
            n.put("name", name);
            n.put("description", registry.get(name).description());
            try {
                Dataset d = registry.load(name, ActionPreset.PAPER, dirs, downloader, download, splitSeed);
                n.put("available", true);
                n.put("source", d.source());
                ObjectNode rows = n.putObject("rows");
                rows.put("train", d.train().rows());
                rows.put("validation", d.validation().rows());
                rows.put("test", d.test().rows());
                n.put("features", d.schema().size());
                n.put("model_space_width", ModelSpaceLayout.of(d.schema()).width());
                ObjectNode fav = n.putObject("favorable_rate");
                fav.put("train", round(d.train().favorableRate()));
                fav.put("validation", round(d.validation().favorableRate()));
                fav.put("test", round(d.test().favorableRate()));
                fav.put("all", round(overallRate(d.train(), d.validation(), d.test())));
            } catch (InvalidInputException e) {
                n.put("available", false);
                n.put("reason", e.getMessage());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            JsonOutput.print(out, root);
        } else {
            printText(out, root);
        }
        return CliErrors.OK;
    }

    private static void printText(PrintWriter out, ObjectNode root) {
        out.println("Data directories searched, in order: " + root.get("data_directories"));
        out.printf(Locale.ROOT, "%-10s %8s %8s %8s %6s %6s %9s  %s%n", "dataset", "train", "valid", "test",
                "feats", "width", "favorable", "source");
        for (var n : root.get("datasets")) {
            if (n.get("available").asBoolean()) {
                out.printf(Locale.ROOT, "%-10s %8d %8d %8d %6d %6d %9.3f  %s%n", n.get("name").asText(),
                        n.get("rows").get("train").asInt(), n.get("rows").get("validation").asInt(),
                        n.get("rows").get("test").asInt(), n.get("features").asInt(),
                        n.get("model_space_width").asInt(), n.get("favorable_rate").get("all").asDouble(),
                        n.get("source").asText());
            } else {
                out.printf(Locale.ROOT, "%-10s unavailable: %s%n", n.get("name").asText(), n.get("reason").asText());
            }
        }
        out.flush();
    }

    private static double overallRate(Table... parts) {
        double fav = 0;
        long rows = 0;
        for (Table t : parts) {
            fav += t.favorableRate() * t.rows();
            rows += t.rows();
        }
        return rows == 0 ? 0 : fav / rows;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
